package dev.crosspost.accounts.internal;

import dev.crosspost.publishing.adapter.AccountTokens;

/**
 * A token had to be refreshed before use and the platform could not answer. Not a reason to reconnect: the caller
 * should try again later.
 */
final class TokenRefreshUnavailable extends AccountTokens.TemporarilyUnavailable {

    TokenRefreshUnavailable(String reason) {
        super(reason);
    }
}
