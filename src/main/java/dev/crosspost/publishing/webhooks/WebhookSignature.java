package dev.crosspost.publishing.webhooks;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;

/**
 * The {@code Crosspost-Signature} header: {@code v1=} and the hex HMAC-SHA256, keyed with the whole secret
 * ({@code whsec_...}) as UTF-8, of {@code <Crosspost-Timestamp> + "." + <raw body>}. Receivers recompute it over
 * the bytes they got, compare in constant time, and refuse old timestamps so a captured request cannot be replayed.
 */
public final class WebhookSignature {

    public static final String SCHEME = "v1";
    /** How far a timestamp may be from the receiver's clock by default. */
    public static final Duration DEFAULT_TOLERANCE = Duration.ofMinutes(5);

    private WebhookSignature() {
    }

    /** The header value for this secret, timestamp (epoch seconds) and body. */
    public static String sign(String secret, long timestamp, byte[] body) {
        return SCHEME + "=" + HexFormat.of().formatHex(mac(secret, timestamp, body));
    }

    /**
     * Whether the header carries a valid {@code v1} signature of the body (a header may list several, comma
     * separated, e.g. during a secret rotation) and the timestamp is within {@code tolerance} of {@code now}.
     */
    public static boolean verify(String secret, String timestampHeader, byte[] body, String signatureHeader, Duration tolerance,
                                 Instant now) {
        long timestamp;
        try {
            timestamp = Long.parseLong(timestampHeader.strip());
        } catch (NumberFormatException e) {
            return false;
        }
        if (Math.abs(now.getEpochSecond() - timestamp) > tolerance.toSeconds()) {
            return false;
        }
        byte[] expected = HexFormat.of().formatHex(mac(secret, timestamp, body)).getBytes(StandardCharsets.US_ASCII);
        boolean valid = false;
        for (String part : signatureHeader.split(",")) {
            String p = part.strip();
            if (p.startsWith(SCHEME + "=")) {
                byte[] given = p.substring(SCHEME.length() + 1).toLowerCase(java.util.Locale.ROOT).getBytes(StandardCharsets.US_ASCII);
                // no early exit: every candidate is compared in constant time
                valid |= MessageDigest.isEqual(expected, given);
            }
        }
        return valid;
    }

    private static byte[] mac(String secret, long timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update((timestamp + ".").getBytes(StandardCharsets.US_ASCII));
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
