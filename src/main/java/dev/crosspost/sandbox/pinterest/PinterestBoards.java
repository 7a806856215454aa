package dev.crosspost.sandbox.pinterest;

import dev.crosspost.sandbox.RecordedPost;
import dev.crosspost.sandbox.SandboxEnabled;
import dev.crosspost.sandbox.SandboxSettings;
import dev.crosspost.sandbox.simulator.SimulatorSupport;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The simulated Pinterest user: one board, registered media (uploaded through the S3 form, processed on the
 * test clock), Pins, and a per-window quota on Pin creation ({@code crosspost.sandbox.platforms.pinterest}).
 */
@Component
@SandboxEnabled
class PinterestBoards {

    static final String PLATFORM = "pinterest";
    static final String USER = "sandbox";
    static final String BOARD_ID = "1098307476253046871";
    static final String BOARD_NAME = "Crosspost";

    private final AtomicLong mediaSeq = new AtomicLong(5_100_000_000_000_000L);
    private final AtomicLong pinSeq = new AtomicLong(1_098_307_000_000_000_000L);
    private final Map<String, Media> media = new ConcurrentHashMap<>();
    private final List<Pin> pins = new ArrayList<>();
    private final List<Instant> pinTimes = new ArrayList<>();
    private final SimulatorSupport support;
    private final Clock clock;
    private final SandboxSettings settings;

    PinterestBoards(SimulatorSupport support, Clock clock, SandboxSettings settings) {
        this.support = support;
        this.clock = clock;
        this.settings = settings;
    }

    /** A registered video upload and the S3 form fields that authorize it. */
    static final class Media {
        final String id;
        final String signature;
        long size = -1;
        boolean video;
        @Nullable Instant uploadedAt;

        Media(String id, String signature) {
            this.id = id;
            this.signature = signature;
        }
    }

    /** A created Pin. */
    record Pin(String id, String boardId, @Nullable String title, String description, @Nullable String note,
               @Nullable String link, @Nullable String altText, String mediaId, Instant createdAt) {
    }

    Media register() {
        String id = Long.toString(mediaSeq.incrementAndGet());
        Media m = new Media(id, UUID.randomUUID().toString().replace("-", ""));
        media.put(id, m);
        return m;
    }

    Optional<Media> media(String id) {
        return Optional.ofNullable(media.get(id));
    }

    /** Stores an upload of {@code size} bytes for the media the S3 key names. */
    void uploaded(Media m, long size, boolean video) {
        synchronized (m) {
            m.size = size;
            m.video = video;
            m.uploadedAt = clock.instant();
        }
    }

    /** {@code registered}, {@code processing}, {@code succeeded} or {@code failed}. */
    String status(Media m) {
        synchronized (m) {
            if (m.uploadedAt == null) {
                return "registered";
            }
            if (m.size <= 0 || !m.video) {
                return "failed";
            }
            Duration processing = settings.platform(PLATFORM).processingTime();
            return clock.instant().isBefore(m.uploadedAt.plus(processing)) ? "processing" : "succeeded";
        }
    }

    /** Creates a Pin of a processed video within the quota, and records it with the marker of its note. */
    synchronized Pin pin(String boardId, @Nullable String title, String description, @Nullable String note, @Nullable String link,
                         @Nullable String altText, String mediaId) {
        if (!BOARD_ID.equals(boardId)) {
            throw new PinterestError(HttpStatus.NOT_FOUND, 40, "Board not found.");
        }
        Media m = media.get(mediaId);
        if (m == null) {
            throw PinterestError.invalid("Invalid media_id: no media " + mediaId);
        }
        String status = status(m);
        if (!status.equals("succeeded")) {
            throw PinterestError.invalid("The video is not ready to be pinned: its status is " + status);
        }
        Instant now = clock.instant();
        SandboxSettings.PlatformSim sim = settings.platform(PLATFORM);
        pinTimes.removeIf(t -> !t.isAfter(now.minus(sim.quotaWindow())));
        if (pinTimes.size() >= sim.quotaLimit()) {
            support.countQuota429(PLATFORM);
            long wait = Math.max(1, Duration.between(now, pinTimes.getFirst().plus(sim.quotaWindow())).toSeconds());
            throw PinterestError.rateLimited(wait);
        }
        pinTimes.add(now);
        Pin pin = new Pin(Long.toString(pinSeq.incrementAndGet()), boardId, title, description, note, link, altText, mediaId, now);
        pins.add(pin);
        String clientRef = note != null && note.startsWith("crosspost:") ? note.substring("crosspost:".length()) : null;
        support.record(new RecordedPost(PLATFORM, pin.id(), "https://www.pinterest.com/pin/" + pin.id() + "/", USER, description,
                clientRef, mediaId, now));
        return pin;
    }

    synchronized Optional<Pin> find(String id) {
        return pins.stream().filter(p -> p.id().equals(id)).findFirst();
    }

    /** One page of the board's Pins, newest first, after the Pin {@code afterId} (null: from the newest). */
    synchronized List<Pin> onBoard(String boardId, int limit, @Nullable String afterId) {
        // Pin ids grow with creation, so "after" in newest-first order means a smaller id
        return pins.reversed().stream().filter(p -> p.boardId().equals(boardId))
                .filter(p -> afterId == null || Long.parseLong(p.id()) < Long.parseLong(afterId))
                .limit(limit).toList();
    }
}
