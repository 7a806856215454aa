package dev.crosspost.publishing.engine;

import dev.crosspost.publishing.PlatformsSettings;
import dev.crosspost.publishing.adapter.ErrorClass;
import org.jspecify.annotations.Nullable;

import java.time.Duration;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * One platform's retry policy: which error classes retry, how often, and how long to wait. Backoff is exponential
 * with full jitter and a cap; a platform-given Retry-After is honoured exactly instead.
 */
record RetryPolicy(int maxAttempts, Duration baseDelay, Duration maxDelay, Set<ErrorClass> retryOn,
                   int maxReconcileAttempts, Duration reconcileDelay, int maxPolls) {

    static RetryPolicy from(PlatformsSettings.Retry r) {
        return new RetryPolicy(r.maxAttempts(), r.baseDelay(), r.maxDelay(), Set.copyOf(r.retryOn()),
                r.maxReconcileAttempts(), r.reconcileDelay(), r.maxPolls());
    }

    /** Whether another attempt is allowed after {@code attemptsSoFar} failed ones of this class. */
    boolean allowsRetry(ErrorClass errorClass, int attemptsSoFar) {
        return retryOn.contains(errorClass) && attemptsSoFar < maxAttempts;
    }

    /** The wait before attempt {@code attempt + 1}. */
    Duration delay(int attempt, @Nullable Duration retryAfter, RandomGenerator random) {
        if (retryAfter != null) {
            return retryAfter.isNegative() ? Duration.ZERO : retryAfter;
        }
        long base = baseDelay.toMillis();
        long ceiling = attempt >= 30 ? maxDelay.toMillis() : Math.min(maxDelay.toMillis(), base << Math.max(0, attempt - 1));
        return Duration.ofMillis(random.nextLong(ceiling + 1));
    }
}
