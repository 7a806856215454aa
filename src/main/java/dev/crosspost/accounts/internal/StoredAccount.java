package dev.crosspost.accounts.internal;

import dev.crosspost.accounts.AccountStatus;
import dev.crosspost.accounts.AccountView;
import org.jspecify.annotations.Nullable;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** An {@code accounts} row; the token columns hold ciphertext and are never printed. */
record StoredAccount(UUID id, UUID workspaceId, String platform, String externalId, @Nullable String handle, AccountStatus status,
                     @Nullable String accessToken, @Nullable String refreshToken, @Nullable Instant expiresAt,
                     @Nullable Instant refreshExpiresAt, List<String> scopes, @Nullable String statusReason,
                     @Nullable String serviceUrl, @Nullable Instant refreshAt, Instant createdAt, Instant updatedAt) {

    AccountView view() {
        return new AccountView(id, platform, externalId, handle, status.wireName(), statusReason, scopes, expiresAt,
                status == AccountStatus.CONNECTED ? refreshAt : null, createdAt, updatedAt);
    }

    @Override
    public String toString() {
        return "StoredAccount[" + id + " " + platform + " " + handle + " " + status.wireName() + ", tokens hidden]";
    }
}
