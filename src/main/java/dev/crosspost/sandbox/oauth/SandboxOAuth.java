package dev.crosspost.sandbox.oauth;

import org.jspecify.annotations.Nullable;

import java.util.List;
import java.util.Optional;

/** Test and demo controls of the simulated authorization servers (also over HTTP under {@code /sandbox/oauth}). */
public interface SandboxOAuth {

    /** The client every simulated server accepts for the platform: {@code sandbox-<platform>-client}. */
    static String clientId(String platform) {
        return "sandbox-" + platform + "-client";
    }

    static String clientSecret(String platform) {
        return "sandbox-" + platform + "-secret";
    }

    /** Revokes the user's grants (every user's when null), as if they removed the app; returns how many. */
    int revokeGrant(String platform, @Nullable String user);

    /** Makes the authorize page answer {@code error=access_denied}, as if the user declined. */
    void deny(String platform, boolean deny);

    /** The next {@code count} token-endpoint calls (exchange, refresh, Bluesky sessions) fail with a 503. */
    void failNextTokenRequests(String platform, int count);

    /** The user a live access token of the platform was issued to; empty when unknown, expired or revoked (what API calls check). */
    Optional<String> userOf(String platform, String accessToken);

    /** Every access and refresh token the platform ever issued, for leak checks. */
    List<String> issuedTokens(String platform);

    /** Forgets codes, grants, tokens and switches of every platform. */
    void reset();
}
