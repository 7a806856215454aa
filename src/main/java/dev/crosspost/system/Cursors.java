package dev.crosspost.system;

import dev.crosspost.system.web.Problems;
import org.springframework.stereotype.Component;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Opaque keyset cursors for every list. A cursor is the position of the last row shown, followed by an HMAC over
 * the list's name and that position, so a cursor that was altered, made up or taken from another list is refused
 * (400 {@code invalid_cursor}) instead of being trusted. The key derives from {@code crosspost.security.jwt-secret};
 * without one (never under {@code prod}) it is random per process and cursors do not outlive a restart.
 */
@Component
public final class Cursors {

    private static final int MAC_BYTES = 12;

    // initialised once: cloning it is much cheaper than a provider lookup and key set-up per cursor
    private final Mac prototype;

    Cursors(SecuritySettings security) {
        byte[] material;
        if (security.jwtSecret() != null && !security.jwtSecret().isBlank()) {
            material = hmac(new SecretKeySpec(security.jwtSecret().getBytes(StandardCharsets.UTF_8), "HmacSHA256"),
                    "crosspost cursor key v1".getBytes(StandardCharsets.UTF_8));
        } else {
            material = new byte[32];
            new SecureRandom().nextBytes(material);
        }
        try {
            this.prototype = Mac.getInstance("HmacSHA256");
            prototype.init(new SecretKeySpec(material, "HmacSHA256"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A position in a list ordered by (time, id). */
    public record At(Instant at, UUID id) {
    }

    public String encode(String list, Instant at, UUID id) {
        return seal(list, (at.getEpochSecond() * 1_000_000L + at.getNano() / 1_000) + "|" + id);
    }

    public At decodeAt(String list, String cursor) {
        String[] parts = open(list, cursor).split("\\|", 2);
        try {
            return new At(Instant.EPOCH.plusNanos(Math.multiplyExact(Long.parseLong(parts[0]), 1000L)), UUID.fromString(parts[1]));
        } catch (RuntimeException e) {
            throw invalid();
        }
    }

    public String encode(String list, long position) {
        return seal(list, Long.toString(position));
    }

    public long decodePosition(String list, String cursor) {
        try {
            return Long.parseLong(open(list, cursor));
        } catch (NumberFormatException e) {
            throw invalid();
        }
    }

    private String seal(String list, String position) {
        byte[] payload = position.getBytes(StandardCharsets.UTF_8);
        byte[] sealed = Arrays.copyOf(payload, payload.length + MAC_BYTES);
        System.arraycopy(mac(list, payload), 0, sealed, payload.length, MAC_BYTES);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(sealed);
    }

    private String open(String list, String cursor) {
        if (cursor.length() > 200) {
            throw invalid();
        }
        byte[] sealed;
        try {
            sealed = Base64.getUrlDecoder().decode(cursor);
        } catch (IllegalArgumentException e) {
            throw invalid();
        }
        if (sealed.length <= MAC_BYTES) {
            throw invalid();
        }
        byte[] payload = Arrays.copyOf(sealed, sealed.length - MAC_BYTES);
        byte[] expected = Arrays.copyOf(mac(list, payload), MAC_BYTES);
        if (!MessageDigest.isEqual(expected, Arrays.copyOfRange(sealed, payload.length, sealed.length))) {
            throw invalid();
        }
        return new String(payload, StandardCharsets.UTF_8);
    }

    private byte[] mac(String list, byte[] payload) {
        try {
            Mac mac = (Mac) prototype.clone();
            mac.update((list + "\0").getBytes(StandardCharsets.UTF_8));
            return mac.doFinal(payload);
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] hmac(SecretKeySpec key, byte[] input) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac.doFinal(input);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static CrosspostException invalid() {
        return new CrosspostException(CrosspostException.Kind.INVALID, "invalid_cursor", "cursor is not one this API returned",
                Map.of("errors", List.of(new Problems.FieldError("cursor", "must be a nextCursor this API returned"))));
    }
}
