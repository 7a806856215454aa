package dev.crosspost.publishing.webhooks;

import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.random.RandomGenerator;

import static org.assertj.core.api.Assertions.assertThat;

/** The signature receivers check, the secrets it is keyed with, and the retry backoff. */
class WebhookSignatureTests {

    private static final String SECRET = "whsec_3q2-7wAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
    private static final byte[] BODY = "{\"id\":7,\"type\":\"publication.published\"}".getBytes(StandardCharsets.UTF_8);
    private static final long TS = 1_767_225_600L;
    private static final Instant NOW = Instant.ofEpochSecond(TS + 30);

    @Test
    void signsTimestampDotBodyWithTheWholeSecret() throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String expected = HexFormat.of().formatHex(mac.doFinal((TS + "." + new String(BODY, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8)));

        assertThat(WebhookSignature.sign(SECRET, TS, BODY)).isEqualTo("v1=" + expected);
    }

    @Test
    void aGenuineSignatureVerifies() {
        String header = WebhookSignature.sign(SECRET, TS, BODY);

        assertThat(WebhookSignature.verify(SECRET, Long.toString(TS), BODY, header, WebhookSignature.DEFAULT_TOLERANCE, NOW)).isTrue();
        // during a secret rotation a header can carry several signatures; one valid one is enough
        assertThat(WebhookSignature.verify(SECRET, Long.toString(TS), BODY, "v1=00ff, " + header, WebhookSignature.DEFAULT_TOLERANCE, NOW))
                .isTrue();
    }

    @Test
    void aTamperedBodyTimestampOrSecretFails() {
        String header = WebhookSignature.sign(SECRET, TS, BODY);
        byte[] tampered = BODY.clone();
        tampered[tampered.length - 3] ^= 1;

        assertThat(WebhookSignature.verify(SECRET, Long.toString(TS), tampered, header, WebhookSignature.DEFAULT_TOLERANCE, NOW)).isFalse();
        assertThat(WebhookSignature.verify(SECRET, Long.toString(TS + 1), BODY, header, WebhookSignature.DEFAULT_TOLERANCE, NOW)).isFalse();
        assertThat(WebhookSignature.verify(SECRET + "x", Long.toString(TS), BODY, header, WebhookSignature.DEFAULT_TOLERANCE, NOW)).isFalse();
        assertThat(WebhookSignature.verify(SECRET, Long.toString(TS), BODY, "v0=" + header.substring(3), WebhookSignature.DEFAULT_TOLERANCE, NOW))
                .isFalse();
        assertThat(WebhookSignature.verify(SECRET, "yesterday", BODY, header, WebhookSignature.DEFAULT_TOLERANCE, NOW)).isFalse();
    }

    @Test
    void anOldTimestampFailsSoCapturedRequestsCannotBeReplayed() {
        String header = WebhookSignature.sign(SECRET, TS, BODY);

        assertThat(WebhookSignature.verify(SECRET, Long.toString(TS), BODY, header, Duration.ofMinutes(5), Instant.ofEpochSecond(TS + 301)))
                .isFalse();
        assertThat(WebhookSignature.verify(SECRET, Long.toString(TS), BODY, header, Duration.ofMinutes(5), Instant.ofEpochSecond(TS - 301)))
                .isFalse();
    }

    @Test
    void secretsAreWhsecAnd32RandomBytes() {
        String a = Webhooks.newSecret();
        String b = Webhooks.newSecret();

        assertThat(a).startsWith("whsec_").hasSize("whsec_".length() + 43).matches("whsec_[A-Za-z0-9_-]{43}");
        assertThat(java.util.Base64.getUrlDecoder().decode(a.substring(6))).hasSize(32);
        assertThat(a).isNotEqualTo(b);
    }

    @Test
    void backoffIsFullJitterUnderADoublingCeilingWithACap() {
        RandomGenerator top = new FixedRandom(true);
        RandomGenerator bottom = new FixedRandom(false);
        Duration base = Duration.ofSeconds(1);
        Duration cap = Duration.ofHours(1);

        assertThat(WebhookDispatcher.backoff(1, base, cap, top)).isEqualTo(Duration.ofSeconds(1));
        assertThat(WebhookDispatcher.backoff(2, base, cap, top)).isEqualTo(Duration.ofSeconds(2));
        assertThat(WebhookDispatcher.backoff(5, base, cap, top)).isEqualTo(Duration.ofSeconds(16));
        assertThat(WebhookDispatcher.backoff(13, base, cap, top)).isEqualTo(Duration.ofHours(1));
        assertThat(WebhookDispatcher.backoff(60, base, cap, top)).isEqualTo(Duration.ofHours(1));
        assertThat(WebhookDispatcher.backoff(5, base, cap, bottom)).isZero();
        RandomGenerator real = RandomGenerator.getDefault();
        for (int i = 0; i < 200; i++) {
            assertThat(WebhookDispatcher.backoff(3, base, cap, real)).isBetween(Duration.ZERO, Duration.ofSeconds(4));
        }
    }

    /** Always the top or the bottom of the range. */
    private record FixedRandom(boolean top) implements RandomGenerator {
        @Override
        public long nextLong() {
            return 0;
        }

        @Override
        public long nextLong(long bound) {
            return top ? bound - 1 : 0;
        }
    }
}
