package dev.crosspost.trends;

import org.jspecify.annotations.Nullable;

import java.util.List;

/** What is trending on Bluesky, and how the collector that counts it is doing. Trends are global, not per workspace. */
public final class Trends {

    /** The most entries one answer lists. */
    public static final int MAX_LIMIT = 100;

    private final TrendCounter counter;
    private final @Nullable JetstreamClient client;

    Trends(TrendCounter counter, @Nullable JetstreamClient client) {
        this.counter = counter;
        this.client = client;
    }

    /** The {@code limit} (1 to {@value #MAX_LIMIT}) most frequent tags or terms in {@code window}, most frequent first. */
    public List<Trend> top(TrendWindow window, TrendKind kind, int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT);
        }
        return counter.top(window, kind, limit);
    }

    public CollectorStatus status() {
        return client == null ? CollectorStatus.DISABLED : client.status();
    }
}
