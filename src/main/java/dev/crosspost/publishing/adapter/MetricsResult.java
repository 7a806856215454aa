package dev.crosspost.publishing.adapter;

import org.jspecify.annotations.Nullable;

import java.time.Duration;
import java.util.Map;

/** The closed set of outcomes of a metrics read. */
public sealed interface MetricsResult {

    /**
     * The post's counts, by Crosspost's names: {@code views}, {@code impressions}, {@code reach}, {@code likes},
     * {@code comments}, {@code replies}, {@code shares}, {@code reposts}, {@code quotes}, {@code saves},
     * {@code bookmarks}, {@code clicks}, {@code outbound_clicks}; each platform reports the ones it has.
     */
    record Metrics(Map<String, Long> counts) implements MetricsResult {
        public Metrics {
            counts = Map.copyOf(counts);
        }
    }

    /** Ask again later; {@code retryAfter} is the platform's own wait (429 reset, Retry-After) when it gave one. */
    record RetryLater(String reason, @Nullable Duration retryAfter) implements MetricsResult {
    }

    /** The post no longer exists on the platform (deleted, or the id is unknown): stop asking. */
    record Gone(String reason) implements MetricsResult {
    }
}
