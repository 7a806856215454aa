package dev.crosspost.accounts.internal;

/**
 * A token had to be refreshed before use and the platform could not answer. Not a reason to reconnect: the caller
 * should try again later.
 */
final class TokenRefreshUnavailable extends RuntimeException {

    TokenRefreshUnavailable(String reason) {
        super(reason, null, false, false);
    }
}
