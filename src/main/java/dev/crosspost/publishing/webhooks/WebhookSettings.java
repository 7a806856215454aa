package dev.crosspost.publishing.webhooks;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * Outbound webhooks under {@code crosspost.webhooks.*}.
 *
 * @param allowHttp accept {@code http://} URLs; unset means true except under the {@code prod} profile
 * @param allowPrivateTargets deliver to loopback, private, link-local, CGNAT, unique-local and metadata addresses;
 *                            unset means true except under {@code prod} (so local receivers work in development)
 * @param connectTimeout the most a delivery may take to connect
 * @param readTimeout the most a delivery may wait for the response status after sending
 * @param dispatchInterval pause between dispatcher runs (each turns new history into deliveries and sends the due ones)
 * @param maxAttempts attempts before a delivery is {@code gave_up}
 * @param baseDelay first retry's backoff ceiling; doubles per attempt, with full jitter
 * @param maxDelay the backoff ceiling's cap
 * @param batchSize deliveries one dispatcher run claims and sends at once
 * @param maxPerWorkspace active webhooks a workspace may have
 */
@ConfigurationProperties("crosspost.webhooks")
public record WebhookSettings(
        @Nullable Boolean allowHttp,
        @Nullable Boolean allowPrivateTargets,
        @NotNull @DurationMin(millis = 100) @DurationMax(minutes = 1) @DefaultValue("5s") Duration connectTimeout,
        @NotNull @DurationMin(millis = 100) @DurationMax(minutes = 5) @DefaultValue("10s") Duration readTimeout,
        @NotNull @DurationMin(millis = 50) @DurationMax(minutes = 10) @DefaultValue("1s") Duration dispatchInterval,
        @Min(1) @Max(50) @DefaultValue("12") int maxAttempts,
        @NotNull @DurationMin(millis = 10) @DurationMax(hours = 1) @DefaultValue("1s") Duration baseDelay,
        @NotNull @DurationMin(millis = 10) @DurationMax(days = 1) @DefaultValue("1h") Duration maxDelay,
        @Min(1) @Max(1000) @DefaultValue("50") int batchSize,
        @Min(1) @Max(1000) @DefaultValue("25") int maxPerWorkspace) {

    /** Whether {@code http://} URLs are accepted, given whether the {@code prod} profile is active. */
    boolean httpAllowed(boolean prod) {
        return allowHttp != null ? allowHttp : !prod;
    }

    /** Whether non-public addresses may be reached, given whether the {@code prod} profile is active. */
    boolean privateTargetsAllowed(boolean prod) {
        return allowPrivateTargets != null ? allowPrivateTargets : !prod;
    }
}
