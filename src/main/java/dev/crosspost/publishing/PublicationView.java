package dev.crosspost.publishing;

import org.jspecify.annotations.Nullable;

import java.time.Instant;
import java.util.UUID;

/**
 * One publication as callers see it: where it stands, why it waits and until when, the platform's own error, and
 * where it landed.
 */
public record PublicationView(UUID id, UUID postId, String platform, String accountId, String state, @Nullable String step,
                              @Nullable Instant nextAttemptAt, @Nullable String waitingReason, @Nullable String platformPostId,
                              @Nullable String platformUrl, @Nullable ErrorView error, int attempts, @Nullable String deadReason,
                              String idempotencyKey, Instant updatedAt) {

    /** The last error, in the platform's words, with its class. */
    public record ErrorView(@Nullable String errorClass, @Nullable String code, @Nullable String message) {
    }
}
