package dev.crosspost.system.health;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Counts of db-scheduler executions (due, overdue, running), cached briefly so that health checks and
 * Prometheus scrapes do not each query the table.
 */
@Component
class SchedulerStats {

    static final Duration OVERDUE_AFTER = Duration.ofMinutes(1);
    private static final Duration CACHE = Duration.ofSeconds(2);

    private final JdbcClient jdbc;
    private final Clock clock;
    private volatile Counts last = new Counts(0, 0, 0, Instant.EPOCH);

    SchedulerStats(JdbcClient jdbc, Clock clock, MeterRegistry registry) {
        this.jdbc = jdbc;
        this.clock = clock;
        Gauge.builder("crosspost_scheduler_due", this, s -> s.counts().due()).description("executions due and not picked").register(registry);
        Gauge.builder("crosspost_scheduler_overdue", this, s -> s.counts().overdue()).description("executions due over a minute ago and not picked").register(registry);
        Gauge.builder("crosspost_scheduler_running", this, s -> s.counts().running()).description("executions picked by a node").register(registry);
    }

    /** Execution counts at one instant. */
    record Counts(long due, long overdue, long running, Instant at) {
    }

    Counts counts() {
        Instant now = clock.instant();
        Counts c = last;
        if (c.at().plus(CACHE).isAfter(now)) {
            return c;
        }
        c = jdbc.sql("""
                        SELECT count(*) FILTER (WHERE NOT picked AND execution_time <= :now) AS due,
                               count(*) FILTER (WHERE NOT picked AND execution_time <= :overdue) AS overdue,
                               count(*) FILTER (WHERE picked) AS running
                        FROM scheduled_tasks""")
                .param("now", java.sql.Timestamp.from(now))
                .param("overdue", java.sql.Timestamp.from(now.minus(OVERDUE_AFTER)))
                .query((rs, n) -> new Counts(rs.getLong("due"), rs.getLong("overdue"), rs.getLong("running"), now))
                .single();
        last = c;
        return c;
    }
}
