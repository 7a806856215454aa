package dev.crosspost.accounts.internal;

import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Bluesky app-password sessions on the account's PDS: {@code createSession}, {@code refreshSession} (the refreshJwt as
 * bearer, no body; both JWTs rotate) and {@code deleteSession}. Lifetimes come from the JWTs' {@code exp}, since
 * the XRPC answers carry none.
 */
@Component
class BlueskySessions {

    private static final Duration ASSUMED_ACCESS_LIFETIME = Duration.ofHours(2);
    private final PlatformHttp http;
    private final JsonMapper json;

    BlueskySessions(PlatformHttp http, JsonMapper json) {
        this.http = http;
        this.json = json;
    }

    TokenGrant login(String pds, String identifier, String appPassword, Instant now) {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("identifier", identifier);
        body.put("password", appPassword);
        return session("login", http.send(http.json("bluesky", "login", pds + "/xrpc/com.atproto.server.createSession", body)), now);
    }

    TokenGrant refresh(Credentials current, Instant now) {
        if (current.refreshToken() == null || current.serviceUrl() == null) {
            throw new PlatformRefused("bluesky", "no_refresh_token", "bluesky: no session to refresh; log in again", 0);
        }
        return session("session refresh", http.send(http.json("bluesky", "session refresh",
                current.serviceUrl() + "/xrpc/com.atproto.server.refreshSession", null).bearer(current.refreshToken())), now);
    }

    void logout(Credentials current) {
        if (current.refreshToken() != null && current.serviceUrl() != null) {
            http.sendIgnoringBody(http.json("bluesky", "logout", current.serviceUrl() + "/xrpc/com.atproto.server.deleteSession", null)
                    .bearer(current.refreshToken()));
        }
    }

    private TokenGrant session(String what, JsonNode body, Instant now) {
        String access = TokenGrant.text(body, "accessJwt");
        String did = TokenGrant.text(body, "did");
        if (access == null || did == null) {
            throw new PlatformRefused("bluesky", "no_access_token", "bluesky answered the " + what + " without an accessJwt and did", 200);
        }
        String refresh = TokenGrant.text(body, "refreshJwt");
        Duration accessLife = lifetime(access, now);
        return new TokenGrant(access, refresh, accessLife != null ? accessLife : ASSUMED_ACCESS_LIFETIME,
                refresh == null ? null : lifetime(refresh, now), null, did, TokenGrant.text(body, "handle"));
    }

    /** The time left until a JWT's {@code exp}; the signature is the PDS's business, not ours. */
    private @Nullable Duration lifetime(String jwt, Instant now) {
        String[] parts = jwt.split("\\.");
        if (parts.length < 2) {
            return null;
        }
        try {
            JsonNode claims = json.readTree(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
            long exp = claims.path("exp").asLong(0);
            if (exp <= 0) {
                return null;
            }
            Duration left = Duration.between(now, Instant.ofEpochSecond(exp));
            return left.isNegative() || left.isZero() ? Duration.ofSeconds(1) : left;
        } catch (IllegalArgumentException | JacksonException e) {
            return null;
        }
    }
}
