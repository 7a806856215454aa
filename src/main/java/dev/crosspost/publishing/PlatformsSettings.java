package dev.crosspost.publishing;

import dev.crosspost.publishing.adapter.ErrorClass;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * Per-platform engine settings under {@code crosspost.platforms.<name>.*}. The defaults in application.yaml hold
 * seed 000's quotas; the names are the platforms the engine publishes to.
 */
@ConfigurationProperties("crosspost")
public record PlatformsSettings(@DefaultValue Map<String, @Valid @NotNull Platform> platforms) {

    public Platform platform(String name) {
        Platform p = platforms.get(name);
        if (p == null) {
            throw new IllegalArgumentException("unknown platform '" + name + "'");
        }
        return p;
    }

    /**
     * One platform.
     *
     * @param baseUrl the platform's API; unset means the built-in sandbox simulator
     * @param quota publishes allowed per connected account per period
     * @param appQuota publishes allowed for the whole app per period (unset: no app-wide cap)
     * @param maxConcurrency publications of this platform running at once on one node
     * @param stepTimeout the most one step (one platform call) may take
     */
    public record Platform(
            @Nullable String baseUrl,
            @Valid @DefaultValue Quota quota,
            @Valid @Nullable Quota appQuota,
            @Min(1) @Max(256) @DefaultValue("8") int maxConcurrency,
            @DurationMin(millis = 100) @DurationMax(minutes = 30) @DefaultValue("30s") Duration stepTimeout,
            @Valid @DefaultValue Retry retry,
            @Valid @DefaultValue Breaker breaker) {
    }

    /** A token bucket: {@code limit} publishes per {@code period}, refilled all at once at the period's end. */
    public record Quota(@Min(1) @DefaultValue("1000") long limit,
                        @DurationMin(millis = 100) @DurationMax(days = 31) @DefaultValue("1h") Duration period) {
    }

    /**
     * The retry policy: exponential backoff with full jitter up to {@code maxDelay}; a platform's Retry-After is
     * honoured exactly instead.
     *
     * @param retryOn error classes that are retried at all; others go to the dead-letter queue at once
     * @param maxReconcileAttempts lookups before an unknown outcome is dead-lettered as {@code unconfirmed}
     * @param reconcileDelay wait before each lookup, so a slow platform can finish the request it was sent
     * @param maxPolls processing polls before the publication fails
     */
    public record Retry(@Min(1) @Max(100) @DefaultValue("6") int maxAttempts,
                        @DurationMin(millis = 10) @DefaultValue("2s") Duration baseDelay,
                        @DurationMin(millis = 10) @DefaultValue("10m") Duration maxDelay,
                        @NotNull @DefaultValue({"TRANSIENT", "RATE_LIMITED", "TIMEOUT"}) Set<ErrorClass> retryOn,
                        @Min(1) @Max(1000) @DefaultValue("10") int maxReconcileAttempts,
                        @DurationMin(millis = 10) @DefaultValue("3s") Duration reconcileDelay,
                        @Min(1) @DefaultValue("720") int maxPolls) {
    }

    /** Circuit breaker: opens when the failure rate over the last calls passes the threshold. */
    public record Breaker(@DecimalMin("1") @DecimalMax("100") @DefaultValue("50") float failureRatePercent,
                          @Min(2) @Max(1000) @DefaultValue("20") int window,
                          @Min(1) @Max(1000) @DefaultValue("10") int minimumCalls,
                          @DurationMin(millis = 100) @DefaultValue("30s") Duration openFor,
                          @Min(1) @Max(100) @DefaultValue("3") int halfOpenProbes) {
    }
}
