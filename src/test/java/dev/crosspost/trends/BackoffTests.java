package dev.crosspost.trends;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

class BackoffTests {

    @Test
    void doublesWithJitterUpToTheCeiling() {
        Backoff backoff = Backoff.exponential(Duration.ofMillis(500), Duration.ofSeconds(30), new SplittableRandom(1));
        for (int i = 0; i < 200; i++) {
            assertThat(backoff.delay(1)).isBetween(Duration.ofMillis(250), Duration.ofMillis(500));
            assertThat(backoff.delay(3)).isBetween(Duration.ofMillis(1000), Duration.ofMillis(2000));
            assertThat(backoff.delay(50)).isBetween(Duration.ofSeconds(15), Duration.ofSeconds(30));
        }
    }
}
