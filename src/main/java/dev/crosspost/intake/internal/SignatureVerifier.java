package dev.crosspost.intake.internal;

import dev.crosspost.intake.InboundSignatures;
import dev.crosspost.system.CrosspostException;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;

/** HMAC-SHA256 over {@code timestamp.body}, a time window, and a nonce table in PostgreSQL shared by all nodes. */
@Component
class SignatureVerifier implements InboundSignatures {

    private final JdbcClient jdbc;
    private final Duration window;
    private final Clock clock;

    SignatureVerifier(JdbcClient jdbc, IntakeSettings settings, Clock clock) {
        this.jdbc = jdbc;
        this.window = settings.webhookWindow();
        this.clock = clock;
    }

    @Override
    public void verify(String scope, byte[] secret, @Nullable String timestamp, @Nullable String signature, byte[] body) {
        if (timestamp == null || timestamp.isBlank() || signature == null || signature.isBlank()) {
            throw refused("signature_missing", "Sign the request: send " + TIMESTAMP_HEADER + " (unix seconds) and "
                    + SIGNATURE_HEADER + ": v1=<hex HMAC-SHA256 of timestamp + '.' + body>.");
        }
        long seconds;
        try {
            seconds = Long.parseLong(timestamp.strip());
        } catch (NumberFormatException e) {
            throw refused("signature_invalid", TIMESTAMP_HEADER + " must be unix seconds.");
        }
        Instant now = clock.instant();
        Instant at = Instant.ofEpochSecond(Math.max(Math.min(seconds, Instant.MAX.getEpochSecond()), Instant.MIN.getEpochSecond()));
        if (Duration.between(at, now).abs().compareTo(window) > 0) {
            throw refused("timestamp_outside_window", "The timestamp is more than " + window.toMinutes()
                    + " minutes from the server's time; sign the request again with the current time.");
        }
        byte[] expected = mac(secret, timestamp.strip(), body);
        String matched = null;
        for (String part : signature.split(",")) {
            String entry = part.strip();
            if (!entry.startsWith("v1=")) {
                continue;
            }
            byte[] given;
            try {
                given = HexFormat.of().parseHex(entry.substring(3));
            } catch (IllegalArgumentException e) {
                continue;
            }
            if (MessageDigest.isEqual(expected, given)) {
                matched = entry.substring(3).toLowerCase(java.util.Locale.ROOT);
            }
        }
        if (matched == null) {
            throw refused("signature_invalid", "The signature does not match the body and timestamp for this endpoint's secret.");
        }
        int fresh = jdbc.sql("INSERT INTO inbound_webhook_nonces (scope, nonce, expires_at) VALUES (:scope, :nonce, :expires) ON CONFLICT DO NOTHING")
                .param("scope", scope).param("nonce", matched).param("expires", Timestamp.from(at.plus(window).plus(window)))
                .update();
        if (fresh == 0) {
            throw refused("replayed", "This signed request was already received; sign each request anew.");
        }
    }

    static byte[] mac(byte[] secret, String timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            mac.update(timestamp.getBytes(StandardCharsets.US_ASCII));
            mac.update((byte) '.');
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static CrosspostException refused(String code, String message) {
        return new CrosspostException(CrosspostException.Kind.UNAUTHORIZED, code, message);
    }
}
