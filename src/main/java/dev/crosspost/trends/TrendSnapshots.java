package dev.crosspost.trends;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The {@code trend_minutes} table: closed minutes of a source's counts, saved so a restart keeps the windows. Restoring
 * tells the last saved minute; the collector then resumes from the end of that minute (if its cursor is later), so
 * the events of minutes not saved are counted again from the stream and nothing is counted twice.
 */
@Component
class TrendSnapshots {

    private final JdbcClient jdbc;
    private final Clock clock;

    TrendSnapshots(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** Loads the last 24 h of {@code source} into {@code counter}; the last saved minute, or -1 when none is. */
    long restore(String source, TrendCounter counter) {
        long now = Math.floorDiv(clock.millis(), 60_000L);
        jdbc.sql("DELETE FROM trend_minutes WHERE source = ? AND minute <= ?").param(source).param(now - 24 * 60 - 60).update();
        long[] last = {-1};
        jdbc.sql("SELECT minute, kind, key, count FROM trend_minutes WHERE source = ? AND minute > ?").param(source).param(now - 24 * 60 - 60)
                .query(rs -> {
                    long minute = rs.getLong(1);
                    TrendKind kind = TrendKind.of(rs.getString(2)).orElseThrow();
                    counter.restore(minute, kind, rs.getString(3), rs.getLong(4));
                    last[0] = Math.max(last[0], minute);
                });
        return last[0];
    }

    /** Saves the closed minutes after {@code after}; the last minute saved, or {@code after} when none was. */
    long save(String source, TrendCounter counter, long after) {
        List<TrendCounter.MinuteCounts> closed = counter.closedMinutesAfter(after);
        if (closed.isEmpty()) {
            return after;
        }
        List<Long> minutes = new ArrayList<>();
        List<String> kinds = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        List<Long> counts = new ArrayList<>();
        for (TrendCounter.MinuteCounts m : closed) {
            for (TrendKind kind : TrendKind.values()) {
                for (Map.Entry<String, Long> e : (kind == TrendKind.TAGS ? m.tags() : m.terms()).entrySet()) {
                    minutes.add(m.minute());
                    kinds.add(kind.label());
                    keys.add(e.getKey());
                    counts.add(e.getValue());
                }
            }
        }
        jdbc.sql("""
                INSERT INTO trend_minutes (source, minute, kind, key, count)
                SELECT ?, * FROM unnest(?::bigint[], ?::text[], ?::text[], ?::bigint[])
                ON CONFLICT (source, minute, kind, key) DO UPDATE SET count = excluded.count
                """).param(source).param(minutes.toArray(Long[]::new)).param(kinds.toArray(String[]::new))
                .param(keys.toArray(String[]::new)).param(counts.toArray(Long[]::new)).update();
        return closed.getLast().minute();
    }
}
