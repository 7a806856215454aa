package dev.crosspost.publishing.metrics;

import dev.crosspost.publishing.PublicationState;

import dev.crosspost.publishing.PostMetrics.Point;
import dev.crosspost.publishing.PostMetrics.PublicationMetrics;
import dev.crosspost.publishing.events.HistoryRow;
import dev.crosspost.publishing.events.HistoryTail;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** The metrics tables: which publications are synced and when, and the series of points per publication. */
@Component
class MetricsStore {

    static final String CONSUMER = "metrics";
    private static final int HISTORY_BATCH = 500;
    private static final TypeReference<Map<String, Long>> COUNTS = new TypeReference<>() {
    };

    private final JdbcClient jdbc;
    private final TransactionTemplate tx;
    private final HistoryTail tail;
    private final JsonMapper json;

    MetricsStore(JdbcClient jdbc, TransactionTemplate tx, HistoryTail tail, JsonMapper json) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.tail = tail;
        this.json = json;
    }

    /** A publication claimed for one sync. */
    record Due(UUID publicationId, UUID postId, UUID workspaceId, String platform, String accountId, String platformPostId,
               Instant publishedAt, int failures) {
    }

    /**
     * Reads new {@code publication_history} rows after the metrics cursor and adds a sync row for each publication
     * that became published on one of {@code platforms}, first due at {@code publishedAt + firstDelay}. The cursor
     * row is locked for the read, so nodes take turns; a repeated row is a no-op. Returns the rows read.
     */
    int discover(Set<String> platforms, java.time.Duration firstDelay) {
        Integer read = tx.execute(status -> {
            HistoryTail.Position cursor = tail.lockPosition(CONSUMER);
            HistoryTail.Batch batch = tail.read(cursor.last(), cursor.gap(), HISTORY_BATCH);
            for (HistoryRow row : batch.rows()) {
                var e = row.event();
                if (e.to().equals("published") && !"published".equals(e.from()) && e.platformPostId() != null && platforms.contains(e.platform())) {
                    jdbc.sql("""
                                    INSERT INTO metrics_sync (publication_id, post_id, workspace_id, platform, account_id, platform_post_id,
                                      published_at, next_sync_at)
                                    VALUES (:id, :post, :ws, :platform, :account, :ppid, :at, :next)
                                    ON CONFLICT (publication_id) DO NOTHING""")
                            .param("id", e.publicationId()).param("post", e.postId()).param("ws", row.workspaceId())
                            .param("platform", e.platform()).param("account", e.accountId()).param("ppid", e.platformPostId())
                            .param("at", Timestamp.from(e.at())).param("next", Timestamp.from(e.at().plus(firstDelay)))
                            .update();
                }
            }
            tail.savePosition(CONSUMER, batch.cursor(), batch.gap());
            return batch.rows().size();
        });
        return read == null ? 0 : read;
    }

    /**
     * Claims up to {@code limit} due publications for this node: their next sync moves to {@code leaseUntil}, so
     * another node skips them (and a node that dies mid-sync leaves them to be synced again then).
     */
    List<Due> claim(Instant now, Instant leaseUntil, int limit) {
        return jdbc.sql("""
                        UPDATE metrics_sync s SET next_sync_at = :lease
                         WHERE s.publication_id IN (SELECT publication_id FROM metrics_sync
                                                     WHERE status = 'active' AND next_sync_at <= :now
                                                     ORDER BY next_sync_at LIMIT :limit FOR UPDATE SKIP LOCKED)
                        RETURNING s.publication_id, s.post_id, s.workspace_id, s.platform, s.account_id, s.platform_post_id,
                                  s.published_at, s.failures""")
                .param("lease", Timestamp.from(leaseUntil)).param("now", Timestamp.from(now)).param("limit", limit)
                .query((rs, n) -> new Due(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getObject(3, UUID.class),
                        rs.getString(4), rs.getString(5), rs.getString(6), rs.getTimestamp(7).toInstant(), rs.getInt(8)))
                .list();
    }

    /** A point, and the next sync ({@code null}: the publication is past its max age and done). */
    void synced(Due due, Instant at, Map<String, Long> counts, @Nullable Instant next) {
        tx.executeWithoutResult(status -> {
            jdbc.sql("""
                            INSERT INTO post_metrics (publication_id, post_id, workspace_id, platform, at, metrics)
                            VALUES (:id, :post, :ws, :platform, :at, CAST(:metrics AS jsonb))""")
                    .param("id", due.publicationId()).param("post", due.postId()).param("ws", due.workspaceId())
                    .param("platform", due.platform()).param("at", Timestamp.from(at)).param("metrics", json.writeValueAsString(counts))
                    .update();
            jdbc.sql("""
                            UPDATE metrics_sync SET last_synced_at = :at, failures = 0, last_error = NULL, waiting_reason = NULL,
                              next_sync_at = :next, status = CASE WHEN CAST(:next AS timestamptz) IS NULL THEN 'done' ELSE 'active' END
                             WHERE publication_id = :id""")
                    .param("at", Timestamp.from(at)).param("next", next == null ? null : Timestamp.from(next)).param("id", due.publicationId())
                    .update();
        });
    }

    /** A failed sync: one more consecutive failure, its reason, and the backed-off next sync. */
    void failed(Due due, String reason, Instant next) {
        jdbc.sql("""
                        UPDATE metrics_sync SET failures = failures + 1, last_error = :reason, waiting_reason = NULL, next_sync_at = :next
                         WHERE publication_id = :id""")
                .param("reason", truncate(reason)).param("next", Timestamp.from(next)).param("id", due.publicationId())
                .update();
    }

    /** Deferred without a call (no read token): not a failure. */
    void deferred(Due due, String reason, Instant next) {
        jdbc.sql("UPDATE metrics_sync SET waiting_reason = :reason, next_sync_at = :next WHERE publication_id = :id")
                .param("reason", truncate(reason)).param("next", Timestamp.from(next)).param("id", due.publicationId())
                .update();
    }

    /** Ends the sync: {@code gone} (deleted on the platform, with its words) or {@code done} (past the max age). */
    void ended(Due due, String status, @Nullable String reason) {
        jdbc.sql("""
                        UPDATE metrics_sync SET status = :status, next_sync_at = NULL, waiting_reason = NULL,
                          last_error = coalesce(:reason, last_error) WHERE publication_id = :id""")
                .param("status", status).param("reason", reason == null ? null : truncate(reason)).param("id", due.publicationId())
                .update();
    }

    /**
     * Every publication of the post with its series, in platform and account order: the synced ones from their sync
     * rows, the others as {@code pending} or {@code not_published}; empty when the post is not the workspace's.
     */
    java.util.Optional<List<PublicationMetrics>> forPost(UUID workspaceId, UUID postId) {
        boolean owned = jdbc.sql("SELECT EXISTS (SELECT 1 FROM posts WHERE id = :id AND workspace_id = :ws)")
                .param("id", postId).param("ws", workspaceId).query(Boolean.class).single();
        if (!owned) {
            return java.util.Optional.empty();
        }
        Map<UUID, List<Point>> series = new LinkedHashMap<>();
        jdbc.sql("SELECT publication_id, at, metrics::text FROM post_metrics WHERE post_id = :post AND workspace_id = :ws ORDER BY publication_id, at")
                .param("post", postId).param("ws", workspaceId)
                .query(rs -> {
                    series.computeIfAbsent(rs.getObject(1, UUID.class), k -> new ArrayList<>())
                            .add(new Point(rs.getTimestamp(2).toInstant(), json.readValue(rs.getString(3), COUNTS)));
                });
        Map<UUID, PublicationMetrics> synced = new LinkedHashMap<>();
        jdbc.sql("""
                        SELECT publication_id, platform, account_id, platform_post_id, published_at, last_synced_at, status, next_sync_at,
                               failures, last_error, waiting_reason
                          FROM metrics_sync WHERE post_id = :post AND workspace_id = :ws""")
                .param("post", postId).param("ws", workspaceId)
                .query(rs -> {
                    UUID id = rs.getObject(1, UUID.class);
                    List<Point> points = series.getOrDefault(id, List.of());
                    synced.put(id, new PublicationMetrics(id, rs.getString(2), rs.getString(3), rs.getString(4), rs.getTimestamp(5).toInstant(),
                            points.isEmpty() ? Map.of() : points.getLast().counts(), instant(rs.getTimestamp(6)), points, rs.getString(7),
                            instant(rs.getTimestamp(8)), rs.getInt(9), rs.getString(10), rs.getString(11)));
                });
        return java.util.Optional.of(jdbc.sql("""
                        SELECT id, platform, account_id, state, platform_post_id FROM publications
                         WHERE post_id = :post AND workspace_id = :ws ORDER BY platform, account_id""")
                .param("post", postId).param("ws", workspaceId)
                .query((rs, n) -> {
                    UUID id = rs.getObject(1, UUID.class);
                    PublicationState state = PublicationState.valueOf(rs.getString(4));
                    PublicationMetrics known = synced.get(id);
                    if (known != null) {
                        return known;
                    }
                    boolean ended = state.terminal() && state != PublicationState.PUBLISHED;
                    return new PublicationMetrics(id, rs.getString(2), rs.getString(3), rs.getString(5), null, Map.of(), null, List.of(),
                            ended ? "not_published" : "pending", null, 0, null, null);
                }).list());
    }

    private static @Nullable Instant instant(@Nullable Timestamp t) {
        return t == null ? null : t.toInstant();
    }

    private static String truncate(String s) {
        return s.length() <= 1000 ? s : s.substring(0, 1000);
    }
}
