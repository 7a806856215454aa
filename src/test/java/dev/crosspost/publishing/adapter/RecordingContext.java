package dev.crosspost.publishing.adapter;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** A step context for adapter tests: a fixed time budget, and every quota signal the adapter reported. */
public final class RecordingContext implements StepContext {

    /** One {@link #quotaObserved} call. */
    public record Quota(long remaining, Instant resetsAt) {
    }

    private final Duration timeout;

    private final List<Quota> quotas;

    public RecordingContext(Duration timeout) {
        this(timeout, new ArrayList<>());
    }

    private RecordingContext(Duration timeout, List<Quota> quotas) {
        this.timeout = timeout;
        this.quotas = quotas;
    }

    /** A context with another time budget that records into the same quota list. */
    public RecordingContext withTimeout(Duration timeout) {
        return new RecordingContext(timeout, quotas);
    }

    @Override
    public Duration timeout() {
        return timeout;
    }

    @Override
    public void quotaObserved(long remaining, Instant resetsAt) {
        quotas.add(new Quota(remaining, resetsAt));
    }

    public List<Quota> quotas() {
        return quotas;
    }
}
