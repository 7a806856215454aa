package dev.crosspost.publishing;

import dev.crosspost.system.Page;
import org.jspecify.annotations.Nullable;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Reading publications with their history, counting states, and working the dead-letter queue. */
public interface Publications {

    Optional<Detail> find(UUID workspaceId, UUID publicationId);

    /** How many publications are in each state, all states listed. */
    Map<String, Long> stateCounts(UUID workspaceId);

    /** Dead letters, newest first; optionally one platform's, and those whose dead reason contains {@code reason}. */
    Page<PublicationView> deadLetters(UUID workspaceId, @Nullable String platform, @Nullable String reason, @Nullable String cursor,
                                      int limit);

    /** Each configured platform's circuit breaker, and the quota buckets this workspace's accounts have used. */
    List<PlatformStatus> platformStatus(UUID workspaceId);

    /**
     * Sends a dead or failed publication again with the same idempotency key, resuming after its last finished step.
     * Refused (422 {@code still_refused}) while its platform would refuse its text or media again.
     */
    PublicationView replay(UUID workspaceId, UUID publicationId);

    /** {@link #replay} for each, all or none: one that cannot be replayed fails the call and replays nothing. */
    List<PublicationView> replayAll(UUID workspaceId, List<UUID> publicationIds);

    /** The account was reconnected: its publications waiting for that go back to the queue. Returns how many. */
    int resumeAccount(UUID workspaceId, String platform, String accountId);

    /** Gives up on a dead letter for good. */
    PublicationView discard(UUID workspaceId, UUID publicationId);

    /**
     * Where a platform stands for a workspace.
     *
     * @param breaker {@code closed}, {@code half_open} or {@code open}
     */
    record PlatformStatus(String platform, String breaker, List<QuotaUse> quotas) {
    }

    /**
     * One token bucket: {@code scope} is an account id, or {@code app} for the quota shared by all accounts.
     *
     * @param available tokens left now; {@code limit - available} are used in the current window
     */
    record QuotaUse(String scope, long limit, java.time.Duration period, long available) {
    }

    /** A publication and everything that happened to it. */
    record Detail(PublicationView publication, List<HistoryEntry> history) {
    }

    /** One attempt or state change. */
    record HistoryEntry(long id, Instant at, @Nullable String from, String to, @Nullable String step, @Nullable String outcome,
                        @Nullable String errorClass, @Nullable Integer responseCode, @Nullable String reason) {
    }
}
