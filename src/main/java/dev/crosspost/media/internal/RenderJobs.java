package dev.crosspost.media.internal;

import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.task.FailureHandler;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import dev.crosspost.system.CrosspostException;
import dev.crosspost.system.SchedulerWake;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.UncheckedIOException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.IntConsumer;

/**
 * Render jobs of the direct media API: a request is checked, stored as a {@code queued} job and run by a
 * db-scheduler execution named by the job's id, so it survives a restart (a job whose node died is run again;
 * renditions already stored are reused). The job row carries the status, the percent done and, at the end, the
 * results or the reason it failed.
 */
@Service
class RenderJobs {

    private static final Logger log = LoggerFactory.getLogger(RenderJobs.class);
    static final String TASK = "media-render";
    private static final int MAX_ATTEMPTS = 5;

    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final RenditionService renditions;
    private final Clips clips;
    private final ObjectProvider<SchedulerClient> scheduler;
    private final ObjectProvider<OneTimeTask<Void>> task;
    private final Clock clock;

    RenderJobs(JdbcClient jdbc, JsonMapper json, RenditionService renditions, Clips clips, ObjectProvider<SchedulerClient> scheduler,
               @Qualifier("mediaRenderTask") ObjectProvider<OneTimeTask<Void>> task, Clock clock) {
        this.jdbc = jdbc;
        this.json = json;
        this.renditions = renditions;
        this.clips = clips;
        this.scheduler = scheduler;
        this.task = task;
        this.clock = clock;
    }

    /** What a job does, with its request as stored. */
    sealed interface Work permits RenditionsWork, ClipsWork, ScenesWork {
    }

    record RenditionsWork(List<String> platforms) implements Work {
    }

    record ClipsWork(List<Clips.Cut> clips) implements Work {
    }

    record ScenesWork(double threshold, double minSeconds) implements Work {
    }

    /**
     * A render job as {@code GET /api/v1/render-jobs/{id}} shows it.
     *
     * @param operation {@code renditions}, {@code clips} or {@code scenes}
     * @param status {@code queued}, {@code running}, {@code done} or {@code failed}
     * @param error why it failed, else null
     * @param result once done: the rendition set, {@code {"data": [clip assets]}} or the scene list
     */
    record JobView(UUID id, UUID assetId, String operation, String status, int percent, @Nullable String error,
                   @Nullable JsonNode result, Instant createdAt, @Nullable Instant startedAt, @Nullable Instant finishedAt) {

        boolean finished() {
            return status.equals("done") || status.equals("failed");
        }
    }

    /** Refuses what the job would refuse (404, not a video, unknown platform, cuts outside), then queues it. */
    @Transactional
    JobView submit(UUID workspaceId, UUID assetId, Work work) {
        switch (work) {
            case RenditionsWork r -> renditions.check(workspaceId, assetId, new LinkedHashSet<>(r.platforms()));
            case ClipsWork c -> clips.check(workspaceId, assetId, c.clips());
            case ScenesWork s -> clips.check(workspaceId, assetId);
        }
        UUID id = UUID.randomUUID();
        Instant now = clock.instant();
        jdbc.sql("""
                        INSERT INTO media_render_jobs (id, workspace_id, asset_id, operation, request, status, created_at)
                        VALUES (:id, :ws, :asset, :op, CAST(:request AS jsonb), 'queued', :now)""")
                .param("id", id).param("ws", workspaceId).param("asset", assetId).param("op", operation(work))
                .param("request", json.writeValueAsString(work)).param("now", Timestamp.from(now)).update();
        scheduler.getObject().scheduleIfNotExists(task.getObject().instanceBuilder(id.toString()).scheduledTo(now));
        SchedulerWake.afterCommit(scheduler.getObject());
        return find(workspaceId, id).orElseThrow();
    }

    /** The job, or empty when it is not this workspace's. */
    Optional<JobView> find(UUID workspaceId, UUID id) {
        return jdbc.sql("SELECT * FROM media_render_jobs WHERE id = :id AND workspace_id = :ws").param("id", id).param("ws", workspaceId)
                .query(this::view).optional();
    }

    /** Runs a job to its end; a failure of the render ends the job as failed, anything else is retried. */
    void run(UUID id) {
        record Queued(UUID workspaceId, UUID assetId, String operation, String request, String status) {
        }
        Queued job = jdbc.sql("SELECT workspace_id, asset_id, operation, request, status FROM media_render_jobs WHERE id = :id")
                .param("id", id).query((rs, n) -> new Queued(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getString(3),
                        rs.getString(4), rs.getString(5))).optional().orElse(null);
        if (job == null || job.status().equals("done") || job.status().equals("failed")) {
            return; // swept, or a retry after the end was recorded
        }
        jdbc.sql("UPDATE media_render_jobs SET status = 'running', percent = 0, started_at = coalesce(started_at, :now) WHERE id = :id")
                .param("id", id).param("now", Timestamp.from(clock.instant())).update();
        IntConsumer progress = percent -> jdbc.sql("UPDATE media_render_jobs SET percent = :p WHERE id = :id AND percent < :p")
                .param("id", id).param("p", Math.min(percent, 100)).update();
        Object result;
        try {
            result = switch (job.operation()) {
                case "renditions" -> renditions.render(job.workspaceId(), job.assetId(),
                        new LinkedHashSet<>(json.readValue(job.request(), RenditionsWork.class).platforms()), progress);
                case "clips" -> new AssetController.AssetList(clips.cut(job.workspaceId(), job.assetId(),
                        json.readValue(job.request(), ClipsWork.class).clips(), progress));
                case "scenes" -> {
                    ScenesWork s = json.readValue(job.request(), ScenesWork.class);
                    Clips.Scenes scenes = clips.scenes(job.workspaceId(), job.assetId(), s.threshold(), s.minSeconds(), progress);
                    yield new AssetController.SceneList(scenes.durationSeconds(), scenes.cuts(), scenes.suggestions());
                }
                default -> throw new IllegalStateException("unknown render operation " + job.operation());
            };
        } catch (FfmpegRunner.FfmpegFailed e) {
            if (Thread.currentThread().isInterrupted()) {
                throw e; // the node is stopping: the execution is retried, here or on another node
            }
            log.warn("Render job {} failed: {}\n{}", id, e.getMessage(), e.stderr());
            finish(id, "failed", null, "FFmpeg could not render the asset: " + e.getMessage() + lastLine(e.stderr()));
            return;
        } catch (CrosspostException e) {
            finish(id, "failed", null, e.getMessage());
            return;
        } catch (UncheckedIOException e) {
            log.warn("Render job {} failed", id, e);
            finish(id, "failed", null, "the source could not be read or an output could not be stored");
            return;
        }
        finish(id, "done", json.writeValueAsString(result), null);
    }

    /** The job's execution failed {@value #MAX_ATTEMPTS} times for reasons outside the render (logged by the scheduler). */
    void giveUp(UUID id) {
        finish(id, "failed", null, "the render could not be completed after " + MAX_ATTEMPTS + " attempts; try again later");
    }

    private void finish(UUID id, String status, @Nullable String result, @Nullable String error) {
        jdbc.sql("""
                        UPDATE media_render_jobs SET status = :status, result = CAST(:result AS jsonb), error = :error, finished_at = :now,
                               percent = CASE WHEN :status = 'done' THEN 100 ELSE percent END
                        WHERE id = :id AND status NOT IN ('done', 'failed')""")
                .param("id", id).param("status", status).param("result", result).param("error", error)
                .param("now", Timestamp.from(clock.instant())).update();
    }

    /** FFmpeg's last complaint, without the temp paths it names (those are the node's business). */
    static String lastLine(String stderr) {
        List<String> lines = stderr.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
        return lines.isEmpty() ? "" : " (" + lines.getLast().replaceAll("(/[^/\\s:]+)+/", "") + ")";
    }

    private static String operation(Work work) {
        return switch (work) {
            case RenditionsWork r -> "renditions";
            case ClipsWork c -> "clips";
            case ScenesWork s -> "scenes";
        };
    }

    private JobView view(ResultSet rs, int n) throws SQLException {
        String result = rs.getString("result");
        return new JobView(rs.getObject("id", UUID.class), rs.getObject("asset_id", UUID.class), rs.getString("operation"),
                rs.getString("status"), rs.getInt("percent"), rs.getString("error"), result == null ? null : json.readTree(result),
                instant(rs, "created_at"), instant(rs, "started_at"), instant(rs, "finished_at"));
    }

    private static @Nullable Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }

    @Configuration(proxyBeanMethods = false)
    static class TaskDefinition {
        @Bean
        OneTimeTask<Void> mediaRenderTask(RenderJobs jobs) {
            FailureHandler<Void> backoff = new FailureHandler.ExponentialBackoffFailureHandler<>(Duration.ofSeconds(5), 2.0);
            return Tasks.oneTime(TASK)
                    // a node that stops mid-render or a database hiccup: run the job again (stored outputs are reused),
                    // a few times, then record that it gave up so the job never stays running forever
                    .onFailure((complete, ops) -> {
                        if (complete.getExecution().consecutiveFailures + 1 >= MAX_ATTEMPTS) {
                            jobs.giveUp(UUID.fromString(complete.getExecution().taskInstance.getId()));
                            ops.remove();
                        } else {
                            backoff.onFailure(complete, ops);
                        }
                    })
                    .execute((instance, context) -> {
                        UUID id = UUID.fromString(instance.getId());
                        try (var ignored = MDC.putCloseable("renderJobId", id.toString())) {
                            jobs.run(id);
                        }
                    });
        }
    }
}
