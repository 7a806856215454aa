package dev.crosspost.trends;

import java.time.Duration;
import java.util.random.RandomGenerator;

/** How long to wait before reconnect attempt {@code attempt} (1 for the first after a close). */
@FunctionalInterface
interface Backoff {

    Duration delay(int attempt);

    /** {@code min} doubled per attempt up to {@code max}, with full jitter over the upper half. */
    static Backoff exponential(Duration min, Duration max, RandomGenerator random) {
        return attempt -> {
            long ceiling = Math.min(max.toMillis(), min.toMillis() << Math.min(attempt - 1, 30));
            long half = Math.max(1, ceiling / 2);
            return Duration.ofMillis(ceiling - half + random.nextLong(half + 1));
        };
    }

    /** No wait: for tests. */
    Backoff NONE = attempt -> Duration.ZERO;
}
