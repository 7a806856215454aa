package dev.crosspost.sandbox.sheets;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * The Sheets simulator under {@code crosspost.sandbox.sheets.*}.
 *
 * @param requestsPerMinute requests per access token per minute before 429 (Google: 60 per user per project)
 * @param tokenTtl lifetime of issued access tokens (Google: 3600 s)
 */
@ConfigurationProperties("crosspost.sandbox.sheets")
record SandboxSheetsSettings(@Min(1) @Max(100_000) @DefaultValue("60") int requestsPerMinute,
                             @NotNull @DurationMin(seconds = 1) @DurationMax(hours = 1) @DefaultValue("1h") Duration tokenTtl) {
}
