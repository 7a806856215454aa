package dev.crosspost.sandbox.youtube;

import dev.crosspost.sandbox.RecordedPost;
import dev.crosspost.sandbox.SandboxSettings;
import dev.crosspost.sandbox.SandboxSettings.PlatformSim;
import dev.crosspost.sandbox.SandboxEnabled;
import dev.crosspost.sandbox.simulator.SimulatorSupport;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.zip.CRC32C;

/**
 * The simulated channel: resumable upload sessions, videos and their processing, the daily {@code videos.insert}
 * quota (reset at midnight Pacific Time) and the switches tests flip. Every sandbox token speaks for this one
 * channel.
 */
@Component
@SandboxEnabled
class YouTubeChannel {

    static final String CHANNEL_ID = "UCsandboxYouTubeChannel0";
    private static final ZoneId QUOTA_ZONE = ZoneId.of("America/Los_Angeles");

    private final Clock clock;
    private final SandboxSettings settings;
    private final SimulatorSupport records;
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final List<Video> videos = new ArrayList<>();
    private LocalDate quotaDay = LocalDate.MIN;
    private int insertsToday;
    private volatile Switches switches = Switches.NONE;

    YouTubeChannel(Clock clock, SandboxSettings settings, SimulatorSupport records) {
        this.clock = clock;
        this.settings = settings;
        this.records = records;
    }

    /** Outcomes tests can force. */
    record Switches(boolean quotaExceeded, boolean uploadLimitExceeded) {
        static final Switches NONE = new Switches(false, false);
    }

    /** What the client said about the video when it opened the session. */
    record Metadata(String title, String description, List<String> tags, String categoryId, String privacyStatus) {
    }

    /** An upload in progress: how many bytes the server holds, and their running checksum. */
    static final class Session {
        final String id = UUID.randomUUID().toString().replace("-", "");
        final Metadata metadata;
        final long total;
        final CRC32C crc = new CRC32C();
        long received;
        @Nullable Video video;

        Session(Metadata metadata, long total) {
            this.metadata = metadata;
            this.total = total;
        }
    }

    /** An uploaded video; its processing outcome shows from the second status check on, once processing time passed. */
    static final class Video {
        final String id;
        final Metadata metadata;
        final long size;
        final String digest;
        final Instant uploadedAt;
        final @Nullable String duplicateOf;
        boolean checked;

        Video(String id, Metadata metadata, long size, String digest, Instant uploadedAt, @Nullable String duplicateOf) {
            this.id = id;
            this.metadata = metadata;
            this.size = size;
            this.digest = digest;
            this.uploadedAt = uploadedAt;
            this.duplicateOf = duplicateOf;
        }
    }

    /** Processing as the status check shows it. */
    record Processing(String uploadStatus, @Nullable String rejectionReason, String processingStatus, int partsProcessed) {
        static final int PARTS = 1000;
    }

    Switches switches() {
        return switches;
    }

    void set(Switches next) {
        switches = next;
    }

    synchronized void reset() {
        sessions.clear();
        videos.clear();
        insertsToday = 0;
        switches = Switches.NONE;
    }

    /** Takes one {@code videos.insert} from today's quota, or returns false when it is used up. */
    synchronized boolean takeInsert() {
        LocalDate today = LocalDate.ofInstant(clock.instant(), QUOTA_ZONE);
        if (!today.equals(quotaDay)) {
            quotaDay = today;
            insertsToday = 0;
        }
        if (switches.quotaExceeded() || insertsToday >= sim().quotaLimit()) {
            return false;
        }
        insertsToday++;
        return true;
    }

    Session open(Metadata metadata, long total) {
        Session session = new Session(metadata, total);
        sessions.put(session.id, session);
        return session;
    }

    /** Forgets every upload session, as Google does about a week after it was opened; videos stay. */
    void expireSessions() {
        sessions.clear();
    }

    Optional<Session> session(String id) {
        return Optional.ofNullable(sessions.get(id));
    }

    /** Turns a complete session into a video; a video with the same bytes already on the channel makes it a duplicate. */
    synchronized Video complete(Session session) {
        if (session.video != null) {
            return session.video;
        }
        String digest = Long.toHexString(session.crc.getValue()) + ":" + session.total;
        String duplicateOf = videos.stream().filter(v -> v.digest.equals(digest) && v.duplicateOf == null)
                .map(v -> v.id).findFirst().orElse(null);
        Video video = new Video(newVideoId(), session.metadata, session.total, digest, clock.instant(), duplicateOf);
        videos.add(video);
        session.video = video;
        String marker = session.metadata.tags().stream().filter(t -> t.startsWith("crosspost-")).findFirst().orElse(null);
        records.record(new RecordedPost("youtube", video.id, "https://www.youtube.com/watch?v=" + video.id, CHANNEL_ID,
                session.metadata.title(), marker != null ? marker : "sha:" + digest, null, video.uploadedAt));
        return video;
    }

    synchronized Optional<Video> video(String id) {
        return videos.stream().filter(v -> v.id.equals(id)).findFirst();
    }

    /** The channel's videos, newest first. */
    synchronized List<Video> newestFirst() {
        return List.copyOf(videos).reversed();
    }

    /** The first check after upload always sees it processing; later ones the outcome once processing time passed. */
    synchronized Processing check(Video video) {
        Instant now = clock.instant();
        Duration time = sim().processingTime();
        boolean done = video.checked && !now.isBefore(video.uploadedAt.plus(time));
        video.checked = true;
        if (!done) {
            long elapsed = Duration.between(video.uploadedAt, now).toMillis();
            int parts = time.isZero() ? Processing.PARTS / 2
                    : (int) Math.min(Processing.PARTS - 1, elapsed * Processing.PARTS / Math.max(1, time.toMillis()));
            return new Processing("uploaded", null, "processing", parts);
        }
        return video.duplicateOf != null ? new Processing("rejected", "duplicate", "succeeded", Processing.PARTS)
                : new Processing("processed", null, "succeeded", Processing.PARTS);
    }

    private PlatformSim sim() {
        return settings.platform("youtube");
    }

    private static String newVideoId() {
        byte[] bytes = new byte[8];
        ThreadLocalRandom.current().nextBytes(bytes);
        return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(bytes).substring(0, 11);
    }
}
