package dev.crosspost.publishing.adapter;

/**
 * Supplies a usable access token for a connected account. Implemented by the accounts module; without it, the
 * sandbox token is used (the simulators accept any bearer token).
 */
public interface AccountTokens {

    /** A token valid now, or throws {@link ReconnectRequired}. */
    String accessToken(String platform, String accountId);

    /** The account must be reconnected by its owner before anything can be published. */
    class ReconnectRequired extends RuntimeException {
        public ReconnectRequired(String message) {
            super(message);
        }
    }
}
