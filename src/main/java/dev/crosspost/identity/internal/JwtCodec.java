package dev.crosspost.identity.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Access tokens as compact JWS with HS256 only: the algorithm is pinned, so {@code none}, RS256-with-our-secret and
 * every other {@code alg} are refused before any signature check. Each key has a {@code kid} derived from it, so
 * tokens signed with a previous secret stay valid while it is listed.
 */
public final class JwtCodec {

    /** The claims Crosspost puts in and reads back. {@code sid} names the refresh family (the sign-in session). */
    public record Claims(UUID userId, UUID workspaceId, String email, boolean admin, UUID sessionId, Instant expiresAt) {
    }

    /** Why a token was refused; the reason is for logs and the problem detail, never the token. */
    public static final class InvalidToken extends Exception {
        InvalidToken(String reason) {
            super(reason, null, false, false);
        }
    }

    private static final String ALG = "HS256";
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();

    private final byte[] current;
    private final String currentKid;
    private final Map<String, byte[]> byKid;
    private final String issuer;
    private final String audience;
    private final JsonMapper json;
    private final Clock clock;
    // only tokens that passed every check; bounded, and a rotated-out key's tokens leave within the minute
    private final Cache<String, Claims> verified = Caffeine.newBuilder().maximumSize(10_000).expireAfterWrite(Duration.ofMinutes(1)).build();

    public JwtCodec(byte[] current, List<byte[]> previous, String issuer, String audience, JsonMapper json, Clock clock) {
        this.current = current.clone();
        this.currentKid = kid(current);
        Map<String, byte[]> keys = new LinkedHashMap<>();
        keys.put(currentKid, this.current);
        previous.forEach(p -> keys.putIfAbsent(kid(p), p.clone()));
        this.byKid = Map.copyOf(keys);
        this.issuer = issuer;
        this.audience = audience;
        this.json = json;
        this.clock = clock;
    }

    static String kid(byte[] secret) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update("crosspost-jwt-kid:".getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha.digest(secret), 0, 8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public String sign(Claims claims, Instant issuedAt) {
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("alg", ALG);
        header.put("typ", "JWT");
        header.put("kid", currentKid);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("iss", issuer);
        body.put("aud", audience);
        body.put("sub", claims.userId().toString());
        body.put("ws", claims.workspaceId().toString());
        body.put("email", claims.email());
        body.put("adm", claims.admin());
        body.put("sid", claims.sessionId().toString());
        body.put("iat", issuedAt.getEpochSecond());
        body.put("exp", claims.expiresAt().getEpochSecond());
        body.put("jti", UUID.randomUUID().toString());
        String signingInput = B64.encodeToString(json.writeValueAsBytes(header)) + "." + B64.encodeToString(json.writeValueAsBytes(body));
        return signingInput + "." + B64.encodeToString(hmac(current, signingInput));
    }

    /**
     * The claims of a valid token. A token verified before is looked up by its exact text (only its expiry is checked
     * again), so the hot path does not decode, parse and HMAC the same token on every request.
     */
    public Claims verify(String token) throws InvalidToken {
        Claims known = verified.getIfPresent(token);
        if (known != null) {
            if (clock.instant().isBefore(known.expiresAt())) {
                return known;
            }
            verified.invalidate(token);
            throw new InvalidToken("expired");
        }
        Claims claims = check(token);
        verified.put(token, claims);
        return claims;
    }

    private Claims check(String token) throws InvalidToken {
        int first = token.indexOf('.');
        int second = first < 0 ? -1 : token.indexOf('.', first + 1);
        if (first <= 0 || second < 0 || token.indexOf('.', second + 1) >= 0 || token.length() > 4096) {
            throw new InvalidToken("not a compact JWS");
        }
        JsonNode header = parse(token.substring(0, first));
        if (!ALG.equals(text(header, "alg"))) {
            throw new InvalidToken("algorithm not accepted");
        }
        String kid = text(header, "kid");
        byte[] key = kid == null ? null : byKid.get(kid);
        if (key == null) {
            throw new InvalidToken("unknown key id");
        }
        byte[] given = decode(token.substring(second + 1));
        if (!MessageDigest.isEqual(hmac(key, token.substring(0, second)), given)) {
            throw new InvalidToken("bad signature");
        }
        JsonNode body = parse(token.substring(first + 1, second));
        if (!issuer.equals(text(body, "iss"))) {
            throw new InvalidToken("wrong issuer");
        }
        if (!audienceMatches(body.get("aud"))) {
            throw new InvalidToken("wrong audience");
        }
        JsonNode exp = body.get("exp");
        if (exp == null || !exp.isIntegralNumber() || !clock.instant().isBefore(Instant.ofEpochSecond(exp.asLong()))) {
            throw new InvalidToken("expired");
        }
        try {
            return new Claims(UUID.fromString(text(body, "sub")), UUID.fromString(text(body, "ws")),
                    String.valueOf(text(body, "email")), body.path("adm").asBoolean(false),
                    UUID.fromString(text(body, "sid")), Instant.ofEpochSecond(exp.asLong()));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new InvalidToken("missing claims");
        }
    }

    private boolean audienceMatches(@Nullable JsonNode aud) {
        if (aud == null) {
            return false;
        }
        if (aud.isString()) {
            return audience.equals(aud.asString());
        }
        if (aud.isArray()) {
            for (JsonNode a : aud) {
                if (a.isString() && audience.equals(a.asString())) {
                    return true;
                }
            }
        }
        return false;
    }

    private JsonNode parse(String part) throws InvalidToken {
        try {
            JsonNode node = json.readTree(decode(part));
            if (!node.isObject()) {
                throw new InvalidToken("not a JSON object");
            }
            return node;
        } catch (tools.jackson.core.JacksonException e) {
            throw new InvalidToken("malformed JSON");
        }
    }

    private static byte[] decode(String part) throws InvalidToken {
        try {
            return B64D.decode(part);
        } catch (IllegalArgumentException e) {
            throw new InvalidToken("malformed base64url");
        }
    }

    private static @Nullable String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v != null && v.isString() ? v.asString() : null;
    }

    private static byte[] hmac(byte[] key, String input) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(input.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return "JwtCodec[kid=" + currentKid + "]";
    }
}
