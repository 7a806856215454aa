package dev.crosspost.publishing;

import dev.crosspost.publishing.adapter.ErrorClass;
import dev.crosspost.publishing.adapter.PlatformAdapter;
import dev.crosspost.publishing.adapter.PublishRequest;
import dev.crosspost.publishing.adapter.ReconcileResult;
import dev.crosspost.publishing.adapter.Step;
import dev.crosspost.publishing.adapter.StepContext;
import dev.crosspost.publishing.adapter.StepResult;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-process platform for engine tests: it keeps the posts it accepted (so tests count duplicates) and plays
 * a script of behaviours for its steps, including the hard ones: commit then hang, hang without committing.
 */
class ScriptedPlatform implements PlatformAdapter {

    /** What the next call of a step does. */
    enum Behaviour { OK, TRANSIENT, RATE_LIMITED_1S, REJECT, COMMIT_THEN_HANG, HANG, PROCESSING, EXPIRED_TOKEN }

    /** A post the platform accepted. */
    record Posted(String id, String key, String text) {
    }

    static final int MAX_TEXT = 500;
    private final String name;
    private final List<Posted> posts = new CopyOnWriteArrayList<>();
    private final Map<String, Queue<Behaviour>> scripts = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    private final Map<String, Queue<ReconcileResult>> lookups = new ConcurrentHashMap<>();
    private final AtomicInteger seq = new AtomicInteger();

    ScriptedPlatform(String name) {
        this.name = name;
    }

    @Override
    public String platform() {
        return name;
    }

    /** Scripts the calls of one step for posts with this text (each test uses its own text). */
    void script(String text, String step, Behaviour... behaviours) {
        scripts.computeIfAbsent(text + "|" + step, k -> new ConcurrentLinkedQueue<>()).addAll(List.of(behaviours));
    }

    /** Forces the next reconcile answers for posts with this text instead of looking at the posts. */
    void scriptLookups(String text, ReconcileResult... results) {
        lookups.computeIfAbsent(text, k -> new ConcurrentLinkedQueue<>()).addAll(List.of(results));
    }

    int calls(String text, String step) {
        return calls.computeIfAbsent(text + "|" + step, k -> new AtomicInteger()).get();
    }

    List<Posted> posts(String text) {
        return posts.stream().filter(p -> p.text().equals(text)).toList();
    }

    long postsWithKey(String key) {
        return posts.stream().filter(p -> p.key().equals(key)).count();
    }

    @Override
    public List<Step> steps(PublishRequest request) {
        return request.media().isEmpty() ? List.of(Step.publish("publish"))
                : List.of(Step.effect("upload"), Step.query("process"), Step.publish("publish"));
    }

    /** Like a real platform's text limit: refused before any call, by {@link #check} and by the first step alike. */
    @Override
    public Optional<StepResult.Rejected> check(PublishRequest request) {
        int length = request.text().length();
        return length <= MAX_TEXT ? Optional.empty()
                : Optional.of(new StepResult.Rejected("text_too_long", name + ": the text is " + length + " characters; the limit is " + MAX_TEXT, null));
    }

    @Override
    public StepResult run(Step step, PublishRequest request, StepContext context) {
        Optional<StepResult.Rejected> refused = check(request);
        if (refused.isPresent()) {
            return refused.get();
        }
        String key = request.text() + "|" + step.name();
        calls.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
        Queue<Behaviour> script = scripts.get(key);
        Behaviour behaviour = script == null || script.isEmpty() ? Behaviour.OK : script.poll();
        return switch (behaviour) {
            case OK -> succeed(step, request);
            case TRANSIENT -> new StepResult.RetryLater(ErrorClass.TRANSIENT, null, name + ": 503 service unavailable", 503);
            case RATE_LIMITED_1S -> new StepResult.RetryLater(ErrorClass.RATE_LIMITED, Duration.ofSeconds(1), name + ": rate limit exceeded", 429);
            case REJECT -> new StepResult.Rejected("video_aspect", name + ": video aspect ratio 4:5 is not allowed for Reels", 400);
            case PROCESSING -> new StepResult.RetryLater(ErrorClass.PROCESSING, Duration.ofMillis(50), "transcoding", 200);
            case EXPIRED_TOKEN -> new StepResult.NeedsReconnect(name + ": token revoked by the user");
            case COMMIT_THEN_HANG -> {
                succeed(step, request);
                yield hang();
            }
            case HANG -> hang();
        };
    }

    private StepResult succeed(Step step, PublishRequest request) {
        if (step.name().equals("publish")) {
            String id = name + "_" + seq.incrementAndGet();
            posts.add(new Posted(id, request.idempotencyKey(), request.text()));
            return StepResult.done(Map.of(StepResult.PLATFORM_POST_ID, id, StepResult.PLATFORM_URL, "https://" + name + ".test/p/" + id));
        }
        if (step.name().equals("upload")) {
            return StepResult.done(Map.of("upload_id", "up_" + seq.incrementAndGet()));
        }
        return StepResult.done(Map.of());
    }

    /** Blocks until the engine's step timeout interrupts the call, like a platform that never answers. */
    private static StepResult hang() {
        try {
            new CountDownLatch(1).await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return new StepResult.OutcomeUnknown("interrupted");
    }

    @Override
    public ReconcileResult reconcile(Step step, PublishRequest request, StepContext context) {
        Queue<ReconcileResult> scripted = lookups.get(request.text());
        ReconcileResult forced = scripted == null ? null : scripted.poll();
        if (forced != null) {
            return forced;
        }
        if (!step.name().equals("publish")) {
            return new ReconcileResult.Absent();
        }
        return posts.stream().filter(p -> p.key().equals(request.idempotencyKey())).findFirst()
                .<ReconcileResult>map(p -> new ReconcileResult.Found(Map.of(StepResult.PLATFORM_POST_ID, p.id(),
                        StepResult.PLATFORM_URL, "https://" + name + ".test/p/" + p.id())))
                .orElse(new ReconcileResult.Absent());
    }
}
