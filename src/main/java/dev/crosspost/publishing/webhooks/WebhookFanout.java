package dev.crosspost.publishing.webhooks;

import dev.crosspost.publishing.events.HistoryRow;
import dev.crosspost.publishing.events.HistoryTail;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.namedparam.SqlParameterSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Turns {@code publication_history} rows into deliveries, exactly once: in one transaction it locks the cursor
 * row, reads the rows after it (never passing one still to commit, see {@link HistoryTail}), inserts a delivery
 * per matching active subscription, and moves the cursor. A crash before commit leaves nothing behind; a second
 * node waits on the lock and then starts where the first stopped.
 */
@Component
class WebhookFanout {

    static final String CONSUMER = "webhooks";
    private static final int HISTORY_BATCH = 500;
    /** How long one run keeps fanning out when history is far ahead, before deliveries get their turn. */
    private static final Duration BUDGET = Duration.ofSeconds(5);

    private final JdbcClient jdbc;
    private final NamedParameterJdbcTemplate named;
    private final TransactionTemplate tx;
    private final HistoryTail tail;
    private final WebhookSettings settings;
    private final JsonMapper json;
    private final Clock clock;

    WebhookFanout(JdbcClient jdbc, NamedParameterJdbcTemplate named, TransactionTemplate tx, HistoryTail tail, WebhookSettings settings,
                  JsonMapper json, Clock clock) {
        this.jdbc = jdbc;
        this.named = named;
        this.tx = tx;
        this.tail = tail;
        this.settings = settings;
        this.json = json;
        this.clock = clock;
    }

    /** Fans out until caught up (or the budget is spent); returns the deliveries created. */
    int run() {
        long deadline = System.nanoTime() + BUDGET.toNanos();
        int created = 0;
        while (true) {
            Round round = tx.execute(status -> once());
            created += round.deliveries();
            if (round.rows() < HISTORY_BATCH || System.nanoTime() > deadline) {
                return created;
            }
        }
    }

    private record Round(int rows, int deliveries) {
    }

    private record Subscription(UUID id, UUID workspaceId, Set<String> events, long afterHistoryId) {
        boolean wants(HistoryRow row) {
            return row.workspaceId().equals(workspaceId) && row.id() > afterHistoryId
                    && (events.contains(Webhooks.ALL) || events.contains(row.event().eventType()));
        }
    }

    private Round once() {
        HistoryTail.Position cursor = tail.lockPosition(CONSUMER);
        // with no subscription the rows are only passed, not read: a subscription starts at this cursor, and creating
        // one takes the cursor's lock, so none can appear before this transaction has moved the cursor
        boolean anyone = jdbc.sql("SELECT EXISTS (SELECT 1 FROM webhook_subscriptions WHERE active)").query(Boolean.class).single();
        int rows;
        int deliveries = 0;
        long last;
        HistoryTail.Gap gap;
        if (anyone) {
            HistoryTail.Batch batch = tail.read(cursor.last(), cursor.gap(), HISTORY_BATCH);
            if (!batch.rows().isEmpty()) {
                deliveries = insert(batch.rows());
            }
            rows = batch.rows().size();
            last = batch.cursor();
            gap = batch.gap();
        } else {
            HistoryTail.Passed passed = tail.skip(cursor.last(), cursor.gap(), HISTORY_BATCH);
            rows = passed.count();
            last = passed.cursor();
            gap = passed.gap();
        }
        tail.savePosition(CONSUMER, last, gap);
        return new Round(rows, deliveries);
    }

    private int insert(List<HistoryRow> rows) {
        Set<UUID> workspaces = rows.stream().map(HistoryRow::workspaceId).collect(Collectors.toSet());
        List<Subscription> subscriptions = jdbc.sql("""
                        SELECT id, workspace_id, events, after_history_id FROM webhook_subscriptions
                        WHERE active AND workspace_id IN (:ws)""")
                .param("ws", workspaces)
                .query((rs, n) -> new Subscription(rs.getObject("id", UUID.class), rs.getObject("workspace_id", UUID.class),
                        Set.copyOf(Webhooks.strings(rs.getArray("events"))), rs.getLong("after_history_id")))
                .list();
        if (subscriptions.isEmpty()) {
            return 0;
        }
        Timestamp now = Timestamp.from(clock.instant());
        List<SqlParameterSource> inserts = new ArrayList<>();
        for (HistoryRow row : rows) {
            String event = null;
            for (Subscription s : subscriptions) {
                if (s.wants(row)) {
                    event = event != null ? event : json.writeValueAsString(row.event());
                    inserts.add(new MapSqlParameterSource().addValue("sub", s.id()).addValue("ws", row.workspaceId())
                            .addValue("history", row.id()).addValue("type", row.event().eventType()).addValue("event", event)
                            .addValue("max", settings.maxAttempts()).addValue("now", now));
                }
            }
        }
        if (inserts.isEmpty()) {
            return 0;
        }
        // the unique (subscription_id, history_id) makes a repeated fan-out of the same row a no-op
        int[] counts = named.batchUpdate("""
                INSERT INTO webhook_deliveries (subscription_id, workspace_id, history_id, event_type, event, status, attempts,
                  max_attempts, next_attempt_at, created_at)
                VALUES (:sub, :ws, :history, :type, CAST(:event AS jsonb), 'pending', 0, :max, :now, :now)
                ON CONFLICT (subscription_id, history_id) DO NOTHING""", inserts.toArray(SqlParameterSource[]::new));
        int total = 0;
        for (int c : counts) {
            total += Math.max(c, 0);
        }
        return total;
    }
}
