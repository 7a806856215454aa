package dev.crosspost.publishing.adapter;

import java.time.Duration;
import java.time.Instant;

/** What the engine offers a running step: its time budget and a channel for live platform signals. */
public interface StepContext {

    /** How long the step may take; adapters set their HTTP timeouts within it. */
    Duration timeout();

    /** The platform reported its remaining quota (headers or a quota endpoint); tightens the shared bucket. */
    void quotaObserved(long remaining, Instant resetsAt);
}
