package dev.crosspost.sandbox;

import dev.crosspost.sandbox.SandboxSettings.Faults;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import org.jspecify.annotations.Nullable;

/** One platform's faults over HTTP ({@code /sandbox/faults}); omitted fields take the defaults of {@link Faults}. */
record FaultConfig(
        @NotNull @Pattern(regexp = SandboxSettings.PLATFORM_NAME) @Nullable String platform,
        @Min(0) @Max(600_000) @Nullable Long latencyMs,
        @DecimalMin("0.0") @DecimalMax("1.0") @Nullable Double errorRate,
        @DecimalMin("0.0") @DecimalMax("1.0") @Nullable Double rateLimitRate,
        @Min(0) @Max(86_400) @Nullable Integer retryAfterSeconds,
        @DecimalMin("0.0") @DecimalMax("1.0") @Nullable Double timeoutAfterCommitRate,
        @Min(0) @Max(600_000) @Nullable Long hangMs,
        @DecimalMin("0.0") @DecimalMax("1.0") @Nullable Double resetRate,
        @DecimalMin("0.0") @DecimalMax("1.0") @Nullable Double slowBodyRate,
        @Min(0) @Max(10_000) @Nullable Long slowBodyByteDelayMs,
        @Nullable Long seed) {

    Faults toFaults() {
        Faults d = Faults.NONE;
        return new Faults(
                latencyMs != null ? latencyMs : d.latencyMs(),
                errorRate != null ? errorRate : d.errorRate(),
                rateLimitRate != null ? rateLimitRate : d.rateLimitRate(),
                retryAfterSeconds != null ? retryAfterSeconds : d.retryAfterSeconds(),
                timeoutAfterCommitRate != null ? timeoutAfterCommitRate : d.timeoutAfterCommitRate(),
                hangMs != null ? hangMs : d.hangMs(),
                resetRate != null ? resetRate : d.resetRate(),
                slowBodyRate != null ? slowBodyRate : d.slowBodyRate(),
                slowBodyByteDelayMs != null ? slowBodyByteDelayMs : d.slowBodyByteDelayMs(),
                seed != null ? seed : d.seed());
    }

    static FaultConfig of(String platform, Faults f) {
        return new FaultConfig(platform, f.latencyMs(), f.errorRate(), f.rateLimitRate(), f.retryAfterSeconds(),
                f.timeoutAfterCommitRate(), f.hangMs(), f.resetRate(), f.slowBodyRate(), f.slowBodyByteDelayMs(), f.seed());
    }
}
