package dev.crosspost.accounts;

import org.jspecify.annotations.Nullable;

/** What the platform appended to the redirect URI: a code, or an error, plus the state we sent. */
public record AuthorizationCallback(@Nullable String code, @Nullable String state, @Nullable String error,
                                    @Nullable String errorDescription) {

    @Override
    public String toString() {
        // the code is a short-lived credential
        return "AuthorizationCallback[state=" + state + ", error=" + error + "]";
    }
}
