package dev.crosspost.sandbox.oauth;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.util.UriComponentsBuilder;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * The state and rules of the simulated OAuth servers: codes (single use, {@code code-ttl} by the clock, bound to
 * client, redirect URI and PKCE challenge), grants, access and refresh tokens (rotated where the platform rotates
 * them), revocation, and the switches tests flip. One lock guards everything: it is a simulator.
 */
@Component
@OAuthSandboxEnabled
class AuthorizationServer implements SandboxOAuth {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private final SandboxOAuthSettings settings;
    private final Clock clock;

    private final Map<String, Code> codes = new HashMap<>();
    private final Map<String, Grant> grants = new HashMap<>();
    private final Map<String, Token> tokens = new HashMap<>();
    private final Map<String, Boolean> denied = new HashMap<>();
    private final Map<String, Integer> failures = new HashMap<>();
    private final Map<String, List<String>> issued = new HashMap<>();

    AuthorizationServer(SandboxOAuthSettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
    }

    /** An authorization code and everything it was issued for. */
    private record Code(String value, String platform, String clientId, String redirectUri, @Nullable String challenge,
                        @Nullable String method, String scope, String user, boolean offline, Instant issuedAt,
                        @Nullable String grantId) {
        Code redeemed(String grant) {
            return new Code(value, platform, clientId, redirectUri, challenge, method, scope, user, offline, issuedAt, grant);
        }
    }

    /** The user's consent to the app: all its tokens die with it. */
    private static final class Grant {
        final String id = UUID.randomUUID().toString();
        final String platform;
        final String user;
        final String scope;
        final boolean offline;
        boolean revoked;

        Grant(String platform, String user, String scope, boolean offline) {
            this.platform = platform;
            this.user = user;
            this.scope = scope;
            this.offline = offline;
        }
    }

    /** What a token is. */
    enum Kind { ACCESS, SHORT_LIVED, REFRESH }

    private record Token(String value, Kind kind, String grantId, Instant issuedAt, @Nullable Instant expiresAt) {
        boolean expired(Instant now) {
            return expiresAt != null && !now.isBefore(expiresAt);
        }
    }

    // ---- authorize

    /** Approves at once (or declines when denied) and returns where the browser goes next. */
    synchronized URI authorize(Flavor f, Map<String, String> q) {
        String clientId = q.get(f.clientIdParameter());
        if (!SandboxOAuth.clientId(f.platform).equals(clientId)) {
            // an unknown client never gets a redirect (RFC 6749 4.1.2.1)
            throw f.error(HttpStatus.BAD_REQUEST, "invalid_client", "unknown " + f.clientIdParameter() + " '" + clientId + "'");
        }
        String redirectUri = q.get("redirect_uri");
        if (redirectUri == null || !(redirectUri.startsWith("http://") || redirectUri.startsWith("https://"))) {
            throw f.error(HttpStatus.BAD_REQUEST, "invalid_request", "redirect_uri must be an absolute http(s) URL");
        }
        String state = q.get("state");
        if (!"code".equals(q.get("response_type"))) {
            return redirect(redirectUri, state, "unsupported_response_type", "response_type must be code");
        }
        String challenge = q.get("code_challenge");
        String method = q.getOrDefault("code_challenge_method", challenge == null ? null : "plain");
        if (f == Flavor.X && challenge == null) {
            return redirect(redirectUri, state, "invalid_request", "code_challenge is required");
        }
        if (method != null && !method.equals("S256") && !method.equals("plain")) {
            return redirect(redirectUri, state, "invalid_request", "code_challenge_method must be S256 or plain");
        }
        if (Boolean.TRUE.equals(denied.get(f.platform)) || settings.deny().contains(f.platform) || "true".equals(q.get("deny"))) {
            return redirect(redirectUri, state, "access_denied", "The user denied access");
        }
        String scope = q.getOrDefault("scope", "");
        boolean offline = switch (f) {
            case X -> List.of(scope.split(" ")).contains("offline.access");
            case YOUTUBE -> "offline".equals(q.get("access_type"));
            case TIKTOK, PINTEREST -> true;
            case INSTAGRAM -> false;
        };
        // login_hint chooses who "signs in"; everyone else is the sandbox user
        String user = q.getOrDefault("login_hint", "sandbox_user");
        Code code = new Code(random(24), f.platform, clientId, redirectUri, challenge, method, scope, user, offline, clock.instant(), null);
        codes.put(code.value(), code);
        return UriComponentsBuilder.fromUriString(redirectUri).queryParam("code", code.value())
                .queryParamIfPresent("state", java.util.Optional.ofNullable(state)).encode().build().toUri();
    }

    private static URI redirect(String redirectUri, @Nullable String state, String error, String description) {
        return UriComponentsBuilder.fromUriString(redirectUri).queryParam("error", error).queryParam("error_description", description)
                .queryParamIfPresent("state", java.util.Optional.ofNullable(state)).encode().build().toUri();
    }

    // ---- token endpoint

    synchronized Map<String, Object> token(Flavor f, Map<String, String> form, @Nullable String authorization) {
        failIfAsked(f);
        String client = authenticate(f, form, authorization);
        Instant now = clock.instant();
        return switch (form.getOrDefault("grant_type", "")) {
            case "authorization_code" -> exchange(f, client, form, now);
            case "refresh_token" -> {
                if (f == Flavor.INSTAGRAM) {
                    throw f.error(HttpStatus.BAD_REQUEST, "unsupported_grant_type", "Instagram refreshes with ig_refresh_token");
                }
                yield refresh(f, form, now);
            }
            default -> throw f.error(HttpStatus.BAD_REQUEST, "unsupported_grant_type",
                    "grant_type must be authorization_code or refresh_token");
        };
    }

    private Map<String, Object> exchange(Flavor f, String client, Map<String, String> form, Instant now) {
        String value = form.get("code");
        Code code = value == null ? null : codes.get(value);
        if (code == null || !code.platform().equals(f.platform)) {
            throw f.error(HttpStatus.BAD_REQUEST, "invalid_grant", "The authorization code is invalid");
        }
        if (code.grantId() != null) {
            // a replayed code: RFC 6749 10.5 says revoke what it bought
            Grant g = grants.get(code.grantId());
            if (g != null) {
                g.revoked = true;
            }
            throw f.error(HttpStatus.BAD_REQUEST, "invalid_grant", "The authorization code was already used");
        }
        if (!code.clientId().equals(client)) {
            throw f.error(HttpStatus.BAD_REQUEST, "invalid_grant", "The authorization code was issued to another client");
        }
        if (!now.isBefore(code.issuedAt().plus(settings.codeTtl()))) {
            throw f.error(HttpStatus.BAD_REQUEST, "invalid_grant", "The authorization code expired after " + settings.codeTtl().toSeconds() + "s");
        }
        if (!code.redirectUri().equals(form.get("redirect_uri"))) {
            throw f.error(HttpStatus.BAD_REQUEST, "invalid_grant", "redirect_uri does not match the authorization request");
        }
        if (code.challenge() != null) {
            String verifier = form.get("code_verifier");
            if (verifier == null || verifier.isBlank()) {
                throw f.error(HttpStatus.BAD_REQUEST, "invalid_request", "code_verifier is required");
            }
            String derived = "S256".equals(code.method()) ? s256(verifier) : verifier;
            if (!MessageDigest.isEqual(derived.getBytes(StandardCharsets.US_ASCII), code.challenge().getBytes(StandardCharsets.US_ASCII))) {
                throw f.error(HttpStatus.BAD_REQUEST, "invalid_grant", "code_verifier does not match the code_challenge");
            }
        }
        Grant grant = new Grant(f.platform, code.user(), code.scope(), code.offline());
        grants.put(grant.id, grant);
        codes.put(code.value(), code.redeemed(grant.id));
        if (f == Flavor.INSTAGRAM) {
            Token shortLived = issue(f.platform, Kind.SHORT_LIVED, grant, now, f.accessTtl);
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("access_token", shortLived.value());
            body.put("user_id", Long.parseLong(f.instagramUserId(grant.user)));
            body.put("permissions", grant.scope);
            return body;
        }
        Token access = issue(f.platform, Kind.ACCESS, grant, now, f.accessTtl);
        Token refresh = grant.offline ? issue(f.platform, Kind.REFRESH, grant, now, f.refreshTtl) : null;
        return tokenResponse(f, grant, access, refresh, true);
    }

    private Map<String, Object> refresh(Flavor f, Map<String, String> form, Instant now) {
        Token old = tokens.get(form.getOrDefault("refresh_token", ""));
        Grant grant = old == null ? null : grants.get(old.grantId());
        if (old == null || old.kind() != Kind.REFRESH || grant == null || !grant.platform.equals(f.platform)) {
            throw f.error(HttpStatus.BAD_REQUEST, "invalid_grant", "The refresh token is invalid");
        }
        if (grant.revoked) {
            throw f.error(HttpStatus.BAD_REQUEST, "invalid_grant", "Token has been expired or revoked.");
        }
        if (old.expired(now)) {
            throw f.error(HttpStatus.BAD_REQUEST, "invalid_grant", "The refresh token expired");
        }
        Token access = issue(f.platform, Kind.ACCESS, grant, now, f.accessTtl);
        Token refresh = null;
        if (f.rotatesRefreshTokens) {
            // the old refresh token is spent: using it again is invalid_grant
            tokens.remove(old.value());
            refresh = issue(f.platform, Kind.REFRESH, grant, now, f.refreshTtl);
        }
        return tokenResponse(f, grant, access, refresh, false);
    }

    private Map<String, Object> tokenResponse(Flavor f, Grant grant, Token access, @Nullable Token refresh, boolean initial) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("access_token", access.value());
        body.put("expires_in", f.accessTtl.toSeconds());
        switch (f) {
            case X -> {
                body.put("token_type", "bearer");
                body.put("scope", grant.scope);
            }
            case TIKTOK -> {
                body.put("open_id", f.openId(grant.user));
                body.put("scope", grant.scope);
                body.put("token_type", "Bearer");
                if (refresh != null) {
                    body.put("refresh_expires_in", Objects.requireNonNull(f.refreshTtl).toSeconds());
                }
            }
            case PINTEREST -> {
                body.put("token_type", "bearer");
                body.put("scope", grant.scope);
                body.put("response_type", initial ? "authorization_code" : "refresh_token");
                if (refresh != null) {
                    body.put("refresh_token_expires_in", Objects.requireNonNull(f.refreshTtl).toSeconds());
                    body.put("refresh_token_expires_at", Objects.requireNonNull(refresh.expiresAt()).getEpochSecond());
                }
            }
            case YOUTUBE -> {
                body.put("scope", grant.scope);
                body.put("token_type", "Bearer");
            }
            case INSTAGRAM -> body.put("token_type", "bearer");
        }
        if (refresh != null) {
            body.put("refresh_token", refresh.value());
        }
        return body;
    }

    /** Where each platform expects the client: Basic (Pinterest, confidential X), form body (the rest). */
    private String authenticate(Flavor f, Map<String, String> form, @Nullable String authorization) {
        String expectedId = SandboxOAuth.clientId(f.platform);
        String expectedSecret = SandboxOAuth.clientSecret(f.platform);
        String[] basic = basic(authorization);
        switch (f) {
            case PINTEREST, X -> {
                if (basic != null) {
                    if (!basic[0].equals(expectedId) || !basic[1].equals(expectedSecret)) {
                        throw f.error(HttpStatus.UNAUTHORIZED, f == Flavor.X ? "unauthorized_client" : "invalid_client", "Authentication failed");
                    }
                    return basic[0];
                }
                if (f == Flavor.PINTEREST) {
                    throw f.error(HttpStatus.UNAUTHORIZED, "invalid_client", "Authentication failed: send the client as HTTP Basic");
                }
                // an X public client names itself and has no secret
                if (!expectedId.equals(form.get("client_id")) || form.containsKey("client_secret")) {
                    throw f.error(HttpStatus.UNAUTHORIZED, "unauthorized_client", "Missing valid authorization header");
                }
                return expectedId;
            }
            default -> {
                if (basic != null) {
                    throw f.error(HttpStatus.UNAUTHORIZED, "invalid_client",
                            "send " + f.clientIdParameter() + " and client_secret in the form body");
                }
                if (!expectedId.equals(form.get(f.clientIdParameter())) || !expectedSecret.equals(form.get("client_secret"))) {
                    throw f.error(HttpStatus.UNAUTHORIZED, "invalid_client", "The client credentials are invalid");
                }
                return expectedId;
            }
        }
    }

    // ---- revocation and identity

    synchronized Map<String, Object> revoke(Flavor f, Map<String, String> form, @Nullable String authorization) {
        if (f != Flavor.YOUTUBE) {
            authenticate(f, form, authorization);
        }
        Token token = tokens.get(form.getOrDefault("token", ""));
        Grant grant = token == null ? null : grants.get(token.grantId());
        if (grant == null || !grant.platform.equals(f.platform)) {
            if (f == Flavor.YOUTUBE) {
                throw f.error(HttpStatus.BAD_REQUEST, "invalid_token", "Token expired or revoked");
            }
            // RFC 7009: an unknown token is answered as revoked
            return f == Flavor.X ? Map.of("revoked", true) : Map.of();
        }
        grant.revoked = true;
        return f == Flavor.X ? Map.of("revoked", true) : Map.of();
    }

    synchronized Map<String, Object> identity(Flavor f, @Nullable String accessToken) {
        Grant grant = validAccess(f.platform, accessToken, Kind.ACCESS);
        if (grant == null) {
            throw f.apiError(HttpStatus.UNAUTHORIZED, f == Flavor.INSTAGRAM ? "Invalid OAuth access token - Cannot parse access token"
                    : "Unauthorized");
        }
        return f.identity(grant.user);
    }

    private @Nullable Grant validAccess(String platform, @Nullable String value, Kind kind) {
        Token token = value == null ? null : tokens.get(value);
        Grant grant = token == null ? null : grants.get(token.grantId());
        if (token == null || token.kind() != kind || grant == null || grant.revoked || !grant.platform.equals(platform)
                || token.expired(clock.instant())) {
            return null;
        }
        return grant;
    }

    // ---- Instagram's graph endpoints

    synchronized Map<String, Object> instagramExchange(Map<String, String> q) {
        failIfAsked(Flavor.INSTAGRAM);
        if (!"ig_exchange_token".equals(q.get("grant_type"))) {
            throw graph(HttpStatus.BAD_REQUEST, "Unsupported grant_type: use ig_exchange_token", 100);
        }
        if (!SandboxOAuth.clientSecret("instagram").equals(q.get("client_secret"))) {
            throw graph(HttpStatus.BAD_REQUEST, "Error validating client secret.", 101);
        }
        Grant grant = validAccess("instagram", q.get("access_token"), Kind.SHORT_LIVED);
        if (grant == null) {
            throw graph(HttpStatus.BAD_REQUEST, "Error validating access token: the short-lived token is invalid or expired", 190);
        }
        return longLived(grant, clock.instant());
    }

    synchronized Map<String, Object> instagramRefresh(Map<String, String> q) {
        failIfAsked(Flavor.INSTAGRAM);
        if (!"ig_refresh_token".equals(q.get("grant_type"))) {
            throw graph(HttpStatus.BAD_REQUEST, "Unsupported grant_type: use ig_refresh_token", 100);
        }
        Token token = tokens.get(q.getOrDefault("access_token", ""));
        Grant grant = validAccess("instagram", q.get("access_token"), Kind.ACCESS);
        if (token == null || grant == null) {
            throw graph(HttpStatus.BAD_REQUEST, "Error validating access token: Session has expired or the user has revoked access", 190);
        }
        Instant now = clock.instant();
        if (Duration.between(token.issuedAt(), now).compareTo(Duration.ofHours(24)) < 0) {
            throw graph(HttpStatus.BAD_REQUEST, "The access token must be at least 24 hours old to be refreshed", 100);
        }
        return longLived(grant, now);
    }

    private Map<String, Object> longLived(Grant grant, Instant now) {
        Token token = issue("instagram", Kind.ACCESS, grant, now, Flavor.INSTAGRAM_LONG_LIVED);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("access_token", token.value());
        body.put("token_type", "bearer");
        body.put("expires_in", Flavor.INSTAGRAM_LONG_LIVED.toSeconds());
        return body;
    }

    private static OAuthError graph(HttpStatus status, String message, int code) {
        return new OAuthError(status, Map.of("error", Flavor.graphError(message, code)));
    }

    // ---- Bluesky PDS sessions (app passwords)

    static final Duration BLUESKY_ACCESS_TTL = Duration.ofHours(2);
    static final Duration BLUESKY_REFRESH_TTL = Duration.ofDays(90);

    synchronized Map<String, Object> createSession(@Nullable String identifier, @Nullable String password) {
        failIfAsked("bluesky");
        if (identifier == null || identifier.isBlank() || password == null) {
            throw xrpc(HttpStatus.BAD_REQUEST, "InvalidRequest", "identifier and password are required");
        }
        // the PDS accepts app passwords only, in their xxxx-xxxx-xxxx-xxxx form
        if (!password.matches("[a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4}")) {
            throw xrpc(HttpStatus.UNAUTHORIZED, "AuthenticationRequired", "Invalid identifier or password");
        }
        String handle = blueskyHandle(identifier.trim());
        Grant grant = new Grant("bluesky", handle, "com.atproto.appPass", true);
        grants.put(grant.id, grant);
        return session(grant, clock.instant());
    }

    synchronized Map<String, Object> refreshSession(@Nullable String authorization) {
        failIfAsked("bluesky");
        Token old = tokens.get(bearer(authorization));
        Grant grant = old == null ? null : grants.get(old.grantId());
        if (old == null || grant == null || !grant.platform.equals("bluesky")) {
            throw xrpc(HttpStatus.BAD_REQUEST, "InvalidToken", "Token could not be verified");
        }
        if (old.kind() != Kind.REFRESH) {
            throw xrpc(HttpStatus.BAD_REQUEST, "InvalidToken", "Invalid token type");
        }
        Instant now = clock.instant();
        if (old.expired(now)) {
            throw xrpc(HttpStatus.BAD_REQUEST, "ExpiredToken", "Token has expired");
        }
        if (grant.revoked) {
            throw xrpc(HttpStatus.BAD_REQUEST, "ExpiredToken", "Token has been revoked");
        }
        tokens.remove(old.value());
        return session(grant, now);
    }

    synchronized void deleteSession(@Nullable String authorization) {
        Token token = tokens.get(bearer(authorization));
        Grant grant = token == null ? null : grants.get(token.grantId());
        if (token == null || grant == null || token.kind() != Kind.REFRESH) {
            throw xrpc(HttpStatus.BAD_REQUEST, "InvalidToken", "Token could not be verified");
        }
        grant.revoked = true;
    }

    synchronized Map<String, Object> getSession(@Nullable String authorization) {
        Grant grant = validAccess("bluesky", bearer(authorization), Kind.ACCESS);
        if (grant == null) {
            throw xrpc(HttpStatus.BAD_REQUEST, "ExpiredToken", "Token has expired");
        }
        return Map.of("handle", grant.user, "did", did(grant.user), "active", true);
    }

    private Map<String, Object> session(Grant grant, Instant now) {
        Token access = store("bluesky", Kind.ACCESS, grant, now, BLUESKY_ACCESS_TTL,
                jwt("at+jwt", "com.atproto.access", did(grant.user), now, BLUESKY_ACCESS_TTL));
        Token refresh = store("bluesky", Kind.REFRESH, grant, now, BLUESKY_REFRESH_TTL,
                jwt("refresh+jwt", "com.atproto.refresh", did(grant.user), now, BLUESKY_REFRESH_TTL));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("accessJwt", access.value());
        body.put("refreshJwt", refresh.value());
        body.put("handle", grant.user);
        body.put("did", did(grant.user));
        body.put("active", true);
        return body;
    }

    static String blueskyHandle(String identifier) {
        if (identifier.contains("@")) {
            return identifier.substring(0, identifier.indexOf('@')).toLowerCase(java.util.Locale.ROOT) + ".bsky.social";
        }
        return identifier.contains(".") ? identifier.toLowerCase(java.util.Locale.ROOT) : identifier.toLowerCase(java.util.Locale.ROOT) + ".bsky.social";
    }

    static String did(String handle) {
        String base32 = new java.math.BigInteger(1, Flavor.sha256("did:" + handle)).toString(32);
        return "did:plc:" + (base32 + "0".repeat(24)).substring(0, 24);
    }

    /** An unsigned-looking JWT with the claims a PDS puts in (the signature is random: nobody verifies it here). */
    private static String jwt(String type, String scope, String did, Instant now, Duration ttl) {
        String header = "{\"typ\":\"" + type + "\",\"alg\":\"ES256K\"}";
        String claims = "{\"scope\":\"" + scope + "\",\"sub\":\"" + did + "\",\"aud\":\"did:web:sandbox.pds\",\"jti\":\"" + random(12)
                + "\",\"iat\":" + now.getEpochSecond() + ",\"exp\":" + now.plus(ttl).getEpochSecond() + "}";
        return B64.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "." + B64.encodeToString(claims.getBytes(StandardCharsets.UTF_8))
                + "." + random(48);
    }

    private static OAuthError xrpc(HttpStatus status, String error, String message) {
        return new OAuthError(status, Map.of("error", error, "message", message));
    }

    // ---- tokens and switches

    private Token issue(String platform, Kind kind, Grant grant, Instant now, @Nullable Duration ttl) {
        String prefix = switch (platform) {
            case "youtube" -> kind == Kind.REFRESH ? "1//sbx-" : "ya29.sbx-";
            case "tiktok" -> kind == Kind.REFRESH ? "rft.sbx-" : "act.sbx-";
            case "pinterest" -> kind == Kind.REFRESH ? "pinr.sbx-" : "pina_sbx-";
            case "instagram" -> "IGAAsbx";
            default -> "sbx-";
        };
        return store(platform, kind, grant, now, ttl, prefix + random(32));
    }

    private Token store(String platform, Kind kind, Grant grant, Instant now, @Nullable Duration ttl, String value) {
        Token token = new Token(value, kind, grant.id, now, ttl == null ? null : now.plus(ttl));
        tokens.put(value, token);
        issued.computeIfAbsent(platform, p -> new ArrayList<>()).add(value);
        return token;
    }

    private void failIfAsked(Flavor f) {
        if (takeFailure(f.platform)) {
            throw f == Flavor.INSTAGRAM ? graph(HttpStatus.SERVICE_UNAVAILABLE, "An unexpected error has occurred. Please retry your request later.", 2)
                    : f.error(HttpStatus.SERVICE_UNAVAILABLE, "temporarily_unavailable", "The server is temporarily unavailable (injected)");
        }
    }

    private void failIfAsked(String platform) {
        if (takeFailure(platform)) {
            throw xrpc(HttpStatus.SERVICE_UNAVAILABLE, "InternalServerError", "Internal Server Error (injected)");
        }
    }

    private boolean takeFailure(String platform) {
        int left = failures.getOrDefault(platform, 0);
        if (left > 0) {
            failures.put(platform, left - 1);
            return true;
        }
        return false;
    }

    @Override
    public synchronized int revokeGrant(String platform, @Nullable String user) {
        int n = 0;
        for (Grant g : grants.values()) {
            if (g.platform.equals(platform) && !g.revoked && (user == null || user.equals(g.user))) {
                g.revoked = true;
                n++;
            }
        }
        return n;
    }

    @Override
    public synchronized void deny(String platform, boolean deny) {
        denied.put(platform, deny);
    }

    @Override
    public synchronized void failNextTokenRequests(String platform, int count) {
        failures.put(platform, Math.max(0, count));
    }

    @Override
    public synchronized Optional<String> userOf(String platform, String accessToken) {
        return Optional.ofNullable(validAccess(platform, accessToken, Kind.ACCESS)).map(grant -> grant.user);
    }

    @Override
    public synchronized List<String> issuedTokens(String platform) {
        return List.copyOf(issued.getOrDefault(platform, List.of()));
    }

    @Override
    public synchronized void reset() {
        codes.clear();
        grants.clear();
        tokens.clear();
        denied.clear();
        failures.clear();
        issued.clear();
    }

    /** Whether the platform's authorize page currently declines, and how many token calls will still fail. */
    synchronized Map<String, Object> controls(String platform) {
        return Map.of("deny", Boolean.TRUE.equals(denied.get(platform)) || settings.deny().contains(platform),
                "failNextTokenRequests", failures.getOrDefault(platform, 0));
    }

    private static String @Nullable [] basic(@Nullable String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return null;
        }
        try {
            String pair = new String(Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
            int colon = pair.indexOf(':');
            return colon < 0 ? null : new String[] {pair.substring(0, colon), pair.substring(colon + 1)};
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String bearer(@Nullable String authorization) {
        return authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7) ? authorization.substring(7).trim() : "";
    }

    static String s256(String verifier) {
        try {
            return B64.encodeToString(MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    private static String random(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return B64.encodeToString(b);
    }
}
