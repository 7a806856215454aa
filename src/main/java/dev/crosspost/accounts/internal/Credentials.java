package dev.crosspost.accounts.internal;

import org.jspecify.annotations.Nullable;

/** An account's decrypted tokens, for the moment they are sent to the platform; never printed. */
record Credentials(String accessToken, @Nullable String refreshToken, @Nullable String serviceUrl) {

    @Override
    public String toString() {
        return "Credentials[****]";
    }
}
