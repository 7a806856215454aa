package dev.crosspost.sandbox.x;

import dev.crosspost.sandbox.RecordedPost;
import dev.crosspost.sandbox.SandboxEnabled;
import dev.crosspost.sandbox.SandboxSettings;
import dev.crosspost.sandbox.simulator.SimulatorSupport;
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
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The state of the simulated X: media uploads (segments, processing driven by the clock), posts per user, and each
 * user's {@code POST /2/tweets} window. A user is whom the caller's token was issued to. One lock guards it all.
 */
@Component
@SandboxEnabled
class XPlatform {

    static final String PLATFORM = "x";
    // X's own limit on POST /2/tweets, used unless crosspost.sandbox.platforms.x sets one
    static final int TWEETS_PER_WINDOW = 100;
    static final Duration TWEETS_WINDOW = Duration.ofMinutes(15);
    static final Duration DUPLICATE_WINDOW = Duration.ofHours(24);
    static final int MAX_WEIGHTED_LENGTH = 280;
    static final Set<String> MEDIA_TYPES = Set.of("image/jpeg", "image/png", "image/webp", "image/gif", "video/mp4", "video/quicktime");

    private final SandboxSettings settings;
    private final SimulatorSupport support;
    private final Clock clock;
    private final AtomicLong seq = new AtomicLong();
    private final Map<String, Media> media = new HashMap<>();
    private final List<Tweet> tweets = new ArrayList<>();
    private final Map<String, Window> windows = new HashMap<>();

    XPlatform(SandboxSettings settings, SimulatorSupport support, Clock clock) {
        this.settings = settings;
        this.support = support;
        this.clock = clock;
    }

    /** An upload: its declared size, the segments received so far, and when it was finalized. */
    static final class Media {
        final String id;
        final String key;
        final String type;
        final long totalBytes;
        final String user;
        final Map<Integer, Long> segments = new TreeMap<>();
        boolean looksValid = true;
        @Nullable Instant finalizedAt;

        Media(String id, String key, String type, long totalBytes, String user) {
            this.id = id;
            this.key = key;
            this.type = type;
            this.totalBytes = totalBytes;
            this.user = user;
        }

        boolean processed() {
            return type.startsWith("video/") || type.equals("image/gif");
        }

        long received() {
            return segments.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    record Tweet(String id, String user, String text, List<String> mediaKeys, Instant createdAt) {
    }

    /** A fixed window of one user's posts. */
    private static final class Window {
        final Instant end;
        int count;

        Window(Instant end) {
            this.end = end;
        }
    }

    Instant now() {
        return clock.instant();
    }

    synchronized Media initialize(String user, String type, long totalBytes) {
        String id = Long.toString(1_880_000_000_000_000_000L + seq.incrementAndGet());
        Media m = new Media(id, (type.startsWith("image/") && !type.equals("image/gif") ? "3_" : "7_") + id, type, totalBytes, user);
        media.put(id, m);
        return m;
    }

    synchronized @Nullable Media media(String id) {
        return media.get(id);
    }

    synchronized void append(Media m, int segment, long size, boolean validStart) {
        m.segments.put(segment, size);
        if (segment == 0) {
            m.looksValid = validStart;
        }
    }

    synchronized void finalizeUpload(Media m) {
        m.finalizedAt = clock.instant();
    }

    /**
     * The processing state STATUS reports: in progress until the configured processing time has passed since
     * FINALIZE, then succeeded, or failed when the video did not start like an MP4/MOV file.
     */
    synchronized String state(Media m) {
        Instant finalized = m.finalizedAt;
        if (!m.processed() || finalized == null) {
            return m.processed() ? "pending" : "succeeded";
        }
        if (Duration.between(finalized, clock.instant()).compareTo(processingTime()) < 0) {
            return "in_progress";
        }
        return m.looksValid ? "succeeded" : "failed";
    }

    synchronized int progress(Media m) {
        Instant finalized = m.finalizedAt;
        if (finalized == null || !state(m).equals("in_progress")) {
            return finalized == null ? 0 : 100;
        }
        return (int) Math.min(99, Duration.between(finalized, clock.instant()).toMillis() * 100 / Math.max(1, processingTime().toMillis()));
    }

    /** The user's window right now, as {@code x-rate-limit-*} headers. */
    synchronized HttpHeaders limits(String user) {
        Window w = window(user);
        return headers(limit() - w.count, w.end);
    }

    /** Checks the window and duplicates, then keeps the post; throws {@link XProblem} as X would answer. */
    synchronized Tweet post(String user, String text, List<Media> attached) {
        Instant now = clock.instant();
        Window w = window(user);
        if (w.count >= limit()) {
            throw XProblem.rateLimited(headers(0, w.end));
        }
        boolean duplicate = !text.isBlank() && tweets.stream().anyMatch(t -> t.user().equals(user) && t.text().equals(text)
                && t.createdAt().isAfter(now.minus(DUPLICATE_WINDOW)));
        if (duplicate) {
            throw new XProblem(HttpStatus.FORBIDDEN, XProblem.problem("about:blank", "Forbidden",
                    "You are not allowed to create a Tweet with duplicate content.", 403)).withHeaders(headers(limit() - w.count, w.end));
        }
        w.count++;
        Tweet tweet = new Tweet(Long.toString(1_900_000_000_000_000_000L + seq.incrementAndGet()), user, text,
                attached.stream().map(m -> m.key).toList(), now);
        tweets.add(tweet);
        support.record(new RecordedPost(PLATFORM, tweet.id(), "https://x.com/i/web/status/" + tweet.id(), user, text, null,
                attached.isEmpty() ? null : attached.getFirst().id, now));
        return tweet;
    }

    /** The user's posts since {@code since}, newest first. */
    synchronized List<Tweet> timeline(String user, @Nullable Instant since, int max, @Nullable String beforeId) {
        // ids grow with creation: older than the last one shown means a smaller id
        return tweets.reversed().stream().filter(t -> t.user().equals(user))
                .filter(t -> since == null || !t.createdAt().isBefore(since))
                .filter(t -> beforeId == null || Long.parseLong(t.id()) < Long.parseLong(beforeId)).limit(max).toList();
    }

    HttpHeaders headers(int remaining, Instant reset) {
        HttpHeaders headers = new HttpHeaders();
        headers.set("x-rate-limit-limit", Integer.toString(limit()));
        headers.set("x-rate-limit-remaining", Integer.toString(Math.max(0, remaining)));
        headers.set("x-rate-limit-reset", Long.toString(reset.getEpochSecond() + (reset.getNano() > 0 ? 1 : 0)));
        return headers;
    }

    private Window window(String user) {
        Instant now = clock.instant();
        Window w = windows.get(user);
        if (w == null || !now.isBefore(w.end)) {
            w = new Window(now.plus(configured() ? settings.platform(PLATFORM).quotaWindow() : TWEETS_WINDOW));
            windows.put(user, w);
        }
        return w;
    }

    private int limit() {
        return configured() ? settings.platform(PLATFORM).quotaLimit() : TWEETS_PER_WINDOW;
    }

    private Duration processingTime() {
        return settings.platform(PLATFORM).processingTime();
    }

    private boolean configured() {
        return settings.platforms().containsKey(PLATFORM);
    }
}
