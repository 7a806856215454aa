package dev.crosspost.publishing.events;

import dev.crosspost.publishing.PublicationState;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.concurrent.locks.LockSupport;

/**
 * Reads {@code publication_history} in id order without ever passing a row that is still to commit.
 * <p>
 * Ids come from a sequence, so with two publications moving at once id 9 can commit after id 10: a reader that
 * advanced to 10 would never see 9. So a reader stops at a hole in the ids and passes it only once every
 * transaction that was running when the hole was seen has ended (the hole is then a rollback, not a late commit).
 * This relies on a history row being written by a transaction that already wrote (so has an id) before taking its
 * history id, which holds for every writer in the engine (the publication row is written first).
 */
@Component
public class HistoryTail {

    private static final Logger log = LoggerFactory.getLogger(HistoryTail.class);
    /** A hole still open after this long is passed with an error log, so one stuck transaction cannot stall every reader. */
    static final Duration GAP_TIMEOUT = Duration.ofMinutes(2);

    private static final String SELECT = """
            SELECT h.id, h.publication_id, h.post_id, h.workspace_id, h.at, h.from_state, h.to_state, h.step, h.outcome,
                   h.error_class, h.response_code, h.reason, p.platform, p.account_id, p.state AS current_state,
                   p.next_attempt_at, p.platform_post_id, p.platform_url, po.campaign_id,
                   h.id = (SELECT max(l.id) FROM publication_history l WHERE l.publication_id = h.publication_id) AS latest
            """;
    private static final String FROM = """
            FROM publication_history h
            JOIN publications p ON p.id = h.publication_id
            JOIN posts po ON po.id = h.post_id
            """;

    private final JdbcClient jdbc;
    private final Clock clock;

    HistoryTail(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /**
     * An id hole seen at {@code since}: ids from {@code first} on were missing while ids up to {@code covered} were
     * visible, in a database snapshot (text form) taken then.
     */
    public record Gap(long first, long covered, String snapshot, Instant since) {
    }

    /** A reader's saved place in {@code webhook_cursor}: the last history id it passed, and the hole it waits on. */
    public record Position(long last, @Nullable Gap gap) {
    }

    /**
     * The saved place of {@code consumer}, locked until the caller's transaction ends, so the nodes running that reader
     * take turns.
     */
    public Position lockPosition(String consumer) {
        return jdbc.sql("SELECT last_history_id, gap_first, gap_covered, gap_snapshot, gap_since FROM webhook_cursor WHERE consumer = :c FOR UPDATE")
                .param("c", consumer)
                .query((rs, n) -> {
                    Timestamp since = rs.getTimestamp(5);
                    return new Position(rs.getLong(1), since == null ? null : new Gap(rs.getLong(2), rs.getLong(3), rs.getString(4), since.toInstant()));
                })
                .single();
    }

    /** Saves {@code consumer}'s place, in the transaction that locked it with {@link #lockPosition}. */
    public void savePosition(String consumer, long last, @Nullable Gap gap) {
        jdbc.sql("""
                        UPDATE webhook_cursor SET last_history_id = :last, gap_first = :first, gap_covered = :covered,
                          gap_snapshot = :snapshot, gap_since = :since
                        WHERE consumer = :c""")
                .param("last", last).param("first", gap == null ? null : gap.first())
                .param("covered", gap == null ? null : gap.covered()).param("snapshot", gap == null ? null : gap.snapshot())
                .param("since", gap == null ? null : Timestamp.from(gap.since())).param("c", consumer)
                .update();
    }

    /**
     * Rows after the cursor that are safe to hand on, the new cursor (every row up to it is final), the hole the read
     * stopped at, if any (pass it to the next read), and the WAL position by which every row read had committed.
     */
    public record Batch(List<HistoryRow> rows, long cursor, @Nullable Gap gap, String walEnd) {
    }

    /**
     * The id a new reader starts after: the highest id now, once every transaction running now has ended (so no
     * lower id can appear later). Waits at most {@code maxWait}.
     */
    public long head(Duration maxWait) {
        record Head(long maxId, String snapshot) {
        }
        Head head = jdbc.sql("SELECT coalesce(max(id), 0), CAST(pg_current_snapshot() AS text) FROM publication_history")
                .query((rs, n) -> new Head(rs.getLong(1), rs.getString(2))).single();
        Instant deadline = clock.instant().plus(maxWait);
        while (!finished(head.snapshot())) {
            if (clock.instant().isAfter(deadline)) {
                log.warn("Starting to read publication history at id {} while transactions of {} still run; rows they add below it"
                        + " reach only readers that connect later", head.maxId(), head.snapshot());
                break;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return head.maxId();
    }

    /** Up to {@code limit} rows after {@code after}, stopping at a hole that may still fill. */
    public Batch read(long after, @Nullable Gap gap, int limit) {
        // decided before reading: a hole whose writers have all ended shows its rows (if any) in the read below
        boolean gapClosed = gap != null && finished(gap.snapshot());
        List<String> snapshot = new ArrayList<>(1);
        List<String> walEnd = new ArrayList<>(1);
        // the new rows first, by primary key, then their publication and post by primary key: joined the other way
        // round, young tables without statistics get hash joins that scan every table at each poll
        List<HistoryRow> rows = jdbc.sql("WITH fresh AS MATERIALIZED (SELECT * FROM publication_history WHERE id > :after ORDER BY id LIMIT :limit) "
                        + SELECT + ", CAST(pg_current_snapshot() AS text) AS snap, CAST(pg_current_wal_insert_lsn() AS text) AS wal "
                        + FROM.replace("FROM publication_history h", "FROM fresh h") + "ORDER BY h.id")
                .param("after", after).param("limit", limit)
                .query((rs, n) -> {
                    if (n == 0) {
                        snapshot.add(rs.getString("snap"));
                        walEnd.add(rs.getString("wal"));
                    }
                    return map(rs, n);
                }).list();
        Passed passed = pass(rows.stream().mapToLong(HistoryRow::id).toArray(), snapshot, after, gap, gapClosed);
        return new Batch(rows.subList(0, passed.count()), passed.cursor(), passed.gap(), walEnd.isEmpty() ? "0/0" : walEnd.getFirst());
    }

    /**
     * Waits until the WAL is on disk up to {@code walEnd} (a {@link Batch#walEnd()}), at most {@code maxWait}; true once
     * it is. The engine commits most steps without waiting for the flush, and a host crash can take such a step back
     * and give its history id to another row: a reader that hands rows to clients (a live stream, whose client
     * resumes from the last id it saw) waits for this first. Readers that save what they read in a transaction of
     * their own need not: their commit flushes the WAL before it, these rows' commits included.
     */
    public boolean awaitDurable(String walEnd, Duration maxWait) {
        long deadline = System.nanoTime() + maxWait.toNanos();
        while (!Boolean.TRUE.equals(jdbc.sql("SELECT pg_current_wal_flush_lsn() >= CAST(:lsn AS pg_lsn)")
                .param("lsn", walEnd).query(Boolean.class).single())) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            // the WAL writer flushes within a few wal_writer_delay (200 ms); a busy engine's sent marks, far sooner
            LockSupport.parkNanos(Duration.ofMillis(5).toNanos());
        }
        return true;
    }

    /** {@link #awaitDurable(String, Duration, BooleanSupplier)} for every commit visible now, e.g. before a new stream's backlog is sent. */
    public boolean awaitDurableNow(Duration slice, BooleanSupplier abandoned) {
        return awaitDurable(jdbc.sql("SELECT CAST(pg_current_wal_insert_lsn() AS text)").query(String.class).single(), slice, abandoned);
    }

    /**
     * {@link #awaitDurable(String, Duration)} without a limit: waits a {@code slice} at a time until the WAL is on disk
     * (true) or {@code abandoned} says the caller gave up (false). A stalled flush holds rows back rather than
     * letting out rows a crash could take back.
     */
    public boolean awaitDurable(String walEnd, Duration slice, BooleanSupplier abandoned) {
        boolean warned = false;
        while (!awaitDurable(walEnd, slice)) {
            if (abandoned.getAsBoolean()) {
                return false;
            }
            if (!warned) {
                log.warn("PostgreSQL has not flushed its WAL up to {} after {}; holding rows back until it has", walEnd, slice);
                warned = true;
            }
        }
        return true;
    }

    /** How far a reader may move: past {@code count} rows, to {@code cursor}, and the hole it stopped at, if any. */
    public record Passed(int count, long cursor, @Nullable Gap gap) {
    }

    /**
     * Moves past up to {@code limit} rows after {@code after} exactly as {@link #read} would, for a reader that wants
     * none of them: ids only, without the joins.
     */
    public Passed skip(long after, @Nullable Gap gap, int limit) {
        boolean gapClosed = gap != null && finished(gap.snapshot());
        List<String> snapshot = new ArrayList<>(1);
        long[] ids = jdbc.sql("SELECT id, CAST(pg_current_snapshot() AS text) AS snap FROM publication_history WHERE id > :after ORDER BY id LIMIT :limit")
                .param("after", after).param("limit", limit)
                .query((rs, n) -> {
                    if (n == 0) {
                        snapshot.add(rs.getString("snap"));
                    }
                    return rs.getLong("id");
                }).list().stream().mapToLong(Long::longValue).toArray();
        return pass(ids, snapshot, after, gap, gapClosed);
    }

    /** The prefix of {@code ids} (ascending) that is final, stopping at a hole that may still fill. */
    private Passed pass(long[] ids, List<String> snapshot, long after, @Nullable Gap gap, boolean gapClosed) {
        long cursor = after;
        Gap open = gap;
        for (int i = 0; i < ids.length; i++) {
            long id = ids[i];
            long expected = cursor + 1;
            if (id != expected) {
                // a hole seen before keeps its first snapshot: a newer one would name newer transactions, and
                // under steady load there is always one running
                boolean known = open != null && open.first() <= expected && id - 1 <= open.covered();
                if (known && gapClosed) {
                    log.debug("History ids {}..{} were rolled back; passing them", expected, id - 1);
                } else if (known && open.since().plus(GAP_TIMEOUT).isBefore(clock.instant())) {
                    log.error("History ids {}..{} stayed uncommitted for over {} (snapshot {}); passing them: readers miss them if they"
                            + " commit later", expected, id - 1, GAP_TIMEOUT, open.snapshot());
                } else {
                    return new Passed(i, cursor, known ? open
                            : new Gap(expected, ids[ids.length - 1], snapshot.getFirst(), clock.instant()));
                }
            }
            cursor = id;
        }
        // a seen hole's snapshot still vouches for ids up to covered that this batch did not reach
        return new Passed(ids.length, cursor, open != null && cursor < open.covered() ? open : null);
    }

    /** A post's rows with {@code after < id <= upTo}, in id order. */
    public List<HistoryRow> forPost(UUID postId, long after, long upTo, int limit) {
        return jdbc.sql(SELECT + FROM + "WHERE h.post_id = :post AND h.id > :after AND h.id <= :upTo ORDER BY h.id LIMIT :limit")
                .param("post", postId).param("after", after).param("upTo", upTo).param("limit", limit)
                .query(this::map).list();
    }

    /** The rows of a workspace's campaign with {@code after < id <= upTo}, in id order. */
    public List<HistoryRow> forCampaign(UUID workspaceId, UUID campaignId, long after, long upTo, int limit) {
        return jdbc.sql(SELECT + FROM + """
                        WHERE h.post_id IN (SELECT id FROM posts WHERE campaign_id = :campaign AND workspace_id = :ws)
                          AND h.id > :after AND h.id <= :upTo ORDER BY h.id LIMIT :limit""")
                .param("campaign", campaignId).param("ws", workspaceId).param("after", after).param("upTo", upTo)
                .param("limit", limit)
                .query(this::map).list();
    }

    /** Whether every transaction in progress in the snapshot has ended by now. */
    private boolean finished(String snapshot) {
        return Boolean.TRUE.equals(jdbc.sql("""
                        SELECT NOT EXISTS (SELECT 1 FROM pg_snapshot_xip(CAST(:snap AS pg_snapshot)) AS x
                                           WHERE pg_xact_status(x) = 'in progress')""")
                .param("snap", snapshot).query(Boolean.class).single());
    }

    private HistoryRow map(ResultSet rs, int n) throws SQLException {
        PublicationState to = PublicationState.valueOf(rs.getString("to_state"));
        String from = rs.getString("from_state");
        boolean waitingNow = rs.getBoolean("latest") && to.name().equals(rs.getString("current_state"))
                && (to.waiting() || to == PublicationState.RECONCILING);
        PublicationEvent event = new PublicationEvent(
                rs.getObject("publication_id", UUID.class), rs.getObject("post_id", UUID.class),
                rs.getString("platform"), rs.getString("account_id"),
                from == null ? null : PublicationState.valueOf(from).wireName(), to.wireName(),
                rs.getString("step"), rs.getString("outcome"), rs.getString("error_class"),
                (Integer) rs.getObject("response_code"), rs.getString("reason"), instant(rs, "at"),
                waitingNow ? instant(rs, "next_attempt_at") : null,
                // the publication's row now: only the row that published it may name the platform's post
                to == PublicationState.PUBLISHED ? rs.getString("platform_post_id") : null,
                to == PublicationState.PUBLISHED ? rs.getString("platform_url") : null);
        return new HistoryRow(rs.getLong("id"), rs.getObject("workspace_id", UUID.class), rs.getObject("campaign_id", UUID.class),
                to.terminal(), event);
    }

    private static @Nullable Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }
}
