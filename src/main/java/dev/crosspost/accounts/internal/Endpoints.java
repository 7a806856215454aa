package dev.crosspost.accounts.internal;

import org.jspecify.annotations.Nullable;

import java.util.List;

/**
 * Where one platform's authorization lives and who we are to it, resolved from settings.
 *
 * @param clientSecret null only for an X public client
 * @param revokeUrl null when the platform has no revoke endpoint
 */
record Endpoints(String platform, String authorizeUrl, String tokenUrl, String refreshUrl, @Nullable String exchangeUrl,
                 String identityUrl, @Nullable String revokeUrl, String clientId, @Nullable String clientSecret,
                 List<String> scopes, boolean sandbox) {

    @Override
    public String toString() {
        return "Endpoints[" + platform + (sandbox ? " (sandbox)" : "") + ", clientId=" + clientId + "]";
    }
}
