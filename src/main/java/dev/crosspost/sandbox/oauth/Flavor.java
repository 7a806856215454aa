package dev.crosspost.sandbox.oauth;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * How each simulated OAuth platform differs (platforms.md, Auth sections): where the client authenticates, token
 * lifetimes, whether refresh tokens rotate, the scope separator, and the envelope its errors come in.
 */
enum Flavor {

    /** Basic auth (confidential) or client_id (public); PKCE required; refresh only with offline.access; rotates. */
    X("x", Duration.ofHours(2), null, true, " "),
    /** client_key + client_secret in the body; refresh rotates. */
    TIKTOK("tiktok", Duration.ofHours(24), Duration.ofDays(365), true, ","),
    /** HTTP Basic only; continuous refresh tokens (not rotated). */
    PINTEREST("pinterest", Duration.ofDays(30), Duration.ofDays(60), false, ","),
    /** Google: client_id + client_secret in the body; refresh token only with access_type=offline. */
    YOUTUBE("youtube", Duration.ofSeconds(3599), null, false, " "),
    /** Instagram Login: a 1 h token from the code, 60 days once exchanged; no refresh tokens. */
    INSTAGRAM("instagram", Duration.ofHours(1), null, false, ",");

    static final Duration INSTAGRAM_LONG_LIVED = Duration.ofDays(60);

    final String platform;
    final Duration accessTtl;
    final @Nullable Duration refreshTtl;
    final boolean rotatesRefreshTokens;
    final String scopeSeparator;

    Flavor(String platform, Duration accessTtl, @Nullable Duration refreshTtl, boolean rotatesRefreshTokens, String scopeSeparator) {
        this.platform = platform;
        this.accessTtl = accessTtl;
        this.refreshTtl = refreshTtl;
        this.rotatesRefreshTokens = rotatesRefreshTokens;
        this.scopeSeparator = scopeSeparator;
    }

    static Optional<Flavor> of(String platform) {
        for (Flavor f : values()) {
            if (f.platform.equals(platform)) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }

    /** The authorize URL's name for the client id. */
    String clientIdParameter() {
        return this == TIKTOK ? "client_key" : "client_id";
    }

    /** A token-endpoint error in this platform's envelope. */
    OAuthError error(HttpStatus status, String code, String description) {
        Map<String, Object> body = new LinkedHashMap<>();
        switch (this) {
            case PINTEREST -> {
                // Pinterest answers every error as {code, message} (v5 OpenAPI); the numbers are the simulator's
                body.put("code", status == HttpStatus.UNAUTHORIZED ? 2 : status.is5xxServerError() ? 3 : 1);
                body.put("message", description + " (" + code + ")");
            }
            case INSTAGRAM -> {
                // api.instagram.com's token endpoint
                body.put("error_type", "OAuthException");
                body.put("code", status.value());
                body.put("error_message", description);
            }
            default -> {
                body.put("error", code);
                body.put("error_description", description);
                if (this == TIKTOK) {
                    body.put("log_id", logId());
                }
            }
        }
        return new OAuthError(status, body);
    }

    /** An error of a resource endpoint (identity), shaped like the platform's API errors. */
    OAuthError apiError(HttpStatus status, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        switch (this) {
            case X -> {
                body.put("title", status.getReasonPhrase());
                body.put("type", "about:blank");
                body.put("status", status.value());
                body.put("detail", message);
            }
            case TIKTOK -> {
                body.put("data", Map.of());
                body.put("error", Map.of("code", status == HttpStatus.UNAUTHORIZED ? "access_token_invalid" : "internal_error",
                        "message", message, "log_id", logId()));
            }
            case PINTEREST -> {
                body.put("code", 2);
                body.put("message", message);
            }
            case YOUTUBE -> body.put("error", Map.of("code", status.value(), "message", message,
                    "status", status == HttpStatus.UNAUTHORIZED ? "UNAUTHENTICATED" : "INTERNAL"));
            case INSTAGRAM -> body.put("error", graphError(message, status == HttpStatus.UNAUTHORIZED ? 190 : 2));
        }
        return new OAuthError(status, body);
    }

    /** Meta Graph's error object ({@code graph.instagram.com}). */
    static Map<String, Object> graphError(String message, int code) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("message", message);
        error.put("type", "OAuthException");
        error.put("code", code);
        if (code == 2) {
            error.put("is_transient", true);
        }
        error.put("fbtrace_id", logId());
        return error;
    }

    /** The account the platform knows for a sandbox login, with the id format the platform uses. */
    Map<String, Object> identity(String user) {
        byte[] h = sha256(platform + ":" + user);
        String number = new BigInteger(1, java.util.Arrays.copyOf(h, 8)).toString();
        Map<String, Object> body = new LinkedHashMap<>();
        switch (this) {
            case X -> body.put("data", Map.of("id", number, "name", "Sandbox " + user, "username", user));
            case TIKTOK -> {
                body.put("data", Map.of("user", Map.of("open_id", openId(user), "display_name", "Sandbox " + user)));
                body.put("error", Map.of("code", "ok", "message", "", "log_id", logId()));
            }
            case PINTEREST -> {
                body.put("account_type", "BUSINESS");
                body.put("id", number);
                body.put("username", user);
            }
            case YOUTUBE -> {
                body.put("kind", "youtube#channelListResponse");
                body.put("items", java.util.List.of(Map.of("kind", "youtube#channel",
                        "id", "UC" + Base64.getUrlEncoder().withoutPadding().encodeToString(java.util.Arrays.copyOf(h, 16)).substring(0, 22),
                        "snippet", Map.of("title", "Sandbox " + user, "customUrl", "@" + user))));
            }
            case INSTAGRAM -> {
                body.put("user_id", instagramUserId(user));
                body.put("username", user);
                body.put("id", number);
            }
        }
        return body;
    }

    String openId(String user) {
        return "-000" + UUID.nameUUIDFromBytes(("tiktok:" + user).getBytes(StandardCharsets.UTF_8)).toString().replace("-", "");
    }

    String instagramUserId(String user) {
        return "17841" + new BigInteger(1, java.util.Arrays.copyOf(sha256("ig:" + user), 5)).toString();
    }

    static String logId() {
        return UUID.randomUUID().toString().replace("-", "").toUpperCase(Locale.ROOT).substring(0, 24);
    }

    static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
