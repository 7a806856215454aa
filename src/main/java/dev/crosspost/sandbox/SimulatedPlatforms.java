package dev.crosspost.sandbox;

import dev.crosspost.sandbox.SandboxSettings.PlatformSim;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The state of every simulated platform (uploads, posts, quota windows, counters) and the rules that accept or
 * refuse a post. Each platform's posts are changed under that platform's lock.
 */
@Component
@SandboxEnabled
public class SimulatedPlatforms implements SandboxRecords {

    private final SandboxSettings settings;
    private final Clock clock;
    private final ConcurrentMap<String, PlatformState> platforms = new ConcurrentHashMap<>();

    SimulatedPlatforms(SandboxSettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
    }

    /** An upload the platform holds: its size and digest, never its bytes. */
    record Upload(String id, long size, String sha256, Instant receivedAt, Duration processingTime) {

        boolean ready(Instant now) {
            return progress(now) >= 100;
        }

        int progress(Instant now) {
            if (processingTime.isZero()) {
                return 100;
            }
            long elapsed = Math.max(0, Duration.between(receivedAt, now).toMillis());
            return (int) Math.min(100, elapsed * 100 / processingTime.toMillis());
        }
    }

    /** A post as the client sent it, before validation. */
    record NewPost(@Nullable String account, @Nullable String text, @Nullable String uploadId, @Nullable String clientRef) {
    }

    /** The accepted post and its account's quota right after it. */
    record Accepted(RecordedPost post, RateLimit rateLimit) {
    }

    /** Filters of the recent-posts lookup; null means any. */
    record Lookup(@Nullable String account, @Nullable String clientRef, @Nullable Instant since, int limit) {
    }

    Upload storeUpload(String platform, long size, String sha256) {
        PlatformState state = state(platform);
        Upload upload = new Upload("up_" + UUID.randomUUID(), size, sha256, clock.instant(), state.sim.processingTime());
        state.uploads.put(upload.id(), upload);
        return upload;
    }

    Optional<Upload> upload(String platform, String id) {
        return Optional.ofNullable(state(platform).uploads.get(id));
    }

    Instant now() {
        return clock.instant();
    }

    /** The account's quota without taking from it; a blank account sees a fresh window. */
    RateLimit rateLimit(String platform, @Nullable String account) {
        PlatformState state = state(platform);
        Instant now = clock.instant();
        synchronized (state) {
            return state.peek(account, now);
        }
    }

    /** Validates, deduplicates (if the platform does), applies the quota and records the post. */
    Accepted post(String platform, NewPost post, String baseUrl) {
        PlatformState state = state(platform);
        PlatformSim sim = state.sim;
        Instant now = clock.instant();
        synchronized (state) {
            HttpHeaders limits = state.peek(post.account(), now).headers();
            String account = post.account();
            if (account == null || account.isBlank()) {
                throw SandboxException.invalid("invalid_account", "account must not be blank").withHeaders(limits);
            }
            String text = post.text();
            if (text == null || text.isBlank()) {
                throw SandboxException.invalid("invalid_text",
                        "text must not be blank and at most " + sim.maxTextLength() + " characters long").withHeaders(limits);
            }
            int length = text.codePointCount(0, text.length());
            if (length > sim.maxTextLength()) {
                throw SandboxException.invalid("invalid_text",
                        "text is " + length + " characters long; the limit is " + sim.maxTextLength()).withHeaders(limits);
            }
            String uploadId = post.uploadId();
            if (uploadId != null) {
                Upload upload = state.uploads.get(uploadId);
                if (upload == null) {
                    throw SandboxException.invalid("invalid_media", "no upload " + uploadId + " on " + platform).withHeaders(limits);
                }
                if (!upload.ready(now)) {
                    throw new SandboxException(HttpStatus.CONFLICT, "media_not_ready",
                            "upload " + uploadId + " is still processing (" + upload.progress(now) + "%)").withHeaders(limits);
                }
            }
            String clientRef = post.clientRef() == null || post.clientRef().isBlank() ? null : post.clientRef();
            if (sim.dedupeByClientRef() && clientRef != null) {
                RecordedPost existing = state.firstByRef.get(new RefKey(account, clientRef));
                if (existing != null) {
                    throw new SandboxException(HttpStatus.CONFLICT, "duplicate",
                            "a post with client_ref " + clientRef + " already exists for " + account)
                            .withExisting(existing).withHeaders(limits);
                }
            }
            Window window = state.window(account, now);
            if (window.count >= sim.quotaLimit()) {
                state.quota429.incrementAndGet();
                RateLimit full = window.rateLimit(sim);
                HttpHeaders headers = full.headers();
                headers.set(HttpHeaders.RETRY_AFTER, Long.toString(full.retryAfterSeconds(now)));
                throw new SandboxException(HttpStatus.TOO_MANY_REQUESTS, "rate_limited",
                        "quota of " + sim.quotaLimit() + " posts per " + sim.quotaWindow() + " used up for " + account)
                        .withHeaders(headers);
            }
            window.count++;
            String id = platform + "_" + state.seq.incrementAndGet();
            RecordedPost recorded = new RecordedPost(platform, id, baseUrl + "/sandbox/platforms/" + platform + "/p/" + id,
                    account, text, clientRef, uploadId, now);
            state.posts.add(recorded);
            if (clientRef != null) {
                state.firstByRef.putIfAbsent(new RefKey(account, clientRef), recorded);
            }
            return new Accepted(recorded, window.rateLimit(sim));
        }
    }

    /** Matching posts, newest first. */
    List<RecordedPost> lookup(String platform, Lookup query) {
        Predicate<RecordedPost> matches = p -> (query.account() == null || query.account().equals(p.account()))
                && (query.clientRef() == null || query.clientRef().equals(p.clientRef()))
                && (query.since() == null || !p.createdAt().isBefore(query.since()));
        return accepted(platform).reversed().stream().filter(matches).limit(query.limit()).toList();
    }

    /** The accepted post with this id, if the platform accepted one. */
    public Optional<RecordedPost> find(String platform, String id) {
        return accepted(platform).stream().filter(p -> p.id().equals(id)).findFirst();
    }

    /** Counts a 429 the rate-limit fault injected; see {@code simulator.SimulatorSupport#draw}. */
    public void countInjected429(String platform) {
        state(platform).injected429.incrementAndGet();
    }

    public void countQuota429(String platform) {
        state(platform).quota429.incrementAndGet();
    }

    /** Keeps a post accepted by a platform's own simulator, so it is counted with the rest. */
    public void record(RecordedPost post) {
        PlatformState state = state(post.platform());
        synchronized (state) {
            state.posts.add(post);
            if (post.clientRef() != null) {
                state.firstByRef.putIfAbsent(new RefKey(post.account(), post.clientRef()), post);
            }
        }
    }

    @Override
    public List<RecordedPost> accepted(String platform) {
        PlatformState state = platforms.get(platform);
        if (state == null) {
            return List.of();
        }
        synchronized (state) {
            return List.copyOf(state.posts);
        }
    }

    @Override
    public long duplicates(String platform) {
        Map<RefKey, Long> counts = accepted(platform).stream()
                .filter(p -> p.clientRef() != null)
                .collect(Collectors.groupingBy(p -> new RefKey(p.account(), p.clientRef()), Collectors.counting()));
        return counts.values().stream().mapToLong(n -> n - 1).sum();
    }

    @Override
    public long quota429(String platform) {
        PlatformState state = platforms.get(platform);
        return state == null ? 0 : state.quota429.get();
    }

    @Override
    public long injected429(String platform) {
        PlatformState state = platforms.get(platform);
        return state == null ? 0 : state.injected429.get();
    }

    @Override
    public void reset() {
        platforms.values().forEach(PlatformState::clear);
    }

    private PlatformState state(String platform) {
        return platforms.computeIfAbsent(platform, name -> new PlatformState(settings.platform(name)));
    }

    /** An account's idempotency reference. */
    private record RefKey(String account, @Nullable String clientRef) {
    }

    /** A fixed quota window that starts at its first post. */
    private static final class Window {
        final Instant start;
        final Duration length;
        int count;

        Window(Instant start, Duration length) {
            this.start = start;
            this.length = length;
        }

        Instant end() {
            return start.plus(length);
        }

        RateLimit rateLimit(PlatformSim sim) {
            return new RateLimit(sim.quotaLimit(), Math.max(0, sim.quotaLimit() - count), end());
        }
    }

    /** One platform's posts, uploads and counters; post-related fields are guarded by the instance lock. */
    private static final class PlatformState {
        final PlatformSim sim;
        // ids stay unique across resets, so a stale id never names a new post
        final AtomicLong seq = new AtomicLong();
        final ConcurrentMap<String, Upload> uploads = new ConcurrentHashMap<>();
        final List<RecordedPost> posts = new ArrayList<>();
        final Map<RefKey, RecordedPost> firstByRef = new HashMap<>();
        final Map<String, Window> windows = new HashMap<>();
        final AtomicLong quota429 = new AtomicLong();
        final AtomicLong injected429 = new AtomicLong();

        PlatformState(PlatformSim sim) {
            this.sim = sim;
        }

        /** The current window of the account, opening a new one when there is none or it has ended. */
        Window window(String account, Instant now) {
            Window w = windows.get(account);
            if (w == null || !now.isBefore(w.end())) {
                w = new Window(now, sim.quotaWindow());
                windows.put(account, w);
            }
            return w;
        }

        RateLimit peek(@Nullable String account, Instant now) {
            Window w = account == null ? null : windows.get(account);
            if (w == null || !now.isBefore(w.end())) {
                return new RateLimit(sim.quotaLimit(), sim.quotaLimit(), now.plus(sim.quotaWindow()));
            }
            return w.rateLimit(sim);
        }

        synchronized void clear() {
            uploads.clear();
            posts.clear();
            firstByRef.clear();
            windows.clear();
            quota429.set(0);
            injected429.set(0);
        }
    }
}
