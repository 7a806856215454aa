package dev.crosspost.publishing.engine;

import dev.crosspost.publishing.PublicationState;
import org.jspecify.annotations.Nullable;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * A snapshot of one publication row. Changes are made with the {@code with…}/named methods, which return a new
 * snapshot; {@link PublicationStore#save} writes it if nobody else changed the row meanwhile.
 */
public record Publication(
        UUID id, UUID postId, UUID workspaceId, String platform, String accountId, String idempotencyKey,
        PublicationState state, int stepIndex, @Nullable String stepName, Map<String, String> stepData,
        @Nullable String sentStep, @Nullable Instant sentAt,
        int attempts, int polls, int reconcileAttempts, @Nullable Instant nextAttemptAt, @Nullable String waitingReason,
        @Nullable String platformPostId, @Nullable String platformUrl,
        @Nullable String errorClass, @Nullable String errorCode, @Nullable String errorMessage, @Nullable String deadReason,
        Instant createdAt, Instant updatedAt, int version, @Nullable String requestId) {

    /** Moves to {@code next} after checking the transition table. */
    Publication moveTo(PublicationState next) {
        state.check(next);
        return new Publication(id, postId, workspaceId, platform, accountId, idempotencyKey, next, stepIndex, stepName, stepData,
                sentStep, sentAt, attempts, polls, reconcileAttempts,
                next.waiting() || next == PublicationState.RECONCILING ? nextAttemptAt : null,
                next.waiting() || next == PublicationState.RECONCILING || next == PublicationState.NEEDS_RECONNECT ? waitingReason : null,
                platformPostId, platformUrl, errorClass, errorCode, errorMessage, deadReason, createdAt, updatedAt, version, requestId);
    }

    Publication waitUntil(Instant at, String reason) {
        return new Publication(id, postId, workspaceId, platform, accountId, idempotencyKey, state, stepIndex, stepName, stepData,
                sentStep, sentAt, attempts, polls, reconcileAttempts, at, reason,
                platformPostId, platformUrl, errorClass, errorCode, errorMessage, deadReason, createdAt, updatedAt, version, requestId);
    }

    Publication atStep(int index, @Nullable String name) {
        return new Publication(id, postId, workspaceId, platform, accountId, idempotencyKey, state, index, name, stepData,
                sentStep, sentAt, attempts, polls, reconcileAttempts, nextAttemptAt, waitingReason,
                platformPostId, platformUrl, errorClass, errorCode, errorMessage, deadReason, createdAt, updatedAt, version, requestId);
    }

    Publication withOutputs(Map<String, String> outputs) {
        Map<String, String> merged = new HashMap<>(stepData);
        merged.putAll(outputs);
        return new Publication(id, postId, workspaceId, platform, accountId, idempotencyKey, state, stepIndex, stepName, Map.copyOf(merged),
                sentStep, sentAt, attempts, polls, reconcileAttempts, nextAttemptAt, waitingReason,
                platformPostId, platformUrl, errorClass, errorCode, errorMessage, deadReason, createdAt, updatedAt, version, requestId);
    }

    /** Records that an effect is about to be sent: after a crash this marks the outcome as unknown. */
    Publication sending(String step, Instant at) {
        return new Publication(id, postId, workspaceId, platform, accountId, idempotencyKey, state, stepIndex, stepName, stepData,
                step, at, attempts, polls, reconcileAttempts, nextAttemptAt, waitingReason,
                platformPostId, platformUrl, errorClass, errorCode, errorMessage, deadReason, createdAt, updatedAt, version, requestId);
    }

    Publication sendSettled() {
        return new Publication(id, postId, workspaceId, platform, accountId, idempotencyKey, state, stepIndex, stepName, stepData,
                null, null, attempts, polls, reconcileAttempts, nextAttemptAt, waitingReason,
                platformPostId, platformUrl, errorClass, errorCode, errorMessage, deadReason, createdAt, updatedAt, version, requestId);
    }

    Publication counting(int newAttempts, int newPolls, int newReconcileAttempts) {
        return new Publication(id, postId, workspaceId, platform, accountId, idempotencyKey, state, stepIndex, stepName, stepData,
                sentStep, sentAt, newAttempts, newPolls, newReconcileAttempts, nextAttemptAt, waitingReason,
                platformPostId, platformUrl, errorClass, errorCode, errorMessage, deadReason, createdAt, updatedAt, version, requestId);
    }

    Publication withError(@Nullable String cls, @Nullable String code, @Nullable String message) {
        return new Publication(id, postId, workspaceId, platform, accountId, idempotencyKey, state, stepIndex, stepName, stepData,
                sentStep, sentAt, attempts, polls, reconcileAttempts, nextAttemptAt, waitingReason,
                platformPostId, platformUrl, cls, code, message, deadReason, createdAt, updatedAt, version, requestId);
    }

    Publication published(String postIdOnPlatform, @Nullable String url) {
        return new Publication(id, postId, workspaceId, platform, accountId, idempotencyKey, state, stepIndex, stepName, stepData,
                null, null, attempts, polls, reconcileAttempts, null, null,
                postIdOnPlatform, url, null, null, null, null, createdAt, updatedAt, version, requestId);
    }

    Publication dead(String reason) {
        return new Publication(id, postId, workspaceId, platform, accountId, idempotencyKey, state, stepIndex, stepName, stepData,
                sentStep, sentAt, attempts, polls, reconcileAttempts, null, null,
                platformPostId, platformUrl, errorClass, errorCode, errorMessage, reason, createdAt, updatedAt, version, requestId);
    }

    /** Replay: same idempotency key and finished steps, fresh attempt budget. */
    Publication replayed() {
        return new Publication(id, postId, workspaceId, platform, accountId, idempotencyKey, state, stepIndex, stepName, stepData,
                sentStep, sentAt, 0, 0, 0, null, null,
                platformPostId, platformUrl, null, null, null, null, createdAt, updatedAt, version, requestId);
    }
}
