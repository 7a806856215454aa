package dev.crosspost.publishing.adapter;

import java.util.List;
import java.util.Optional;

/**
 * How the engine reaches one platform. The engine owns ordering, persistence, timeouts, retries and quotas; an
 * adapter only performs one step at a time and reports what happened in platform terms.
 */
public interface PlatformAdapter {

    /** The platform name used in configuration and targets, e.g. {@code x}. */
    String platform();

    /** The steps for this request, in order; the outputs of finished steps are kept and never redone. */
    List<Step> steps(PublishRequest request);

    /** Performs one step. Must not throw for platform errors: map them to a {@link StepResult}. */
    StepResult run(Step step, PublishRequest request, StepContext context);

    /**
     * Finds out whether an effect whose outcome is unknown (sent, then a timeout or crash) took place, using the
     * platform's own signals: idempotency key, marker, container id, or a recent-posts lookup.
     */
    ReconcileResult reconcile(Step step, PublishRequest request, StepContext context);

    /**
     * What the platform would refuse about this text and media before any call, as the first step will when it
     * runs; nothing is sent and no token is needed. Lets a post warn about it when it is created.
     */
    default Optional<StepResult.Rejected> check(PublishRequest request) {
        return Optional.empty();
    }
}
