package dev.crosspost.publishing.adapter;

import java.util.UUID;

/**
 * Supplies a usable access token for a connected account. Implemented by the accounts module; without it, the
 * sandbox token is used (the simulators accept any bearer token).
 */
public interface AccountTokens {

    /**
     * A token valid now for the workspace's own account, or throws {@link ReconnectRequired} (gone, revoked, or not
     * this workspace's) or {@link TemporarilyUnavailable} (it must be refreshed and the platform cannot answer now).
     */
    String accessToken(UUID workspaceId, String platform, String accountId);

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
