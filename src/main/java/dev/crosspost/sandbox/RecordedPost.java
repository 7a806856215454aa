package dev.crosspost.sandbox;

import org.jspecify.annotations.Nullable;

import java.time.Instant;

/**
 * A post the simulator accepted.
 *
 * @param platform the platform name, e.g. {@code x}
 * @param id {@code <platform>_<seq>}
 * @param url where the post "lives", built from the request that created it
 * @param account the account it was posted as
 * @param text its text
 * @param clientRef the caller's idempotency reference, if it sent one
 * @param uploadId the attached upload, if any
 * @param createdAt when it was accepted, per the application clock
 */
public record RecordedPost(String platform, String id, String url, String account, String text,
                           @Nullable String clientRef, @Nullable String uploadId, Instant createdAt) {
}
