package dev.crosspost.accounts.internal;

import dev.crosspost.system.LocalOrigin;
import dev.crosspost.sandbox.SandboxSettings;
import dev.crosspost.system.CrosspostException;
import dev.crosspost.system.SystemSettings;
import org.jspecify.annotations.Nullable;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.Map;

/**
 * Resolves each platform's endpoints: the configured ones, the platform's real ones once a client id is set, or the
 * built-in sandbox authorization server (with its fixed sandbox client) when no client id is set and the sandbox runs.
 */
@Component
class PlatformEndpoints {

    /** The sandbox server knows exactly these clients: {@code sandbox-<platform>-client} / {@code -secret}. */
    static String sandboxClientId(String platform) {
        return "sandbox-" + platform + "-client";
    }

    static String sandboxClientSecret(String platform) {
        return "sandbox-" + platform + "-secret";
    }

    /** The platforms' real endpoints (platforms.md, Auth sections). */
    private record Real(String authorize, String token, @Nullable String refresh, @Nullable String exchange, String identity,
                        @Nullable String revoke, List<String> scopes) {
    }

    private static final Map<String, Real> REAL = Map.of(
            "x", new Real("https://x.com/i/oauth2/authorize", "https://api.x.com/2/oauth2/token", null, null,
                    "https://api.x.com/2/users/me", "https://api.x.com/2/oauth2/revoke",
                    List.of("tweet.read", "tweet.write", "users.read", "media.write", "offline.access")),
            "tiktok", new Real("https://www.tiktok.com/v2/auth/authorize/", "https://open.tiktokapis.com/v2/oauth/token/", null, null,
                    "https://open.tiktokapis.com/v2/user/info/", "https://open.tiktokapis.com/v2/oauth/revoke/",
                    List.of("user.info.basic", "video.publish", "video.upload")),
            "pinterest", new Real("https://www.pinterest.com/oauth/", "https://api.pinterest.com/v5/oauth/token", null, null,
                    "https://api.pinterest.com/v5/user_account", null,
                    List.of("boards:read", "boards:write", "pins:read", "pins:write", "user_accounts:read")),
            "youtube", new Real("https://accounts.google.com/o/oauth2/v2/auth", "https://oauth2.googleapis.com/token", null, null,
                    "https://www.googleapis.com/youtube/v3/channels", "https://oauth2.googleapis.com/revoke",
                    List.of("https://www.googleapis.com/auth/youtube.upload", "https://www.googleapis.com/auth/youtube.readonly")),
            "instagram", new Real("https://api.instagram.com/oauth/authorize", "https://api.instagram.com/oauth/access_token",
                    "https://graph.instagram.com/refresh_access_token", "https://graph.instagram.com/access_token",
                    "https://graph.instagram.com/me", null,
                    List.of("instagram_business_basic", "instagram_business_content_publish")));

    static final String REAL_BLUESKY_PDS = "https://bsky.social";

    private final AccountsSettings settings;
    private final SandboxSettings sandbox;
    private final SystemSettings system;
    private final Environment env;

    PlatformEndpoints(AccountsSettings settings, SandboxSettings sandbox, SystemSettings system, Environment env) {
        this.settings = settings;
        this.sandbox = sandbox;
        this.system = system;
        this.env = env;
    }

    static boolean isOAuthPlatform(String platform) {
        return REAL.containsKey(platform);
    }

    Endpoints of(String platform) {
        Real real = REAL.get(platform);
        if (real == null) {
            throw new CrosspostException(CrosspostException.Kind.INVALID, "unsupported_platform",
                    "'" + platform + "' cannot be connected with OAuth; use one of x, instagram, youtube, tiktok, pinterest"
                            + ("bluesky".equals(platform) ? " (Bluesky connects with POST /api/v1/accounts/bluesky)" : ""));
        }
        AccountsSettings.Platform p = settings.platform(platform);
        if (p.configured()) {
            return new Endpoints(platform, or(p.authorizeUrl(), real.authorize()), or(p.tokenUrl(), real.token()),
                    or(p.refreshUrl(), real.refresh() != null ? real.refresh() : or(p.tokenUrl(), real.token())),
                    p.exchangeUrl() != null ? p.exchangeUrl() : real.exchange(), or(p.identityUrl(), real.identity()),
                    p.revokeUrl() != null ? p.revokeUrl() : real.revoke(), p.clientId(), blankToNull(p.clientSecret()),
                    scopes(p, real), false);
        }
        if (!sandbox.enabled()) {
            throw new CrosspostException(CrosspostException.Kind.CONFLICT, "platform_not_configured",
                    platform + " is not configured: set crosspost.accounts.platforms." + platform + ".client-id and .client-secret");
        }
        String server = sandboxServer() + "/sandbox/oauth/" + platform;
        boolean instagram = "instagram".equals(platform);
        return new Endpoints(platform, browserBase() + "/sandbox/oauth/" + platform + "/authorize", server + "/token",
                instagram ? server + "/refresh_access_token" : server + "/token", instagram ? server + "/access_token" : null,
                server + "/me", real.revoke() != null ? server + "/revoke" : null,
                sandboxClientId(platform), sandboxClientSecret(platform), scopes(p, real), true);
    }

    /** The PDS of a Bluesky login that names none. */
    String defaultBlueskyPds() {
        String configured = settings.bluesky().defaultPds();
        if (configured != null && !configured.isBlank()) {
            return stripSlash(configured);
        }
        return sandbox.enabled() ? sandboxServer() + "/sandbox/oauth/bluesky" : REAL_BLUESKY_PDS;
    }

    /** Where the platform sends the owner back to: our callback under the public base URL. */
    String redirectUri(String platform) {
        return browserBase() + "/api/v1/accounts/callback/" + platform;
    }

    private String browserBase() {
        return stripSlash(system.publicBaseUrl());
    }

    // server-to-server calls reach the sandbox on the loopback interface, whatever the public URL is
    private String sandboxServer() {
        return LocalOrigin.of(env);
    }

    private static List<String> scopes(AccountsSettings.Platform p, Real real) {
        return p.scopes() == null || p.scopes().isEmpty() ? real.scopes() : List.copyOf(p.scopes());
    }

    private static String or(@Nullable String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value;
    }

    private static @Nullable String blankToNull(@Nullable String value) {
        return value == null || value.isBlank() ? null : value;
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
