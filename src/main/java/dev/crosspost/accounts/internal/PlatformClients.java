package dev.crosspost.accounts.internal;

import dev.crosspost.system.CrosspostException;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Picks the protocol of each platform: the OAuth ones by name, and Bluesky's app-password sessions. */
@Component
class PlatformClients {

    static final String BLUESKY = "bluesky";

    private final Map<String, OAuthPlatform> oauth;
    private final BlueskySessions bluesky;
    private final PlatformEndpoints endpoints;

    PlatformClients(List<OAuthPlatform> oauth, BlueskySessions bluesky, PlatformEndpoints endpoints) {
        this.oauth = oauth.stream().collect(Collectors.toUnmodifiableMap(OAuthPlatform::platform, Function.identity()));
        this.bluesky = bluesky;
        this.endpoints = endpoints;
    }

    /** Instagram has no refresh token: its long-lived access token refreshes itself. */
    static boolean refreshesAccessToken(String platform) {
        return "instagram".equals(platform);
    }

    OAuthPlatform oauth(String platform) {
        OAuthPlatform p = oauth.get(platform);
        if (p == null) {
            // PlatformEndpoints explains which platforms exist
            endpoints.of(platform);
            throw new CrosspostException(CrosspostException.Kind.INVALID, "unsupported_platform", "'" + platform + "' has no OAuth flow");
        }
        return p;
    }

    Endpoints endpoints(String platform) {
        return endpoints.of(platform);
    }

    BlueskySessions bluesky() {
        return bluesky;
    }

    Credentials credentials(StoredAccount account, TokenCipher cipher) {
        if (account.accessToken() == null) {
            throw new TokenCipher.Undecryptable("the account has no stored token");
        }
        return new Credentials(cipher.decrypt(account.accessToken()),
                account.refreshToken() == null ? null : cipher.decrypt(account.refreshToken()), account.serviceUrl());
    }

    TokenGrant refresh(StoredAccount account, Credentials current, Instant now) {
        if (BLUESKY.equals(account.platform())) {
            return bluesky.refresh(current, now);
        }
        return oauth(account.platform()).refresh(endpoints.of(account.platform()), current);
    }

    /** Ends the grant at the platform where it has a way to; false when there is none. */
    boolean revoke(StoredAccount account, Credentials current) {
        if (BLUESKY.equals(account.platform())) {
            bluesky.logout(current);
            return true;
        }
        Endpoints e = endpoints.of(account.platform());
        if (e.revokeUrl() == null) {
            return false;
        }
        oauth(account.platform()).revoke(e, current);
        return true;
    }
}
