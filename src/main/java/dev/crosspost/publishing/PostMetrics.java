package dev.crosspost.publishing;

import org.jspecify.annotations.Nullable;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** The engagement of a post's published publications, synced from each platform over time. */
public interface PostMetrics {

    /**
     * Every publication of the post, in platform and account order, with its synced series (oldest point first);
     * empty for another workspace's post.
     */
    Optional<List<PublicationMetrics>> forPost(UUID workspaceId, UUID postId);

    /**
     * One publication's metrics.
     *
     * @param latest the newest point's counts, empty before the first sync
     * @param status {@code pending} (not published yet, or published and not yet picked up by the sync, which finds it
     *               within a poll interval), {@code not_published} (it ended without landing: nothing to sync),
     *               {@code active} (synced again at {@code nextSyncAt}), {@code done} (past the max age) or
     *               {@code gone} (deleted on the platform)
     * @param platformPostId the post's id on the platform, once published
     * @param publishedAt when it was published, once it was
     * @param failures consecutive failed syncs; {@code lastError} is the last one's reason, in the platform's words
     * @param waitingReason why the next sync was deferred without a call (the read quota), else null
     */
    record PublicationMetrics(UUID publicationId, String platform, String accountId, @Nullable String platformPostId, @Nullable Instant publishedAt,
                              Map<String, Long> latest, @Nullable Instant lastSyncedAt, List<Point> series, String status,
                              @Nullable Instant nextSyncAt, int failures, @Nullable String lastError, @Nullable String waitingReason) {
    }

    /** The counts at one sync. */
    record Point(Instant at, Map<String, Long> counts) {
    }
}
