package dev.crosspost.sandbox.instagram;

import dev.crosspost.sandbox.RecordedPost;
import dev.crosspost.sandbox.SandboxEnabled;
import dev.crosspost.sandbox.SandboxSettings;
import dev.crosspost.sandbox.simulator.SimulatorSupport;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The simulated Instagram accounts: containers (created, uploaded, processed on the test clock, published once,
 * expired after 24 h) and published media, with the rolling publishing limit ({@code quota-limit} posts per
 * {@code quota-window}) and processing time of {@code crosspost.sandbox.platforms.instagram}.
 */
@Component
@SandboxEnabled
class InstagramGraph {

    static final String PLATFORM = "instagram";
    static final int MAX_CAPTION = 2200;
    static final Duration CONTAINER_TTL = Duration.ofHours(24);

    // Graph ids are numeric strings; containers and media get their own ranges
    private final AtomicLong containerSeq = new AtomicLong(17_890_000_000_000_000L);
    private final AtomicLong mediaSeq = new AtomicLong(17_950_000_000_000_000L);
    private final Map<String, Container> containers = new ConcurrentHashMap<>();
    private final List<Media> media = new ArrayList<>();
    private final SimulatorSupport support;
    private final Clock clock;
    private final SandboxSettings settings;

    InstagramGraph(SimulatorSupport support, Clock clock, SandboxSettings settings) {
        this.support = support;
        this.clock = clock;
        this.settings = settings;
    }

    /** A resumable Reels container: bytes received so far, and when the upload completed. */
    static final class Container {
        final String id;
        final String owner;
        final String caption;
        final Instant createdAt;
        long received;
        @Nullable MessageDigest digest;
        @Nullable String sha256;
        boolean video;
        @Nullable Instant uploadedAt;
        @Nullable String mediaId;

        Container(String id, String owner, String caption, Instant createdAt) {
            this.id = id;
            this.owner = owner;
            this.caption = caption;
            this.createdAt = createdAt;
        }
    }

    /** A published Reel. */
    record Media(String id, String owner, String caption, String permalink, String containerId, Instant timestamp) {
    }

    Container create(String owner, String caption) {
        Container c = new Container(Long.toString(containerSeq.incrementAndGet()), owner, caption, clock.instant());
        containers.put(c.id, c);
        return c;
    }

    Optional<Container> container(String id) {
        return Optional.ofNullable(containers.get(id));
    }

    synchronized Optional<Media> media(String id) {
        return media.stream().filter(m -> m.id().equals(id)).findFirst();
    }

    /** The container's {@code status_code} now. */
    String statusCode(Container c) {
        synchronized (c) {
            Instant now = clock.instant();
            if (c.mediaId != null) {
                return "PUBLISHED";
            }
            if (!now.isBefore(c.createdAt.plus(CONTAINER_TTL))) {
                return "EXPIRED";
            }
            if (c.uploadedAt == null) {
                return "IN_PROGRESS";
            }
            if (!c.video) {
                return "ERROR";
            }
            return now.isBefore(c.uploadedAt.plus(processingTime())) ? "IN_PROGRESS" : "FINISHED";
        }
    }

    /** The human-readable {@code status} next to the code. */
    String status(Container c) {
        return switch (statusCode(c)) {
            case "IN_PROGRESS" -> c.uploadedAt == null ? "In Progress: waiting for the video upload" : "In Progress: 0%";
            case "ERROR" -> "Error: 2207026 the video format is not supported; upload an MP4 or MOV file";
            case "EXPIRED" -> "Expired: the container was not published within 24 hours";
            case "PUBLISHED" -> "Published";
            default -> "Finished: 100%";
        };
    }

    /** Published posts of the owner inside the rolling window. */
    synchronized int usage(String owner) {
        Instant since = clock.instant().minus(window());
        return (int) media.stream().filter(m -> m.owner().equals(owner) && m.timestamp().isAfter(since)).count();
    }

    int quotaTotal() {
        return settings.platform(PLATFORM).quotaLimit();
    }

    Duration window() {
        return settings.platform(PLATFORM).quotaWindow();
    }

    /** Publishes a finished container once, within the owner's publishing limit, and records it. */
    Media publish(String owner, String containerId) {
        Container c = containers.get(containerId);
        if (c == null || !c.owner.equals(owner)) {
            throw GraphError.unknownObject(containerId);
        }
        synchronized (this) {
            synchronized (c) {
                switch (statusCode(c)) {
                    case "PUBLISHED" -> throw new GraphError(HttpStatus.BAD_REQUEST, 9007, 2207008, false,
                            "The media has already been published");
                    case "EXPIRED" -> throw new GraphError(HttpStatus.BAD_REQUEST, 9007, 2207020, false,
                            "The media you are trying to publish has expired. Please create a new media container.");
                    case "ERROR" -> throw new GraphError(HttpStatus.BAD_REQUEST, 9007, 2207053, false,
                            "An unknown error occurred during upload. Please create a new media container.");
                    case "IN_PROGRESS" -> throw new GraphError(HttpStatus.BAD_REQUEST, 9007, 2207027, false,
                            "The media is not ready for publishing, please wait for a moment");
                    default -> {
                    }
                }
                if (usage(owner) >= quotaTotal()) {
                    support.countQuota429(PLATFORM);
                    throw new GraphError(HttpStatus.BAD_REQUEST, 9, 2207042, false,
                            "You have reached the maximum of " + quotaTotal() + " posts in 24 hours for this account");
                }
                String id = Long.toString(mediaSeq.incrementAndGet());
                Instant now = clock.instant();
                Media m = new Media(id, owner, c.caption, "https://www.instagram.com/reel/C" + Long.toString(Long.parseLong(id), 36) + "/",
                        c.id, now);
                c.mediaId = id;
                media.add(m);
                support.record(new RecordedPost(PLATFORM, id, m.permalink(), owner, c.caption, contentKey(c), c.id, now));
                return m;
            }
        }
    }

    /** The owner's media, newest first, after the media {@code afterId} (null: from the newest). */
    synchronized List<Media> recent(String owner, int limit, @Nullable String afterId) {
        List<Media> mine = media.reversed().stream().filter(m -> m.owner().equals(owner)).toList();
        int from = 0;
        if (afterId != null) {
            from = mine.stream().map(Media::id).toList().indexOf(afterId) + 1;
            if (from == 0) {
                throw GraphError.invalidParameter("The parameter after is not a valid cursor");
            }
        }
        return mine.subList(from, Math.min(mine.size(), from + limit));
    }

    private Duration processingTime() {
        return settings.platform(PLATFORM).processingTime();
    }

    // Instagram takes no idempotency key: two posts of the same caption and video on one account are the duplicate
    private static String contentKey(Container c) {
        MessageDigest d = SimulatorSupport.sha256();
        d.update(c.caption.getBytes(StandardCharsets.UTF_8));
        d.update((byte) 0);
        d.update(String.valueOf(c.sha256).getBytes(StandardCharsets.US_ASCII));
        return "content-" + HexFormat.of().formatHex(d.digest()).substring(0, 16);
    }
}
