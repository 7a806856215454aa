package dev.crosspost.generation;

import dev.crosspost.system.SystemSettings;
import dev.crosspost.system.config.StrongSecret;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * Generation settings under {@code crosspost.generation.*}, plus the optional shared cache {@code crosspost.redis.url}.
 *
 * @param generation captions, avatar video, credits and the payment webhook
 * @param redis the cache shared by all nodes; unset means each node caches in memory
 */
@ConfigurationProperties("crosspost")
public record GenerationSettings(@Valid @DefaultValue Generation generation, @Valid @DefaultValue Redis redis) {

    /**
     * @param maxAttempts tries of a failing caption or video call before giving up on it
     * @param retryDelay first wait after a failed call; doubles per attempt
     * @param maxDownloadBytes largest video downloaded or image read
     * @param sandboxDemoBalance credits the sandbox workspace starts with while the sandbox is on
     */
    public record Generation(
            @Valid @DefaultValue Captions captions,
            @Valid @DefaultValue HeyGen heygen,
            @Valid @DefaultValue Costs costs,
            @Valid @DefaultValue Payments payments,
            @Min(1) @Max(100) @DefaultValue("5") int maxAttempts,
            @DurationMin(millis = 10) @DurationMax(hours = 1) @DefaultValue("5s") Duration retryDelay,
            @Min(1024) @DefaultValue("524288000") long maxDownloadBytes,
            @Min(0) @Max(1_000_000_000) @DefaultValue("1000") long sandboxDemoBalance) {
    }

    /**
     * An OpenAI-compatible chat completions API. No {@code model}: the template captioner writes every caption.
     *
     * @param baseUrl e.g. {@code https://api.openai.com/v1}; unset: the sandbox simulator {@code /sandbox/openai/v1}
     */
    public record Captions(
            @Nullable @Pattern(regexp = "https?://.+", message = "must be an http(s) URL") String baseUrl,
            @Nullable String model,
            @Nullable String apiKey,
            @DecimalMin("0.0") @DecimalMax("2.0") @DefaultValue("0.7") double temperature,
            @DurationMin(seconds = 1) @DurationMax(minutes = 10) @DefaultValue("60s") Duration timeout,
            @Valid @DefaultValue RateLimit rateLimit,
            @Valid @DefaultValue Breaker breaker,
            @DurationMin(seconds = 1) @DefaultValue("24h") Duration cacheTtl,
            @Min(1) @Max(10_000_000) @DefaultValue("10000") long cacheSize) {

        @Override
        public String toString() {
            return "Captions[baseUrl=" + baseUrl + ", model=" + model + ", apiKey=" + (apiKey == null ? null : "****") + "]";
        }

        public boolean modelConfigured() {
            return model != null && !model.isBlank();
        }
    }

    /**
     * HeyGen v2. No {@code apiKey}: the offline renderer makes the video.
     *
     * @param baseUrl unset: the sandbox simulator {@code /sandbox/heygen}
     */
    public record HeyGen(
            @Nullable @Pattern(regexp = "https?://.+", message = "must be an http(s) URL") String baseUrl,
            @Nullable String apiKey,
            @NotBlank @DefaultValue("Daisy-inskirt-20220818") String avatarId,
            @NotBlank @DefaultValue("2d5b0e6cf36f460aa7fc47e3eee4ba54") String voiceId,
            @DurationMin(seconds = 1) @DurationMax(minutes = 10) @DefaultValue("30s") Duration timeout,
            @Valid @DefaultValue RateLimit rateLimit,
            @Valid @DefaultValue Breaker breaker,
            @DurationMin(millis = 10) @DurationMax(minutes = 30) @DefaultValue("15s") Duration pollInterval,
            @Min(1) @Max(100_000) @DefaultValue("480") int maxPolls) {

        @Override
        public String toString() {
            return "HeyGen[baseUrl=" + baseUrl + ", apiKey=" + (apiKey == null ? null : "****") + ", avatarId=" + avatarId + "]";
        }

        public boolean configured() {
            return apiKey != null && !apiKey.isBlank();
        }
    }

    /** Requests allowed per period, shared by every node (a token bucket in PostgreSQL). */
    public record RateLimit(@Min(1) @Max(1_000_000) @DefaultValue("10") long limit,
                            @DurationMin(seconds = 1) @DurationMax(days = 1) @DefaultValue("1m") Duration period) {
    }

    /** Circuit breaker over the calls to one service. */
    public record Breaker(@DecimalMin("1") @DecimalMax("100") @DefaultValue("50") float failureRatePercent,
                         @Min(2) @Max(1000) @DefaultValue("10") int window,
                         @Min(1) @Max(1000) @DefaultValue("5") int minimumCalls,
                         @DurationMin(millis = 100) @DefaultValue("60s") Duration openFor) {
    }

    /** Credits each generation costs; 0 makes it free. Captions cost only when a model writes them. */
    public record Costs(@Min(0) @Max(1_000_000) @DefaultValue("1") long captions,
                        @Min(0) @Max(1_000_000) @DefaultValue("5") long avatarVideo,
                        @Min(0) @Max(1_000_000) @DefaultValue("0") long offlineVideo) {
    }

    /**
     * The signed payment top-up webhook.
     *
     * @param secret HMAC-SHA256 key; unset: the webhook refuses every call
     * @param maxCredits the largest single top-up accepted
     */
    public record Payments(
            @Nullable @StrongSecret(groups = SystemSettings.ProdChecks.class) String secret,
            @Min(1) @DefaultValue("1000000") long maxCredits) {

        @Override
        public String toString() {
            return "Payments[secret=" + (secret == null ? null : "****") + ", maxCredits=" + maxCredits + "]";
        }
    }

    /** @param url e.g. {@code redis://127.0.0.1:6379/0}; unset: in-memory cache only */
    public record Redis(@Nullable @Pattern(regexp = "rediss?://.+", message = "must be a redis:// or rediss:// URL") String url) {

        @Override
        public String toString() {
            // a Redis URL may carry a password
            return "Redis[url=" + (url == null ? null : "****") + "]";
        }
    }
}
