package dev.crosspost.publishing.engine;

import dev.crosspost.publishing.PublicationState;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.namedparam.SqlParameterSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Reads and writes publications and their history; every save is guarded by the version column. A plain component,
 * not a {@code @Repository}: JdbcClient already throws DataAccessException, and the translation proxy would wrap
 * every call, each row mapped for a list included.
 */
@Component
public class PublicationStore {

    private static final TypeReference<Map<String, String>> STRING_MAP = new TypeReference<>() {
    };
    private final JdbcClient jdbc;
    private final NamedParameterJdbcTemplate batch;
    private final JsonMapper json;

    PublicationStore(JdbcClient jdbc, NamedParameterJdbcTemplate batch, JsonMapper json) {
        this.jdbc = jdbc;
        this.batch = batch;
        this.json = json;
    }

    /** One history row: a transition, with the step outcome that caused it. */
    public record HistoryEntry(@Nullable String outcome, @Nullable String errorClass, @Nullable Integer responseCode,
                               @Nullable String reason) {
        static HistoryEntry of(String outcome) {
            return new HistoryEntry(outcome, null, null, null);
        }
    }

    /** Someone else changed the publication first; the caller re-reads and decides again. */
    static class ConcurrentChangeException extends RuntimeException {
        ConcurrentChangeException(UUID id) {
            super("publication " + id + " was changed concurrently");
        }
    }

    /** Inserts new publications with their "created" history rows: two batched statements, whatever the count. */
    void insertAll(List<Publication> publications) {
        batch.batchUpdate("""
                        INSERT INTO publications (id, post_id, workspace_id, platform, account_id, idempotency_key, state, step_index,
                          step_data, next_attempt_at, waiting_reason, created_at, updated_at, request_id)
                        VALUES (:id, :post, :ws, :platform, :account, :key, :state, 0, '{}', :next, :reason, :at, :at, :requestId)""",
                publications.stream().map(p -> new MapSqlParameterSource()
                        .addValue("id", p.id()).addValue("post", p.postId()).addValue("ws", p.workspaceId())
                        .addValue("platform", p.platform()).addValue("account", p.accountId()).addValue("key", p.idempotencyKey())
                        .addValue("state", p.state().name()).addValue("next", ts(p.nextAttemptAt()), Types.TIMESTAMP)
                        .addValue("reason", p.waitingReason(), Types.VARCHAR)
                        .addValue("at", ts(p.createdAt())).addValue("requestId", p.requestId(), Types.VARCHAR)).toArray(SqlParameterSource[]::new));
        batch.batchUpdate("""
                        INSERT INTO publication_history (publication_id, post_id, workspace_id, at, to_state, outcome)
                        VALUES (:pub, :post, :ws, :at, :to, 'created')""",
                publications.stream().map(p -> new MapSqlParameterSource()
                        .addValue("pub", p.id()).addValue("post", p.postId()).addValue("ws", p.workspaceId())
                        .addValue("at", ts(p.createdAt())).addValue("to", p.state().name())).toArray(SqlParameterSource[]::new));
    }

    public Optional<Publication> find(UUID id) {
        return jdbc.sql("SELECT * FROM publications WHERE id = :id").param("id", id).query(this::map).optional();
    }

    public Optional<Publication> find(UUID workspace, UUID id) {
        return jdbc.sql("SELECT * FROM publications WHERE id = :id AND workspace_id = :ws")
                .param("id", id).param("ws", workspace).query(this::map).optional();
    }

    /** The publications with these ids, in one query; order as given. */
    List<Publication> findAll(List<UUID> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        Map<UUID, Publication> byId = new java.util.HashMap<>();
        jdbc.sql("SELECT * FROM publications WHERE id IN (:ids)").param("ids", ids).query(this::map).list()
                .forEach(p -> byId.put(p.id(), p));
        return ids.stream().map(byId::get).filter(java.util.Objects::nonNull).toList();
    }

    /** The publications of these posts, in one query. */
    List<Publication> forPosts(List<UUID> postIds) {
        if (postIds.isEmpty()) {
            return List.of();
        }
        return jdbc.sql("SELECT * FROM publications WHERE post_id IN (:posts) ORDER BY platform, account_id")
                .param("posts", postIds).query(this::map).list();
    }

    public List<Publication> forPost(UUID postId) {
        return jdbc.sql("SELECT * FROM publications WHERE post_id = :post ORDER BY platform, account_id")
                .param("post", postId).query(this::map).list();
    }

    /** How a save commits. */
    enum Commit {
        /** Waits for the WAL flush: a user's action, or a sent mark, which must be on disk before its effect leaves. */
        DURABLE,
        /**
         * Does not wait: an engine step the engine makes again if a crash loses it. Losing it leaves the publication
         * at the durable state before it, which still holds every sent mark; and the next sent mark's flush writes
         * out the WAL before it, this commit included, before anything more is sent.
         */
        REDOABLE;

        /** An engine step waits for the flush only when it marks an effect as being sent. */
        static Commit ofEngineStep(Publication before, Publication next) {
            boolean marksSending = next.sentAt() != null
                    && (!next.sentAt().equals(before.sentAt()) || !Objects.equals(next.sentStep(), before.sentStep()));
            return marksSending ? DURABLE : REDOABLE;
        }
    }

    /**
     * Writes {@code next} if the row still has {@code before}'s version, and appends a history row when the
     * state changed or a step outcome is given. Returns the saved snapshot.
     */
    Publication save(Publication before, Publication next, @Nullable HistoryEntry entry, Instant now) {
        return save(before, next, entry, now, Commit.DURABLE);
    }

    /** As {@link #save(Publication, Publication, HistoryEntry, Instant)}, committed as {@code commit} says. */
    Publication save(Publication before, Publication next, @Nullable HistoryEntry entry, Instant now, Commit commit) {
        int rows = write(before, next, entry, now, commit == Commit.DURABLE ? SAVE : SAVE_REDOABLE).query((rs, n) -> rs.getInt(1)).single();
        if (rows != 1) {
            throw new ConcurrentChangeException(next.id());
        }
        return saved(before, next, now);
    }

    /** A publication that has just ended, and the count of its post's publications still open after it. */
    record Ended(Publication publication, int open) {
    }

    /**
     * Saves a publication's ending (as {@link #save}), counts it off its post and deletes its scheduler job, in one
     * statement; the caller's transaction then commits without waiting for the WAL flush. An ending records an
     * outcome the platform already holds: if the host crashed before this commit reached disk, the publication is
     * back at its durable "sent" mark with its job, and gets reconciled, never sent again. Concurrent endings of one
     * post queue on the post row, so exactly one of the last of them sees zero open.
     */
    Ended saveEnding(Publication before, Publication next, @Nullable HistoryEntry entry, Instant now) {
        var counts = write(before, next, entry, now, SAVE_ENDING).query((rs, n) -> new Integer[]{rs.getInt(1), (Integer) rs.getObject(2)}).single();
        if (counts[0] != 1) {
            throw new ConcurrentChangeException(next.id());
        }
        if (counts[1] == null) {
            throw new IllegalStateException("publication " + next.id() + " has no post " + next.postId());
        }
        return new Ended(saved(before, next, now), counts[1]);
    }

    // one round trip: the update, and the history row (and for an ending, the post's count and job) only if the update hit
    // the expected version; constants, so the statement text is not rebuilt on every save
    private static final String UPDATE_AND_LOG = """
            WITH updated AS (
            UPDATE publications SET state = :state, step_index = :stepIndex, step_name = :stepName,
              step_data = CAST(:stepData AS jsonb), sent_step = :sentStep, sent_at = :sentAt, attempts = :attempts,
              polls = :polls, reconcile_attempts = :reconcileAttempts, next_attempt_at = :next, waiting_reason = :reason,
              platform_post_id = :postIdOnPlatform, platform_url = :url, error_class = :errorClass, error_code = :errorCode,
              error_message = :errorMessage, dead_reason = :deadReason, updated_at = :now, version = version + 1
            WHERE id = :id AND version = :version
            RETURNING id, post_id, workspace_id, state, step_name),
            logged AS (
            INSERT INTO publication_history (publication_id, post_id, workspace_id, at, from_state, to_state, step,
              outcome, error_class, response_code, reason)
            SELECT id, post_id, workspace_id, :now, :from, state, step_name, :outcome, :cls, :code, :why
            FROM updated WHERE :withHistory)
            """;
    private static final String SAVE = UPDATE_AND_LOG + "SELECT count(*) FROM updated";
    // set_config(..., true) lasts to the end of the transaction, and that transaction's commit reads it
    private static final String SAVE_REDOABLE = UPDATE_AND_LOG + "SELECT (SELECT count(*) FROM updated), set_config('synchronous_commit', 'off', true)";
    private static final String SAVE_ENDING = UPDATE_AND_LOG + """
            , settled AS (
            UPDATE posts SET open_publications = open_publications - 1,
              settled_at = CASE WHEN open_publications = 1 THEN :now ELSE settled_at END
            WHERE id = (SELECT post_id FROM updated) RETURNING open_publications),
            finished AS (
            DELETE FROM scheduled_tasks WHERE task_name = :task AND task_instance = (SELECT CAST(id AS text) FROM updated))
            SELECT (SELECT count(*) FROM updated), (SELECT open_publications FROM settled),
              set_config('synchronous_commit', 'off', true)""";

    private JdbcClient.StatementSpec write(Publication before, Publication next, @Nullable HistoryEntry entry, Instant now, String statement) {
        boolean withHistory = entry != null || before.state() != next.state();
        HistoryEntry logged = entry == null ? HistoryEntry.of("moved") : entry;
        return jdbc.sql(statement)
                .param("state", next.state().name()).param("stepIndex", next.stepIndex()).param("stepName", next.stepName())
                .param("stepData", json.writeValueAsString(next.stepData())).param("sentStep", next.sentStep())
                .param("sentAt", ts(next.sentAt())).param("attempts", next.attempts()).param("polls", next.polls())
                .param("reconcileAttempts", next.reconcileAttempts()).param("next", ts(next.nextAttemptAt()))
                .param("reason", next.waitingReason()).param("postIdOnPlatform", next.platformPostId())
                .param("url", next.platformUrl()).param("errorClass", next.errorClass()).param("errorCode", next.errorCode())
                .param("errorMessage", next.errorMessage()).param("deadReason", next.deadReason())
                .param("now", ts(now)).param("id", next.id()).param("version", before.version())
                .param("from", before.state().name()).param("outcome", logged.outcome()).param("cls", logged.errorClass())
                .param("code", logged.responseCode()).param("why", truncate(logged.reason())).param("withHistory", withHistory)
                .param("task", PublicationJobs.TASK);
    }

    private static Publication saved(Publication before, Publication next, Instant now) {
        return new Publication(next.id(), next.postId(), next.workspaceId(), next.platform(), next.accountId(), next.idempotencyKey(),
                next.state(), next.stepIndex(), next.stepName(), next.stepData(), next.sentStep(), next.sentAt(), next.attempts(),
                next.polls(), next.reconcileAttempts(), next.nextAttemptAt(), next.waitingReason(), next.platformPostId(),
                next.platformUrl(), next.errorClass(), next.errorCode(), next.errorMessage(), next.deadReason(), next.createdAt(),
                now, before.version() + 1, next.requestId());
    }

    Publication map(ResultSet rs, int row) throws SQLException {
        return new Publication(
                rs.getObject("id", UUID.class), rs.getObject("post_id", UUID.class), rs.getObject("workspace_id", UUID.class),
                rs.getString("platform"), rs.getString("account_id"), rs.getString("idempotency_key"),
                PublicationState.valueOf(rs.getString("state")), rs.getInt("step_index"), rs.getString("step_name"),
                json.readValue(rs.getString("step_data"), STRING_MAP), rs.getString("sent_step"), instant(rs, "sent_at"),
                rs.getInt("attempts"), rs.getInt("polls"), rs.getInt("reconcile_attempts"), instant(rs, "next_attempt_at"),
                rs.getString("waiting_reason"), rs.getString("platform_post_id"), rs.getString("platform_url"),
                rs.getString("error_class"), rs.getString("error_code"), rs.getString("error_message"), rs.getString("dead_reason"),
                instant(rs, "created_at"), instant(rs, "updated_at"), rs.getInt("version"), rs.getString("request_id"));
    }

    static @Nullable Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }

    static @Nullable Instant instant(ResultSet rs, int column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }

    static @Nullable Timestamp ts(@Nullable Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }

    private static @Nullable String truncate(@Nullable String s) {
        return s == null || s.length() <= 500 ? s : s.substring(0, 497) + "...";
    }
}
