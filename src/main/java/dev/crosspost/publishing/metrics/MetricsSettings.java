package dev.crosspost.publishing.metrics;

import dev.crosspost.publishing.PlatformsSettings;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;
import java.util.Map;

/**
 * Post metrics sync under {@code crosspost.metrics.*}.
 *
 * @param enabled run the recurring sync at all
 * @param pollInterval pause between runs of the recurring task (each syncs every publication due)
 * @param firstDelay wait after publishing before the first sync
 * @param interval wait between two syncs of one publication
 * @param maxAge how long after publishing a publication is synced; then it is left at its last point
 * @param baseBackoff first wait after a failed sync; doubles per consecutive failure, with jitter
 * @param maxBackoff the backoff's cap
 * @param batchSize publications one node claims at once
 * @param timeout the most one platform call may take
 * @param readQuota metrics reads allowed per connected account per period, on every platform without its own
 * @param readQuotas a platform's own read quota per account, by platform name
 */
@ConfigurationProperties("crosspost.metrics")
public record MetricsSettings(
        @DefaultValue("true") boolean enabled,
        @NotNull @DurationMin(seconds = 1) @DurationMax(hours = 1) @DefaultValue("1m") Duration pollInterval,
        @NotNull @DurationMin(seconds = 0) @DurationMax(days = 1) @DefaultValue("5m") Duration firstDelay,
        @NotNull @DurationMin(minutes = 1) @DurationMax(days = 7) @DefaultValue("1h") Duration interval,
        @NotNull @DurationMin(hours = 1) @DurationMax(days = 366) @DefaultValue("30d") Duration maxAge,
        @NotNull @DurationMin(seconds = 1) @DurationMax(days = 1) @DefaultValue("1m") Duration baseBackoff,
        @NotNull @DurationMin(seconds = 1) @DurationMax(days = 7) @DefaultValue("6h") Duration maxBackoff,
        @Min(1) @Max(1000) @DefaultValue("50") int batchSize,
        @NotNull @DurationMin(millis = 100) @DurationMax(minutes = 5) @DefaultValue("30s") Duration timeout,
        @Valid @NotNull @DefaultValue PlatformsSettings.Quota readQuota,
        @NotNull @DefaultValue Map<String, PlatformsSettings.@Valid @NotNull Quota> readQuotas) {

    /** The backoff's cap is not below its start. */
    @jakarta.validation.constraints.AssertTrue(message = "max-backoff must not be shorter than base-backoff")
    public boolean isBackoffOrdered() {
        return maxBackoff == null || baseBackoff == null || maxBackoff.compareTo(baseBackoff) >= 0;
    }

    /** The read quota of a platform's accounts. */
    PlatformsSettings.Quota readQuota(String platform) {
        return readQuotas.getOrDefault(platform, readQuota);
    }
}
