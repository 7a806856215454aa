package dev.crosspost.generation.internal;

import dev.crosspost.intake.ContentPrepared;
import dev.crosspost.generation.GenerationSettings;
import dev.crosspost.intake.ContentAccepted;
import dev.crosspost.media.ProductVideos;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Advances one content row's generation by one step: captions, then the video (the row's own, HeyGen's or the
 * offline render), then {@link ContentPrepared}. All state lives in {@code generation_jobs}, so a crash or restart
 * resumes at the step it was in; credits are reserved under ids derived from the row, so a repeated step never
 * charges twice.
 */
final class Generator {

    /** When to run again, or nothing more to do. */
    sealed interface Next {
        record At(Instant when) implements Next {
        }

        record Done() implements Next {
        }
    }

    private static final Logger log = LoggerFactory.getLogger(Generator.class);
    private static final TypeReference<LinkedHashMap<String, ContentPrepared.Caption>> CAPTIONS = new TypeReference<>() {
    };

    private final JdbcClient jdbc;
    private final TransactionTemplate tx;
    private final ApplicationEventPublisher events;
    private final JsonMapper json;
    private final Clock clock;
    private final GenerationSettings.Generation settings;
    private final Credits credits;
    private final Captioner captioner;
    private final @Nullable HeyGen heygen;
    private final ServiceGate heygenGate;
    private final ObjectProvider<ProductVideos> productVideos;
    private final MediaFetch fetch;
    private final Path outputDir;
    private final AtomicBoolean toldNoRenderer = new AtomicBoolean();

    Generator(JdbcClient jdbc, TransactionTemplate tx, ApplicationEventPublisher events, JsonMapper json, Clock clock,
              GenerationSettings.Generation settings, Credits credits, Captioner captioner, @Nullable HeyGen heygen,
              ServiceGate heygenGate, ObjectProvider<ProductVideos> productVideos, MediaFetch fetch, Path dataDir) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.events = events;
        this.json = json;
        this.clock = clock;
        this.settings = settings;
        this.credits = credits;
        this.captioner = captioner;
        this.heygen = heygen;
        this.heygenGate = heygenGate;
        this.productVideos = productVideos;
        this.fetch = fetch;
        this.outputDir = dataDir.resolve("generated");
    }

    private record Job(ContentAccepted content, String state, int attempts, int polls,
                       @Nullable Map<String, ContentPrepared.Caption> captions, @Nullable String heygenVideoId) {
    }

    /** Stores the row's generation job; false when it was stored before (a redelivered event). */
    boolean accept(ContentAccepted c) {
        Timestamp now = Timestamp.from(clock.instant());
        return jdbc.sql("""
                        INSERT INTO generation_jobs (content_id, workspace_id, campaign_id, request, state, created_at, updated_at)
                        VALUES (:id, :w, :c, CAST(:request AS JSONB), 'captions', :now, :now) ON CONFLICT (content_id) DO NOTHING""")
                .param("id", c.contentId()).param("w", c.workspaceId()).param("c", c.campaignId())
                .param("request", json.writeValueAsString(c)).param("now", now).update() == 1;
    }

    Next advance(UUID contentId) {
        Job job = load(contentId);
        if (job == null) {
            return new Next.Done();
        }
        return switch (job.state()) {
            case "captions" -> captions(job);
            case "video" -> video(job);
            case "video_polling" -> poll(job);
            default -> new Next.Done();
        };
    }

    private Next captions(Job job) {
        ContentAccepted c = job.content();
        if (!captioner.usesModel()) {
            return captionsDone(job, captioner.template(c));
        }
        UUID reservation = reservationId(c, "captions");
        var cached = captioner.cached(c);
        if (cached.isPresent()) {
            // identical content was captioned meanwhile (a retry may already hold credits): no model work, no charge
            credits.refund(reservation);
            return captionsDone(job, cached.get());
        }
        if (reserve(c, reservation, settings.costs().captions(), "captions for " + c.externalId()) instanceof Credits.Reservation.Insufficient i) {
            return finish(job, Map.of(), null, outOfCredits("captions", i));
        }
        return switch (captioner.ask(c)) {
            case Captioner.Outcome.Written w -> {
                credits.commit(reservation);
                yield captionsDone(job, w.captions());
            }
            case Captioner.Outcome.Wait w -> new Next.At(w.until());
            case Captioner.Outcome.Failed f when f.retryable() && job.attempts() + 1 < settings.maxAttempts() ->
                    retry(job, f.notBefore(), f.reason());
            case Captioner.Outcome.Failed f -> {
                credits.refund(reservation);
                log.warn("Captions for content {} fall back to the template: {}", c.contentId(), f.reason());
                yield captionsDone(job, captioner.template(c));
            }
        };
    }

    private Next captionsDone(Job job, Map<String, ContentPrepared.Caption> captions) {
        jdbc.sql("UPDATE generation_jobs SET state = 'video', attempts = 0, captions = CAST(:captions AS JSONB), updated_at = :now WHERE content_id = :id")
                .param("captions", json.writeValueAsString(captions)).param("now", Timestamp.from(clock.instant()))
                .param("id", job.content().contentId()).update();
        return video(new Job(job.content(), "video", 0, 0, captions, null));
    }

    private Next video(Job job) {
        ContentAccepted c = job.content();
        if (c.videoUrl() != null && !c.videoUrl().isBlank()) {
            return finish(job, job.captions(), own(c.videoUrl()), null);
        }
        if (heygen != null) {
            return startAvatar(job);
        }
        return renderOffline(job);
    }

    private Next startAvatar(Job job) {
        ContentAccepted c = job.content();
        UUID reservation = reservationId(c, "video");
        if (reserve(c, reservation, settings.costs().avatarVideo(), "avatar video for " + c.externalId()) instanceof Credits.Reservation.Insufficient i) {
            return finish(job, job.captions(), null, outOfCredits("the avatar video", i));
        }
        Instant wait = heygenGate.enter();
        if (wait != null) {
            return new Next.At(wait);
        }
        HeyGen.Reply reply = heygen.generate(c.title(), script(c), c.contentId().toString());
        if (reply instanceof HeyGen.Reply.Started(String videoId)) {
            heygenGate.succeeded();
            jdbc.sql("UPDATE generation_jobs SET state = 'video_polling', attempts = 0, polls = 0, heygen_video_id = :v, updated_at = :now WHERE content_id = :id")
                    .param("v", videoId).param("now", Timestamp.from(clock.instant())).param("id", c.contentId()).update();
            return new Next.At(clock.instant().plus(settings.heygen().pollInterval()));
        }
        HeyGen.Reply.Failure f = (HeyGen.Reply.Failure) reply;
        if (f.retryable()) {
            heygenGate.failed(new IllegalStateException(f.message()));
            if (job.attempts() + 1 < settings.maxAttempts()) {
                return retry(job, f.retryAfter() == null ? null : clock.instant().plus(f.retryAfter()), "HeyGen: " + f.message());
            }
        } else {
            heygenGate.succeeded();
        }
        credits.refund(reservation);
        return finish(job, job.captions(), null, "HeyGen refused the video: " + f.message());
    }

    private Next poll(Job job) {
        ContentAccepted c = job.content();
        UUID reservation = reservationId(c, "video");
        HeyGen.Reply reply = heygen == null ? new HeyGen.Reply.Failure(0, "HeyGen is no longer configured", false, null)
                : heygen.status(job.heygenVideoId());
        switch (reply) {
            case HeyGen.Reply.Status s when s.status().equals("completed") && s.videoUrl() != null -> {
                Path target = outputDir.resolve(c.contentId() + ".mp4");
                try {
                    MediaFetch.Fetched got = fetch.download(s.videoUrl(), target, settings.maxDownloadBytes());
                    credits.commit(reservation);
                    String type = got.contentType().startsWith("video/") ? got.contentType() : "video/mp4";
                    return finish(job, job.captions(), new ContentPrepared.Video(target.toUri().toString(), type, got.sizeBytes(), "heygen"), null);
                } catch (IOException e) {
                    if (job.attempts() + 1 < settings.maxAttempts()) {
                        return retry(job, null, "download of HeyGen's video failed: " + e.getMessage());
                    }
                    credits.refund(reservation);
                    return finish(job, job.captions(), null, "HeyGen's video could not be downloaded: " + e.getMessage());
                }
            }
            case HeyGen.Reply.Status s when s.status().equals("failed") -> {
                credits.refund(reservation);
                return finish(job, job.captions(), null, "HeyGen could not render the video: "
                        + (s.error() == null ? "no reason given" : s.error()));
            }
            case HeyGen.Reply.Failure f when !f.retryable() -> {
                credits.refund(reservation);
                return finish(job, job.captions(), null, "HeyGen refused the status check: " + f.message());
            }
            default -> {
                if (job.polls() + 1 >= settings.heygen().maxPolls()) {
                    credits.refund(reservation);
                    return finish(job, job.captions(), null, "HeyGen did not finish the video after " + job.polls() + " status checks");
                }
                jdbc.sql("UPDATE generation_jobs SET polls = polls + 1, updated_at = :now WHERE content_id = :id")
                        .param("now", Timestamp.from(clock.instant())).param("id", c.contentId()).update();
                return new Next.At(clock.instant().plus(settings.heygen().pollInterval()));
            }
        }
    }

    private Next renderOffline(Job job) {
        ContentAccepted c = job.content();
        ProductVideos renderer = productVideos.getIfAvailable();
        if (renderer == null) {
            if (toldNoRenderer.compareAndSet(false, true)) {
                log.warn("No HeyGen key and no offline video renderer: content goes out without a generated video");
            }
            return finish(job, job.captions(), null, null);
        }
        if (c.imageUrl() == null || c.imageUrl().isBlank() || c.price() == null || c.currency() == null) {
            log.info("Content {} has no image or price to render an offline video from; it goes out without one", c.contentId());
            return finish(job, job.captions(), null, null);
        }
        UUID reservation = reservationId(c, "video");
        if (reserve(c, reservation, settings.costs().offlineVideo(), "offline video for " + c.externalId()) instanceof Credits.Reservation.Insufficient i) {
            return finish(job, job.captions(), null, outOfCredits("the offline video", i));
        }
        Path target = outputDir.resolve(c.contentId() + ".mp4");
        Path image = outputDir.resolve(c.contentId() + ".image");
        try {
            fetch.download(c.imageUrl(), image, settings.maxDownloadBytes());
            renderer.render(image, c.title(), c.price(), c.currency(), target);
            credits.commit(reservation);
            return finish(job, job.captions(), new ContentPrepared.Video(target.toUri().toString(), "video/mp4", Files.size(target), "offline"), null);
        } catch (IOException | RuntimeException e) {
            if (job.attempts() + 1 < settings.maxAttempts()) {
                return retry(job, null, "offline render failed: " + e.getMessage());
            }
            credits.refund(reservation);
            return finish(job, job.captions(), null, "the offline video could not be made: " + e.getMessage());
        } finally {
            try {
                Files.deleteIfExists(image);
            } catch (IOException e) {
                log.debug("Could not delete {}", image, e);
            }
        }
    }

    private Credits.Reservation reserve(ContentAccepted c, UUID id, long amount, String purpose) {
        return amount <= 0 ? new Credits.Reservation.Taken(id) : credits.reserve(c.workspaceId(), id, amount, purpose);
    }

    private Next retry(Job job, @Nullable Instant notBefore, String reason) {
        Duration backoff = settings.retryDelay().multipliedBy(1L << Math.min(job.attempts(), 16));
        Instant at = clock.instant().plus(backoff);
        if (notBefore != null && notBefore.isAfter(at)) {
            at = notBefore;
        }
        log.info("Generation of content {} will retry at {}: {}", job.content().contentId(), at, reason);
        jdbc.sql("UPDATE generation_jobs SET attempts = attempts + 1, updated_at = :now WHERE content_id = :id")
                .param("now", Timestamp.from(clock.instant())).param("id", job.content().contentId()).update();
        return new Next.At(at);
    }

    /** Records the outcome and publishes {@link ContentPrepared} in one transaction, so the hand-off is durable. */
    private Next finish(Job job, @Nullable Map<String, ContentPrepared.Caption> captions, ContentPrepared.@Nullable Video video,
                        @Nullable String failure) {
        ContentAccepted c = job.content();
        Map<String, ContentPrepared.Caption> written = captions == null ? Map.of() : captions;
        tx.executeWithoutResult(status -> {
            int updated = jdbc.sql("""
                            UPDATE generation_jobs SET state = :state, failure = :failure, video = CAST(:video AS JSONB), updated_at = :now
                            WHERE content_id = :id AND state NOT IN ('done', 'failed')""")
                    .param("state", failure == null ? "done" : "failed").param("failure", failure)
                    .param("video", video == null ? null : json.writeValueAsString(video))
                    .param("now", Timestamp.from(clock.instant())).param("id", c.contentId()).update();
            if (updated == 1) {
                events.publishEvent(new ContentPrepared(c.workspaceId(), c.campaignId(), c.contentId(), written, video, failure));
            }
        });
        if (failure != null) {
            log.warn("Generation for content {} gave up: {}", c.contentId(), failure);
        }
        return new Next.Done();
    }

    private @Nullable Job load(UUID contentId) {
        return jdbc.sql("SELECT request, state, attempts, polls, captions, heygen_video_id FROM generation_jobs WHERE content_id = :id")
                .param("id", contentId)
                .query((rs, n) -> new Job(json.readValue(rs.getString("request"), ContentAccepted.class), rs.getString("state"),
                        rs.getInt("attempts"), rs.getInt("polls"),
                        rs.getString("captions") == null ? null : json.readValue(rs.getString("captions"), CAPTIONS),
                        rs.getString("heygen_video_id")))
                .optional().orElse(null);
    }

    private static ContentPrepared.Video own(String location) {
        long size = -1;
        if (location.startsWith("file:")) {
            try {
                size = Files.size(Path.of(java.net.URI.create(location)));
            } catch (IOException | RuntimeException e) {
                log.debug("Size of {} unknown", location, e);
            }
        }
        return new ContentPrepared.Video(location, SafeMediaFetch.guess(location.replaceFirst("[?#].*$", "")), size, "source");
    }

    private static String script(ContentAccepted c) {
        String text = c.title() + ". " + c.description()
                + (c.price() == null ? "" : " Now " + c.price().toPlainString() + (c.currency() == null ? "" : " " + c.currency()) + ".");
        text = CaptionText.clean(text).replace('\n', ' ');
        return CaptionRules.cut(text, HeyGen.MAX_SCRIPT, CaptionRules.Unit.CODE_POINTS);
    }

    private static UUID reservationId(ContentAccepted c, String what) {
        return UUID.nameUUIDFromBytes((c.contentId() + ":" + what).getBytes(StandardCharsets.UTF_8));
    }

    private static String outOfCredits(String what, Credits.Reservation.Insufficient i) {
        return "out of credits: " + what + " costs " + i.needed() + ", the balance is " + i.balance();
    }
}
