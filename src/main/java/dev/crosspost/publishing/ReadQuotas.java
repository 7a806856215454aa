package dev.crosspost.publishing;

import java.time.Instant;
import java.util.Optional;

/**
 * Quota for platform reads that are not publishes (metrics lookups): a token bucket per (platform, account) in
 * PostgreSQL, shared by all nodes like the publish buckets, but under its own key. Platforms count reads apart
 * from posts (X per endpoint, YouTube 1 unit for {@code videos.list} against 1,600 for an upload, TikTok 5 posts a
 * day but 600 queries a minute), so a read must never take a publish token, nor wait for one.
 */
public interface ReadQuotas {

    /** Takes one read token; empty when granted, else the instant the next token comes (or a platform block ends). */
    Optional<Instant> take(String platform, String account, PlatformsSettings.Quota quota);

    /** The platform refused reads for the account until then (a 429): no node reads for it before. */
    void blockUntil(String platform, String account, Instant until);
}
