package dev.crosspost.generation.web;

import dev.crosspost.system.CrosspostException;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;

/**
 * Checks {@code Crosspost-Signature: v1=<hex HMAC-SHA256 of "<Crosspost-Timestamp>.<raw body>">} in constant time,
 * and that the timestamp (epoch seconds) lies within the tolerance of now, so a captured call cannot be replayed later.
 */
record PaymentSignature(byte[] key, Duration tolerance) {

    static PaymentSignature of(String secret, Duration tolerance) {
        return new PaymentSignature(secret.getBytes(StandardCharsets.UTF_8), tolerance);
    }

    void verify(String timestamp, String signature, byte[] body, Instant now) {
        if (timestamp == null || timestamp.isBlank() || signature == null || signature.isBlank()) {
            throw unauthorized("signature_missing", "Crosspost-Timestamp and Crosspost-Signature headers are required.");
        }
        long seconds;
        try {
            seconds = Long.parseLong(timestamp.trim());
        } catch (NumberFormatException e) {
            throw unauthorized("signature_invalid", "Crosspost-Timestamp must be whole seconds since the epoch.");
        }
        if (Math.abs(now.getEpochSecond() - seconds) > tolerance.toSeconds()) {
            throw unauthorized("signature_expired", "The signature's timestamp is more than " + tolerance.toSeconds()
                    + " s away from now; sign each delivery when you send it.");
        }
        byte[] expected = ("v1=" + sign(timestamp.trim(), body)).getBytes(StandardCharsets.US_ASCII);
        boolean match = false;
        // several v1 values may be sent while a secret is rotated; each is compared in constant time
        for (String part : signature.split(",")) {
            match |= MessageDigest.isEqual(expected, part.trim().getBytes(StandardCharsets.US_ASCII));
        }
        if (!match) {
            throw unauthorized("signature_invalid", "The Crosspost-Signature does not match the body.");
        }
    }

    String sign(String timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update((timestamp + ".").getBytes(StandardCharsets.US_ASCII));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JDK", e);
        }
    }

    private static CrosspostException unauthorized(String code, String message) {
        return new CrosspostException(CrosspostException.Kind.UNAUTHORIZED, code, message);
    }
}
