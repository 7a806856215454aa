package dev.crosspost.publishing.adapter;

import org.jspecify.annotations.Nullable;

import java.util.UUID;

/**
 * Supplies a usable access token for a connected account. Implemented by the accounts module; without it, the
 * sandbox token is used (the simulators accept any bearer token).
 */
public interface AccountTokens {

    /**
     * A credential valid now for the workspace's own account, or throws {@link ReconnectRequired} (gone, revoked, or not
     * this workspace's) or {@link TemporarilyUnavailable} (it must be refreshed and the platform cannot answer now).
     */
    Credential credential(UUID workspaceId, String platform, String accountId);

    /** Just the token of {@link #credential}. */
    default String accessToken(UUID workspaceId, String platform, String accountId) {
        return credential(workspaceId, platform, accountId).accessToken();
    }

    /**
     * A usable token and who it speaks for on the platform.
     *
     * @param platformUserId the platform's own id of the account (X user id, Instagram user id, Bluesky DID, …)
     * @param handle the account's display handle, when the platform has one
     * @param serviceUrl where the account lives when that varies per account (a Bluesky PDS)
     */
    record Credential(String accessToken, String platformUserId, @Nullable String handle, @Nullable String serviceUrl) {
        @Override
        public String toString() {
            return "Credential[" + platformUserId + " " + handle + ", token hidden]";
        }
    }

    /** The account must be reconnected by its owner before anything can be published. */
    class ReconnectRequired extends RuntimeException {
        public ReconnectRequired(String message) {
            super(message);
        }
    }

    /** No usable token right now, but nothing the owner must do: try again later. */
    class TemporarilyUnavailable extends RuntimeException {
        public TemporarilyUnavailable(String message) {
            super(message, null, false, false);
        }
    }
}
