package dev.crosspost.sandbox.tiktok;

import dev.crosspost.sandbox.RecordedPost;
import dev.crosspost.sandbox.SandboxEnabled;
import dev.crosspost.sandbox.SandboxSettings;
import dev.crosspost.sandbox.SandboxSettings.PlatformSim;
import dev.crosspost.sandbox.simulator.SimulatorSupport;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The simulated creator: posts from init to {@code PUBLISH_COMPLETE}, the per-token per-minute request limits, the
 * daily post cap (the sandbox {@code quota-limit} per {@code quota-window}) and the switches tests flip. Every
 * sandbox token speaks for this one creator.
 */
@Component
@SandboxEnabled
class TikTokCreator {

    static final String OPEN_ID = "-000sandboxcreator";
    static final String USERNAME = "sandbox_creator";

    private final Clock clock;
    private final SandboxSettings settings;
    private final SimulatorSupport records;
    private final Map<String, Publish> publishes = new ConcurrentHashMap<>();
    private final Map<String, Deque<Instant>> calls = new HashMap<>();
    private final Deque<Instant> posts = new ArrayDeque<>();
    private volatile Switches switches = Switches.NONE;

    TikTokCreator(Clock clock, SandboxSettings settings, SimulatorSupport records) {
        this.clock = clock;
        this.settings = settings;
        this.records = records;
    }

    /** Outcomes tests can force: an unaudited client posting for a public account; the daily post cap. */
    record Switches(boolean unauditedClient, boolean postCapReached) {
        static final Switches NONE = new Switches(false, false);
    }

    /** One Direct Post: its upload progress and, once complete, its processing. */
    static final class Publish {
        final String id = "v_pub_file~v2-1." + UUID.randomUUID().toString().replace("-", "");
        final String uploadId = UUID.randomUUID().toString().replace("-", "");
        final String uploadToken = UUID.randomUUID().toString().replace("-", "");
        final String title;
        final long size;
        final long chunkSize;
        final int chunkCount;
        long received;
        @Nullable Instant completedAt;
        @Nullable String postId;
        boolean checked;

        Publish(String title, long size, long chunkSize, int chunkCount) {
            this.title = title;
            this.size = size;
            this.chunkSize = chunkSize;
            this.chunkCount = chunkCount;
        }
    }

    Switches switches() {
        return switches;
    }

    void set(Switches next) {
        switches = next;
    }

    synchronized void reset() {
        publishes.clear();
        calls.clear();
        posts.clear();
        switches = Switches.NONE;
    }

    /** Counts a call to {@code endpoint} with {@code token}; false when its per-minute limit is used up. */
    synchronized boolean allow(String token, String endpoint, int perMinute) {
        Instant now = clock.instant();
        Deque<Instant> window = calls.computeIfAbsent(endpoint + " " + token, k -> new ArrayDeque<>());
        while (!window.isEmpty() && !window.peekFirst().isAfter(now.minus(Duration.ofMinutes(1)))) {
            window.removeFirst();
        }
        if (window.size() >= (long) perMinute * sim().requestLimitFactor()) {
            return false;
        }
        window.addLast(now);
        return true;
    }

    /** Takes one post from the cap, or returns false when the creator posted too much in the window. */
    synchronized boolean takePost() {
        Instant now = clock.instant();
        while (!posts.isEmpty() && !posts.peekFirst().isAfter(now.minus(sim().quotaWindow()))) {
            posts.removeFirst();
        }
        if (switches.postCapReached() || posts.size() >= sim().quotaLimit()) {
            return false;
        }
        posts.addLast(now);
        return true;
    }

    Publish init(String title, long size, long chunkSize, int chunkCount) {
        Publish publish = new Publish(title, size, chunkSize, chunkCount);
        publishes.put(publish.id, publish);
        return publish;
    }

    Optional<Publish> byId(String publishId) {
        return Optional.ofNullable(publishes.get(publishId));
    }

    Optional<Publish> byUpload(String uploadId, String uploadToken) {
        return publishes.values().stream().filter(p -> p.uploadId.equals(uploadId) && p.uploadToken.equals(uploadToken)).findFirst();
    }

    /** Every byte arrived: the post exists from now on (public once processed) and is recorded. */
    void complete(Publish publish) {
        publish.completedAt = clock.instant();
        publish.postId = Long.toString(7_300_000_000_000_000_000L + ThreadLocalRandom.current().nextLong(100_000_000_000_000_000L));
        records.record(new RecordedPost("tiktok", publish.postId, "https://www.tiktok.com/@" + USERNAME + "/video/" + publish.postId,
                OPEN_ID, publish.title, null, publish.id, publish.completedAt));
    }

    /** The status poll: uploading until every byte is in; then processing for one poll and the processing time. */
    synchronized String status(Publish publish) {
        if (publish.completedAt == null) {
            return "PROCESSING_UPLOAD";
        }
        boolean done = publish.checked && !clock.instant().isBefore(publish.completedAt.plus(sim().processingTime()));
        publish.checked = true;
        return done ? "PUBLISH_COMPLETE" : "PROCESSING_UPLOAD";
    }

    private PlatformSim sim() {
        return settings.platform("tiktok");
    }
}
