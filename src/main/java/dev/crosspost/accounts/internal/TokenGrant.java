package dev.crosspost.accounts.internal;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * What a token endpoint granted. Fields a platform did not send are null; {@code externalId} and {@code handle} are
 * filled when the grant itself names the account (TikTok {@code open_id}, Instagram {@code user_id}, Bluesky DID).
 */
record TokenGrant(String accessToken, @Nullable String refreshToken, @Nullable Duration expiresIn,
                  @Nullable Duration refreshExpiresIn, @Nullable List<String> scopes, @Nullable String externalId,
                  @Nullable String handle) {

    /** Reads a standard OAuth 2.0 token response; refuses one without an access token. */
    static TokenGrant parse(String platform, String what, JsonNode body) {
        String access = text(body, "access_token");
        if (access == null) {
            throw new PlatformRefused(platform, "no_access_token",
                    platform + " answered the " + what + " without an access token", 200);
        }
        String scope = text(body, "scope");
        return new TokenGrant(access, text(body, "refresh_token"), seconds(body, "expires_in"),
                seconds(body, "refresh_expires_in", "refresh_token_expires_in"), scope == null ? null : splitScopes(scope),
                text(body, "open_id", "user_id"), null);
    }

    TokenGrant withIdentity(@Nullable String id, @Nullable String name) {
        return new TokenGrant(accessToken, refreshToken, expiresIn, refreshExpiresIn, scopes, id, name);
    }

    /** The refresh token to keep: the new one when the platform rotated it, else the one we had. */
    TokenGrant keepingRefreshToken(@Nullable String previous) {
        return refreshToken != null ? this
                : new TokenGrant(accessToken, previous, expiresIn, refreshExpiresIn, scopes, externalId, handle);
    }

    static List<String> splitScopes(String scope) {
        return Arrays.stream(scope.split("[\\s,]+")).filter(s -> !s.isBlank()).toList();
    }

    static @Nullable String text(JsonNode node, String... names) {
        for (String name : names) {
            JsonNode value = node.path(name);
            if (value.isValueNode() && !value.isNull() && !value.asString().isBlank()) {
                return value.asString();
            }
        }
        return null;
    }

    private static @Nullable Duration seconds(JsonNode node, String... names) {
        for (String name : names) {
            JsonNode value = node.path(name);
            if (value.isNumber() && value.asLong() > 0) {
                return Duration.ofSeconds(value.asLong());
            }
            if (value.isString()) {
                try {
                    long s = Long.parseLong(value.asString().trim());
                    if (s > 0) {
                        return Duration.ofSeconds(s);
                    }
                } catch (NumberFormatException e) {
                    // not a number: treat as absent
                }
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return "TokenGrant[accessToken=****, refreshToken=" + (refreshToken == null ? "none" : "****") + ", expiresIn=" + expiresIn
                + ", scopes=" + scopes + ", externalId=" + externalId + ", handle=" + handle + "]";
    }
}
