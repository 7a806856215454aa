package dev.crosspost.publishing.engine;

import dev.crosspost.publishing.PlatformsSettings;
import dev.crosspost.publishing.PublicationState;
import dev.crosspost.publishing.adapter.AccountTokens;
import dev.crosspost.publishing.adapter.ErrorClass;
import dev.crosspost.publishing.adapter.PlatformAdapter;
import dev.crosspost.publishing.adapter.PublishRequest;
import dev.crosspost.publishing.adapter.ReconcileResult;
import dev.crosspost.publishing.adapter.Step;
import dev.crosspost.publishing.adapter.StepContext;
import dev.crosspost.publishing.adapter.StepResult;
import dev.crosspost.publishing.engine.PublicationStore.Commit;
import dev.crosspost.publishing.engine.PublicationStore.HistoryEntry;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import dev.crosspost.system.web.RequestIds;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.random.RandomGenerator;

import static dev.crosspost.publishing.PublicationState.*;

/**
 * Advances one publication as far as it can go now: through the quota, breaker and concurrency gates, then step by
 * step, writing each effect's {@code sent} mark before the call and its result after it. A mark without a result
 * (crash, timeout) is an unknown outcome, resolved by reconciling with the platform, never by sending again.
 */
@Component
public class PublicationEngine {

    private static final Logger log = LoggerFactory.getLogger(PublicationEngine.class);
    private static final Duration CONCURRENCY_BACKOFF = Duration.ofMillis(200);

    private final PublicationStore store;
    private final PlatformAdapters adapters;
    private final QuotaGate quotas;
    private final Breakers breakers;
    private final PlatformsSettings settings;
    private final PostSettlement settlement;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final MeterRegistry meters;
    private final RandomGenerator random = RandomGenerator.getDefault();
    private final ExecutorService calls = Executors.newVirtualThreadPerTaskExecutor();
    private final Map<String, Semaphore> running = new ConcurrentHashMap<>();
    private final Map<List<String>, Timer> stepTimers = new ConcurrentHashMap<>();
    private final Map<List<String>, Counter> counters = new ConcurrentHashMap<>();

    PublicationEngine(PublicationStore store, PlatformAdapters adapters, QuotaGate quotas, Breakers breakers,
                      PlatformsSettings settings, PostSettlement settlement, TransactionTemplate tx, Clock clock, MeterRegistry meters) {
        this.store = store;
        this.adapters = adapters;
        this.quotas = quotas;
        this.breakers = breakers;
        this.settings = settings;
        this.settlement = settlement;
        this.tx = tx;
        this.clock = clock;
        this.meters = meters;
    }

    /** When the publication's job should run next: never again, or at an instant. */
    public sealed interface Next {
        /** Nothing more to do; the job is still there to remove. */
        record Finished() implements Next {
        }

        /** This run ended the publication, and the ending's own transaction deleted the job. */
        record Ended() implements Next {
        }

        record At(Instant when) implements Next {
        }
    }

    /** Runs the publication until it waits or ends. Called by its scheduler job; safe to call again at any time. */
    public Next advance(UUID id) {
        Publication p = store.find(id).orElse(null);
        if (p == null) {
            return new Next.Finished();
        }
        boolean openAtStart = !p.state().terminal();
        Semaphore permit = null;
        // log under the request that caused this work
        MDC.put(RequestIds.MDC_KEY, p.requestId());
        try {
            while (true) {
                Instant now = clock.instant();
                switch (p.state()) {
                    case PUBLISHED, FAILED, DEAD, CANCELLED -> {
                        // only this run's ending can have closed it since the read (every save is version-guarded)
                        return openAtStart ? new Next.Ended() : new Next.Finished();
                    }
                    case NEEDS_RECONNECT -> {
                        return new Next.Finished();
                    }
                    case SCHEDULED, RETRY_WAIT, WAITING_QUOTA, WAITING_BREAKER -> {
                        if (p.nextAttemptAt() != null && p.nextAttemptAt().isAfter(now)) {
                            return new Next.At(p.nextAttemptAt());
                        }
                        p = move(p, p.moveTo(QUEUED), null);
                    }
                    case OUTCOME_UNKNOWN -> p = move(p, p.moveTo(RECONCILING).waitUntil(now.plus(policy(p).reconcileDelay()),
                            "checking with " + p.platform() + " whether the " + p.sentStep() + " went through"), null);
                    case RECONCILING -> {
                        if (p.nextAttemptAt() != null && p.nextAttemptAt().isAfter(now)) {
                            return new Next.At(p.nextAttemptAt());
                        }
                        p = reconcile(p);
                    }
                    case QUEUED -> {
                        if (permit == null) {
                            permit = running.computeIfAbsent(p.platform(), k -> new Semaphore(settings.platform(k).maxConcurrency()));
                            if (!permit.tryAcquire()) {
                                permit = null;
                                return new Next.At(now.plus(CONCURRENCY_BACKOFF));
                            }
                        }
                        p = start(p);
                    }
                    case RUNNING -> p = p.sentAt() != null
                            ? move(p, p.moveTo(OUTCOME_UNKNOWN), new HistoryEntry("unknown", null, null,
                            "no result recorded for " + p.sentStep() + " sent at " + p.sentAt()))
                            : runStep(p);
                }
            }
        } finally {
            MDC.remove(RequestIds.MDC_KEY);
            if (permit != null) {
                permit.release();
            }
        }
    }

    /** Queued: an effect in doubt is reconciled first; an open breaker defers; else the current step runs. */
    private Publication start(Publication p) {
        if (p.sentAt() != null) {
            return move(p, p.moveTo(RUNNING), null);
        }
        CircuitBreaker.State state = breakers.of(p.platform()).getState();
        if (state == CircuitBreaker.State.OPEN || state == CircuitBreaker.State.FORCED_OPEN) {
            Instant until = clock.instant().plus(breakers.openFor(p.platform()));
            return move(p, p.moveTo(WAITING_BREAKER).waitUntil(until, p.platform() + " is failing; its circuit breaker is open"), null);
        }
        return runStep(p);
    }

    private Publication runStep(Publication current) {
        PlatformAdapter adapter = adapters.get(current.platform());
        List<Step> steps = adapter.steps(adapters.describe(current));
        Step step = steps.get(current.stepIndex());
        PublishRequest request;
        try {
            request = request(current, current.stepData());
        } catch (AccountTokens.ReconnectRequired e) {
            return apply(current, List.of(), Step.query("authorize"), new StepResult.NeedsReconnect(e.getMessage()));
        } catch (AccountTokens.TemporarilyUnavailable e) {
            return apply(current, List.of(), Step.query("authorize"),
                    new StepResult.RetryLater(ErrorClass.TRANSIENT, null, e.getMessage(), null));
        }
        CircuitBreaker breaker = breakers.of(current.platform());
        if (!breaker.tryAcquirePermission()) {
            // half-open and out of probes: come back once the breaker has decided
            Instant until = clock.instant().plus(breakers.openFor(current.platform()).dividedBy(4));
            return move(current, current.moveTo(WAITING_BREAKER).waitUntil(until,
                    current.platform() + "'s circuit breaker is testing the platform"), null);
        }
        if (step.consumesQuota()) {
            QuotaGate.Decision decision = quotas.take(current.platform(), current.accountId());
            if (decision instanceof QuotaGate.Decision.Wait(Instant until, String reason)) {
                breaker.releasePermission();
                return move(current, current.moveTo(WAITING_QUOTA).waitUntil(until, reason), null);
            }
        }
        // one write: leave the queue and, before an effect, mark it as being sent
        Instant now = clock.instant();
        Publication next = (current.state() == QUEUED ? current.moveTo(RUNNING) : current).atStep(current.stepIndex(), step.name());
        if (step.isEffect()) {
            next = next.sending(step.name(), now);
        }
        Publication p = next.equals(current) ? current : move(now, current, next, null);
        Duration timeout = settings.platform(p.platform()).stepTimeout();
        StepContext context = context(p, timeout);
        long started = System.nanoTime();
        StepResult result = call(() -> adapter.run(step, request, context), step, timeout);
        long nanos = System.nanoTime() - started;
        feedBreaker(breaker, result, nanos);
        String outcome = outcome(result);
        stepTimers.computeIfAbsent(List.of(p.platform(), step.name(), outcome), k -> Timer.builder("crosspost_step_duration")
                .tag("platform", k.get(0)).tag("step", k.get(1)).tag("outcome", k.get(2)).publishPercentileHistogram().register(meters))
                .record(nanos, TimeUnit.NANOSECONDS);
        counter("crosspost_step_outcomes_total", "platform", p.platform(), "outcome", outcome).increment();
        return apply(p, steps, step, result);
    }

    private Publication apply(Publication p, List<Step> steps, Step step, StepResult result) {
        Instant now = clock.instant();
        RetryPolicy policy = policy(p);
        return switch (result) {
            case StepResult.Done(Map<String, String> outputs) -> finishStep(p.withOutputs(outputs).sendSettled(), steps, HistoryEntry.of("done"));
            case StepResult.RetryLater(ErrorClass cls, Duration retryAfter, String reason, Integer code) -> {
                Publication settled = p.sendSettled().withError(cls.name(), code == null ? null : String.valueOf(code), reason);
                if (cls == ErrorClass.RATE_LIMITED && retryAfter != null) {
                    quotas.blockUntil(QuotaGate.accountKey(p.platform(), p.accountId()), now.plus(retryAfter));
                }
                if (cls == ErrorClass.PROCESSING) {
                    int polls = p.polls() + 1;
                    if (polls > policy.maxPolls()) {
                        yield move(now, p, settled.counting(p.attempts(), polls, p.reconcileAttempts()).moveTo(FAILED),
                                new HistoryEntry("failed", cls.name(), code, p.platform() + " did not finish processing after " + polls + " checks"));
                    }
                    Duration wait = retryAfter != null ? retryAfter : Duration.ofSeconds(2);
                    yield move(now, p, settled.counting(p.attempts(), polls, p.reconcileAttempts()).moveTo(RETRY_WAIT)
                            .waitUntil(now.plus(wait), p.platform() + " is processing the media"), new HistoryEntry("processing", cls.name(), code, reason));
                }
                int attempts = p.attempts() + 1;
                Publication counted = settled.counting(attempts, p.polls(), p.reconcileAttempts());
                if (!policy.allowsRetry(cls, attempts)) {
                    yield move(now, p, counted.moveTo(DEAD).dead("gave up after " + attempts + " attempt(s): " + reason),
                            new HistoryEntry("dead", cls.name(), code, reason));
                }
                Duration wait = policy.delay(attempts, retryAfter, random);
                yield move(now, p, counted.moveTo(RETRY_WAIT).waitUntil(now.plus(wait), describe(cls, reason)),
                        new HistoryEntry("retry", cls.name(), code, reason));
            }
            case StepResult.Rejected(String code, String reason, Integer status) -> move(p,
                    p.sendSettled().withError("PERMANENT", code, reason).moveTo(FAILED),
                    new HistoryEntry("rejected", "PERMANENT", status, reason));
            case StepResult.NeedsReconnect(String reason) -> move(p,
                    p.sendSettled().withError("RECONNECT", "reconnect_required", reason).moveTo(NEEDS_RECONNECT)
                            .waitUntil(now, "reconnect the " + p.platform() + " account: " + reason),
                    new HistoryEntry("needs_reconnect", "RECONNECT", null, reason));
            case StepResult.OutcomeUnknown(String reason) -> move(now, p, p.moveTo(OUTCOME_UNKNOWN),
                    new HistoryEntry("unknown", "TIMEOUT", null, reason));
        };
    }

    private Publication finishStep(Publication p, List<Step> steps, HistoryEntry entry) {
        int next = p.stepIndex() + 1;
        if (next >= steps.size()) {
            String postId = p.stepData().get(StepResult.PLATFORM_POST_ID);
            if (postId == null) {
                throw new IllegalStateException(p.platform() + " adapter finished without " + StepResult.PLATFORM_POST_ID);
            }
            return move(p, p.withError(null, null, null).moveTo(PUBLISHED).published(postId, p.stepData().get(StepResult.PLATFORM_URL)), entry);
        }
        return move(p, p.atStep(next, steps.get(next).name()).moveTo(RUNNING), entry);
    }

    private Publication reconcile(Publication p) {
        PlatformAdapter adapter = adapters.get(p.platform());
        List<Step> steps = adapter.steps(adapters.describe(p));
        Step step = steps.stream().filter(s -> s.name().equals(p.sentStep())).findFirst().orElse(steps.get(p.stepIndex()));
        PublishRequest request;
        try {
            request = request(p, p.stepData());
        } catch (AccountTokens.ReconnectRequired e) {
            // cannot even ask the platform: the owner reconnects, then the check runs again
            return move(p, p.withError("RECONNECT", "reconnect_required", e.getMessage()).moveTo(NEEDS_RECONNECT)
                    .waitUntil(clock.instant(), "reconnect the " + p.platform() + " account: " + e.getMessage()),
                    new HistoryEntry("needs_reconnect", "RECONNECT", null, e.getMessage()));
        } catch (AccountTokens.TemporarilyUnavailable e) {
            return move(p, p.moveTo(RECONCILING).waitUntil(clock.instant().plus(policy(p).reconcileDelay()),
                    "waiting for a usable " + p.platform() + " token to check the " + step.name()), null);
        }
        Duration timeout = settings.platform(p.platform()).stepTimeout();
        ReconcileResult result;
        try {
            result = calls.submit(() -> adapter.reconcile(step, request, context(p, timeout))).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            result = new ReconcileResult.Unknown("lookup timed out after " + timeout);
        } catch (ExecutionException e) {
            result = new ReconcileResult.Unknown("lookup failed: " + e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            result = new ReconcileResult.Unknown("interrupted");
        }
        Instant now = clock.instant();
        RetryPolicy policy = policy(p);
        return switch (result) {
            case ReconcileResult.Found(Map<String, String> outputs) -> {
                counter("crosspost_reconcile_total", "platform", p.platform(), "result", "found").increment();
                Publication found = p.withOutputs(outputs).sendSettled();
                int next = p.stepIndex() + 1;
                if (next >= steps.size()) {
                    yield move(p, found.withError(null, null, null).moveTo(PUBLISHED)
                            .published(found.stepData().get(StepResult.PLATFORM_POST_ID), found.stepData().get(StepResult.PLATFORM_URL)),
                            new HistoryEntry("found", null, null, "the " + step.name() + " had gone through"));
                }
                yield move(p, found.atStep(next, steps.get(next).name()).moveTo(QUEUED),
                        new HistoryEntry("found", null, null, "the " + step.name() + " had gone through"));
            }
            case ReconcileResult.Absent() -> {
                counter("crosspost_reconcile_total", "platform", p.platform(), "result", "absent").increment();
                yield move(p, p.sendSettled().moveTo(QUEUED),
                        new HistoryEntry("absent", null, null, p.platform() + " shows no " + step.name() + "; sending again"));
            }
            case ReconcileResult.Unknown(String reason) -> {
                counter("crosspost_reconcile_total", "platform", p.platform(), "result", "unknown").increment();
                int tries = p.reconcileAttempts() + 1;
                if (tries >= policy.maxReconcileAttempts()) {
                    yield move(p, p.counting(p.attempts(), p.polls(), tries).moveTo(DEAD)
                                    .dead("unconfirmed: could not tell whether the " + step.name() + " reached " + p.platform() + " after " + tries + " checks"),
                            new HistoryEntry("dead", "UNCONFIRMED", null, reason));
                }
                Duration wait = policy.delay(tries, null, random).plus(policy.reconcileDelay());
                yield move(p, p.counting(p.attempts(), p.polls(), tries).moveTo(RECONCILING).waitUntil(now.plus(wait),
                        "still checking with " + p.platform() + " (" + reason + ")"), new HistoryEntry("unknown", "UNCONFIRMED", null, reason));
            }
        };
    }

    private StepResult call(java.util.concurrent.Callable<StepResult> work, Step step, Duration timeout) {
        Future<StepResult> future = calls.submit(work);
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            return step.isEffect() ? new StepResult.OutcomeUnknown(step.name() + " timed out after " + timeout)
                    : new StepResult.RetryLater(ErrorClass.TIMEOUT, null, step.name() + " timed out after " + timeout, null);
        } catch (ExecutionException e) {
            log.warn("{} adapter threw on {}", step.name(), step, e.getCause());
            return step.isEffect() ? new StepResult.OutcomeUnknown("adapter error: " + e.getCause())
                    : new StepResult.RetryLater(ErrorClass.TRANSIENT, null, "adapter error: " + e.getCause(), null);
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            return step.isEffect() ? new StepResult.OutcomeUnknown("interrupted during " + step.name())
                    : new StepResult.RetryLater(ErrorClass.TRANSIENT, null, "interrupted", null);
        }
    }

    private static void feedBreaker(CircuitBreaker breaker, StepResult result, long nanos) {
        switch (result) {
            case StepResult.RetryLater r when r.errorClass() == ErrorClass.TRANSIENT || r.errorClass() == ErrorClass.TIMEOUT ->
                    breaker.onError(nanos, TimeUnit.NANOSECONDS, new PlatformFailure(r.reason()));
            case StepResult.OutcomeUnknown u -> breaker.onError(nanos, TimeUnit.NANOSECONDS, new PlatformFailure(u.reason()));
            default -> breaker.onSuccess(nanos, TimeUnit.NANOSECONDS);
        }
    }

    /** What the breaker counts as a platform failure. */
    static final class PlatformFailure extends RuntimeException {
        PlatformFailure(String message) {
            super(message, null, false, false);
        }
    }

    private Publication move(Publication before, Publication next, @Nullable HistoryEntry entry) {
        return move(clock.instant(), before, next, entry);
    }

    /** Saves a change with its history row at {@code now}, the instant the outcome was known. */
    private Publication move(Instant now, Publication before, Publication next, @Nullable HistoryEntry entry) {
        boolean ends = next.state().terminal() && !before.state().terminal();
        // only an ending also touches the post, so only then is there a transaction (for the settled post's event)
        Publication saved = !ends ? store.save(before, next, entry, now, Commit.ofEngineStep(before, next)) : tx.execute(status -> {
            PublicationStore.Ended ended = store.saveEnding(before, next, entry, now);
            settlement.onEnded(ended.publication(), ended.open(), now);
            return ended.publication();
        });
        if (saved.state().terminal() && before.state() != saved.state()) {
            log.info("Publication {} to {} is {}{}", saved.id(), saved.platform(), saved.state().wireName(),
                    saved.platformUrl() != null ? " at " + saved.platformUrl()
                            : saved.deadReason() != null ? ": " + saved.deadReason()
                            : saved.errorMessage() != null ? ": " + saved.errorMessage() : "");
        }
        if (saved.state() != before.state()) {
            counter("crosspost_publication_transitions_total", "platform", saved.platform(), "to", saved.state().wireName()).increment();
        }
        return saved;
    }

    /** A counter with two tags, looked up once: a registry lookup per call builds ids and tags every time. */
    private Counter counter(String name, String tag1, String value1, String tag2, String value2) {
        return counters.computeIfAbsent(List.of(name, tag1, value1, tag2, value2), k -> meters.counter(name, tag1, value1, tag2, value2));
    }

    private RetryPolicy policy(Publication p) {
        return RetryPolicy.from(settings.platform(p.platform()).retry());
    }

    private PublishRequest request(Publication p, Map<String, String> outputs) {
        return adapters.request(p, outputs);
    }

    private StepContext context(Publication p, Duration timeout) {
        return new StepContext() {
            @Override
            public Duration timeout() {
                return timeout;
            }

            @Override
            public void quotaObserved(long remaining, Instant resetsAt) {
                quotas.observe(p.platform(), p.accountId(), remaining, resetsAt);
            }
        };
    }

    private static String outcome(StepResult result) {
        return switch (result) {
            case StepResult.Done d -> "done";
            case StepResult.RetryLater r -> r.errorClass().name().toLowerCase(java.util.Locale.ROOT);
            case StepResult.Rejected r -> "rejected";
            case StepResult.NeedsReconnect n -> "needs_reconnect";
            case StepResult.OutcomeUnknown u -> "unknown";
        };
    }

    private static String describe(ErrorClass cls, String reason) {
        return switch (cls) {
            case RATE_LIMITED -> "rate limited by the platform: " + reason;
            case TIMEOUT -> "timed out: " + reason;
            case TRANSIENT -> "temporary platform error: " + reason;
            case PROCESSING -> "processing: " + reason;
        };
    }
}
