package dev.crosspost.accounts;

import org.jspecify.annotations.Nullable;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A connected account as callers see it: never its tokens.
 *
 * @param externalId the platform's id of the account (user id, open_id, channel id, DID)
 * @param status {@code connected}, {@code reconnect_required} or {@code disconnected}
 * @param statusReason why it is not connected, in the platform's words where it gave any
 * @param expiresAt when the current access token expires
 * @param nextRefreshAt when the token will be refreshed, if a refresh is planned
 */
public record AccountView(UUID id, String platform, String externalId, @Nullable String handle, String status,
                          @Nullable String statusReason, List<String> scopes, @Nullable Instant expiresAt,
                          @Nullable Instant nextRefreshAt, Instant createdAt, Instant updatedAt) {
}
