package dev.crosspost.identity.internal;

import dev.crosspost.support.ShiftedClock;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Access tokens: round trip, key rotation by kid, and expiry against the injected clock. */
class JwtCodecUnitTests {

    private static final byte[] OLD = "old-secret-old-secret-old-secret-1234".getBytes(StandardCharsets.UTF_8);
    private static final byte[] NEW = "new-secret-new-secret-new-secret-5678".getBytes(StandardCharsets.UTF_8);
    private final JsonMapper json = JsonMapper.builder().build();
    private final Instant now = Instant.parse("2026-11-22T08:00:00Z");
    private final Clock clock = Clock.fixed(now, ZoneOffset.UTC);

    private JwtCodec.Claims claims(Instant expires) {
        return new JwtCodec.Claims(UUID.randomUUID(), UUID.randomUUID(), "a@example.com", true, UUID.randomUUID(), expires);
    }

    @Test
    void aSignedTokenReadsBackItsClaims() throws Exception {
        JwtCodec codec = new JwtCodec(NEW, List.of(), "https://crosspost.example", "crosspost-api", json, clock);
        JwtCodec.Claims claims = claims(now.plus(Duration.ofMinutes(15)));
        JwtCodec.Claims read = codec.verify(codec.sign(claims, now));
        assertThat(read.userId()).isEqualTo(claims.userId());
        assertThat(read.workspaceId()).isEqualTo(claims.workspaceId());
        assertThat(read.sessionId()).isEqualTo(claims.sessionId());
        assertThat(read.admin()).isTrue();
    }

    @Test
    void tokensOfAPreviousSecretStayValidWhileItIsListedAndNotAfter() throws Exception {
        JwtCodec before = new JwtCodec(OLD, List.of(), "https://crosspost.example", "crosspost-api", json, clock);
        String token = before.sign(claims(now.plus(Duration.ofMinutes(15))), now);
        JwtCodec rotating = new JwtCodec(NEW, List.of(OLD), "https://crosspost.example", "crosspost-api", json, clock);
        assertThat(rotating.verify(token).email()).isEqualTo("a@example.com");
        JwtCodec rotated = new JwtCodec(NEW, List.of(), "https://crosspost.example", "crosspost-api", json, clock);
        assertThatThrownBy(() -> rotated.verify(token)).hasMessage("unknown key id");
    }

    @Test
    void expiryIsJudgedByTheInjectedClock() {
        JwtCodec codec = new JwtCodec(NEW, List.of(), "https://crosspost.example", "crosspost-api", json, clock);
        String token = codec.sign(claims(now), now.minusSeconds(900));
        assertThatThrownBy(() -> codec.verify(token)).hasMessage("expired");
    }

    @Test
    void aTokenVerifiedBeforeStillExpiresAndItsAlteredCopiesStillFail() throws Exception {
        ShiftedClock moving = new ShiftedClock();
        JwtCodec codec = new JwtCodec(NEW, List.of(), "https://crosspost.example", "crosspost-api", json, moving);
        String token = codec.sign(claims(moving.instant().plus(Duration.ofMinutes(15))), moving.instant());
        assertThat(codec.verify(token).email()).isEqualTo("a@example.com");
        assertThat(codec.verify(new String(token.toCharArray())).email()).as("found again by its text").isEqualTo("a@example.com");
        String altered = token.substring(0, token.length() - 2) + (token.endsWith("A") ? "B" : "A") + token.charAt(token.length() - 1);
        assertThatThrownBy(() -> codec.verify(altered)).hasMessage("bad signature");
        moving.advance(Duration.ofMinutes(16));
        assertThatThrownBy(() -> codec.verify(token)).hasMessage("expired");
    }
}
