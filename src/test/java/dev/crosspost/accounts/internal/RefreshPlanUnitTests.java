package dev.crosspost.accounts.internal;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class RefreshPlanUnitTests {

    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    private final RefreshPlan plan = new RefreshPlan(new AccountsSettings.Refresh(0.8, Duration.ofMinutes(1), Duration.ofSeconds(30),
            Duration.ofMinutes(30), Duration.ofMinutes(1)));

    @Test
    void refreshesAtEightyPercentOfTheLifetime() {
        assertThat(plan.refreshAt(NOW, Duration.ofHours(2), true)).isEqualTo(NOW.plus(Duration.ofMinutes(96)));
        assertThat(plan.refreshAt(NOW, Duration.ofDays(60), true)).isEqualTo(NOW.plus(Duration.ofDays(48)));
    }

    @Test
    void shortLivedTokensStillRefreshAMinuteBeforeExpiryButNeverInThePast() {
        // 80% of 4 minutes would leave 48 s: too close
        assertThat(plan.refreshAt(NOW, Duration.ofMinutes(4), true)).isEqualTo(NOW.plus(Duration.ofMinutes(3)));
        assertThat(plan.refreshAt(NOW, Duration.ofSeconds(30), true)).isEqualTo(NOW);
    }

    @Test
    void nothingIsPlannedForTokensThatCannotBeRefreshedOrNeverExpire() {
        assertThat(plan.refreshAt(NOW, Duration.ofHours(2), false)).isNull();
        assertThat(plan.refreshAt(NOW, null, true)).isNull();
    }

    @Test
    void retriesBackOffExponentiallyUpToTheCap() {
        assertThat(plan.retryDelay(1)).isEqualTo(Duration.ofSeconds(30));
        assertThat(plan.retryDelay(2)).isEqualTo(Duration.ofMinutes(1));
        assertThat(plan.retryDelay(4)).isEqualTo(Duration.ofMinutes(4));
        assertThat(plan.retryDelay(7)).isEqualTo(Duration.ofMinutes(30));
        assertThat(plan.retryDelay(500)).isEqualTo(Duration.ofMinutes(30));
    }

    @Test
    void aTokenWithinTheSkewOfExpiryCountsAsExpiring() {
        assertThat(plan.expiring(NOW.plusSeconds(59), NOW)).isTrue();
        assertThat(plan.expiring(NOW.minusSeconds(1), NOW)).isTrue();
        assertThat(plan.expiring(NOW.plusSeconds(61), NOW)).isFalse();
        assertThat(plan.expiring(null, NOW)).isFalse();
    }
}
