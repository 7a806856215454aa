package dev.crosspost.publishing.engine;

import dev.crosspost.publishing.adapter.ErrorClass;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

import static org.assertj.core.api.Assertions.assertThat;

class RetryPolicyUnitTests {

    private final RetryPolicy policy = new RetryPolicy(5, Duration.ofSeconds(1), Duration.ofSeconds(30),
            Set.of(ErrorClass.TRANSIENT, ErrorClass.RATE_LIMITED), 10, Duration.ofSeconds(3), 100);

    @Test
    void retryAfterIsUsedExactlyWithoutJitter() {
        RandomGenerator random = new SplittableRandom(1);
        assertThat(policy.delay(3, Duration.ofSeconds(17), random)).isEqualTo(Duration.ofSeconds(17));
        assertThat(policy.delay(1, Duration.ofSeconds(-5), random)).isEqualTo(Duration.ZERO);
    }

    @Test
    void backoffIsFullJitterUnderAnExponentialCeilingWithACap() {
        RandomGenerator random = new SplittableRandom(7);
        for (int attempt = 1; attempt <= 10; attempt++) {
            long ceiling = Math.min(30_000, 1_000L << (attempt - 1));
            long max = 0;
            for (int i = 0; i < 2_000; i++) {
                long ms = policy.delay(attempt, null, random).toMillis();
                assertThat(ms).isBetween(0L, ceiling);
                max = Math.max(max, ms);
            }
            // full jitter spreads over the whole range, not just near the ceiling
            assertThat(max).as("attempt %d", attempt).isGreaterThan(ceiling * 9 / 10);
        }
    }

    @Test
    void onlyListedErrorClassesRetryAndOnlyUpToTheLimit() {
        assertThat(policy.allowsRetry(ErrorClass.TRANSIENT, 4)).isTrue();
        assertThat(policy.allowsRetry(ErrorClass.TRANSIENT, 5)).isFalse();
        assertThat(policy.allowsRetry(ErrorClass.TIMEOUT, 1)).isFalse();
    }
}
