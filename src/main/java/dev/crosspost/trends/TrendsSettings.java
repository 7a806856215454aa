package dev.crosspost.trends;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;

/**
 * The Jetstream collector and trend counts under {@code crosspost.trends.*}.
 *
 * @param enabled run the collector; when false the API answers from empty counts
 * @param url the Jetstream subscribe URL ({@code ws://} or {@code wss://}, e.g.
 *        {@code wss://jetstream2.us-east.bsky.network/subscribe}); unset means this app's own simulator, and no
 *        collector while the sandbox is off
 * @param queueCapacity events held between the socket and the counter; past it events are dropped and counted
 * @param topK distinct tags and distinct terms kept per minute bucket, the bound on memory
 * @param cursorFlushInterval how often the cursor of the last processed event is written to the database
 * @param cursorRewind how far before the persisted cursor a reconnect asks to replay; replayed events at or before it are skipped
 * @param reconnectMin first wait before reconnecting after the socket closed or failed
 * @param reconnectMax longest wait between reconnect attempts (the wait doubles, with jitter, up to it)
 */
@Validated
@ConfigurationProperties("crosspost.trends")
record TrendsSettings(
        @DefaultValue("true") boolean enabled,
        @Nullable @Pattern(regexp = "wss?://\\S+", message = "must be a ws:// or wss:// URL") String url,
        @Min(16) @Max(10_000_000) @DefaultValue("65536") int queueCapacity,
        @Min(10) @Max(100_000) @DefaultValue("1000") int topK,
        @NotNull @DurationMin(millis = 100) @DurationMax(minutes = 10) @DefaultValue("1s") Duration cursorFlushInterval,
        @NotNull @DurationMin(seconds = 0) @DurationMax(minutes = 10) @DefaultValue("3s") Duration cursorRewind,
        @NotNull @DurationMin(millis = 1) @DurationMax(minutes = 10) @DefaultValue("500ms") Duration reconnectMin,
        @NotNull @DurationMin(millis = 1) @DurationMax(hours = 1) @DefaultValue("30s") Duration reconnectMax) {

    TrendsSettings {
        if (reconnectMin != null && reconnectMax != null && reconnectMin.compareTo(reconnectMax) > 0) {
            throw new IllegalArgumentException("crosspost.trends.reconnect-min must not be longer than reconnect-max");
        }
    }
}
