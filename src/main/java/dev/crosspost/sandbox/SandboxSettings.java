package dev.crosspost.sandbox;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;
import java.util.Map;

/**
 * The platform simulator under {@code crosspost.sandbox.*}.
 *
 * @param enabled serve {@code /sandbox/**}; when false no simulator bean exists
 * @param platforms per-platform behaviour by platform name; platforms not listed use {@link PlatformSim#DEFAULTS}
 */
@ConfigurationProperties("crosspost.sandbox")
public record SandboxSettings(
        @DefaultValue("true") boolean enabled,
        @DefaultValue Map<@Pattern(regexp = SandboxSettings.PLATFORM_NAME, message = "platform names must match " + SandboxSettings.PLATFORM_NAME) String,
                @Valid PlatformSim> platforms) {

    /** What a platform name may look like. */
    public static final String PLATFORM_NAME = "[a-z0-9-]{1,32}";

    @SuppressWarnings("ConstantValue") // binders and callers may still pass null
    public SandboxSettings {
        platforms = platforms == null ? Map.of() : Map.copyOf(platforms);
    }

    /** The behaviour of one platform, defaults when it is not configured. */
    public PlatformSim platform(String name) {
        return platforms.getOrDefault(name, PlatformSim.DEFAULTS);
    }

    /**
     * How one simulated platform behaves.
     *
     * @param processingTime how long an upload stays {@code processing} before it is {@code ready}
     * @param quotaLimit accepted posts per account per window
     * @param quotaWindow length of a fixed quota window, starting at its first post
     * @param dedupeByClientRef refuse a second post with the same (account, client_ref) with 409 {@code duplicate}
     * @param maxTextLength longest accepted text, in Unicode code points
     * @param requestLimitFactor multiplies the per-minute request limits a simulator copies from its platform (TikTok's
     *        per-token limits), so load benchmarks are not throttled by them; 1 keeps the platform's own numbers
     * @param faults faults injected from startup (the {@code /sandbox/faults} endpoint overrides them at runtime)
     */
    public record PlatformSim(
            @NotNull @DurationMin(seconds = 0) @DurationMax(days = 1) @DefaultValue("0s") Duration processingTime,
            @Min(1) @DefaultValue("1000") int quotaLimit,
            @NotNull @DurationMin(seconds = 1) @DurationMax(days = 31) @DefaultValue("1h") Duration quotaWindow,
            @DefaultValue("false") boolean dedupeByClientRef,
            @Min(1) @Max(1_000_000) @DefaultValue("5000") int maxTextLength,
            @Min(1) @Max(1_000_000) @DefaultValue("1") int requestLimitFactor,
            @NotNull @Valid @DefaultValue Faults faults) {

        public static final PlatformSim DEFAULTS = new PlatformSim(Duration.ZERO, 1000, Duration.ofHours(1), false, 5000, 1, Faults.NONE);
    }

    /**
     * Faults of one platform. Each POST upload or post draws one number from a {@code Random} seeded with
     * {@code seed}; the rates are taken cumulatively in the order error, rate limit, reset, timeout after commit,
     * slow body.
     *
     * @param latencyMs wait before handling any request of the platform
     * @param errorRate share answered 503 {@code unavailable}, nothing committed
     * @param rateLimitRate share answered 429 {@code rate_limited} with {@code Retry-After: retryAfterSeconds}, nothing committed
     * @param retryAfterSeconds the {@code Retry-After} of injected 429s
     * @param timeoutAfterCommitRate share committed, then answered only after {@code hangMs}
     * @param hangMs how long a timeout-after-commit response is held
     * @param resetRate share whose connection drops mid-response, nothing committed
     * @param slowBodyRate share committed, then answered with a body written one byte at a time
     * @param slowBodyByteDelayMs the pause after each byte of a slow body
     * @param seed seed of the draws, so a run can be replayed
     */
    public record Faults(
            @Min(0) @Max(600_000) @DefaultValue("0") long latencyMs,
            @DecimalMin("0.0") @DecimalMax("1.0") @DefaultValue("0") double errorRate,
            @DecimalMin("0.0") @DecimalMax("1.0") @DefaultValue("0") double rateLimitRate,
            @Min(0) @Max(86_400) @DefaultValue("1") int retryAfterSeconds,
            @DecimalMin("0.0") @DecimalMax("1.0") @DefaultValue("0") double timeoutAfterCommitRate,
            @Min(0) @Max(600_000) @DefaultValue("30000") long hangMs,
            @DecimalMin("0.0") @DecimalMax("1.0") @DefaultValue("0") double resetRate,
            @DecimalMin("0.0") @DecimalMax("1.0") @DefaultValue("0") double slowBodyRate,
            @Min(0) @Max(10_000) @DefaultValue("100") long slowBodyByteDelayMs,
            @DefaultValue("42") long seed) {

        public static final Faults NONE = new Faults(0, 0, 0, 1, 0, 30_000, 0, 0, 100, 42);
    }
}
