package dev.crosspost.system.health;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.zaxxer.hikari.HikariDataSource;
import dev.crosspost.system.SystemSettings;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The health components operators look at: database, scheduler, storage, memory, uptime. */
@Configuration(proxyBeanMethods = false)
class HealthIndicators {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    static final String NOT_DURABLE = "synchronous_commit is off: a crash of the database host can lose commits, among them"
            + " the marks that say a post was sent, and such posts would be sent again; set synchronous_commit = on";
    static final String NO_FSYNC = "fsync is off: a crash of the database host can lose commits, among them the marks that"
            + " say a post was sent, or corrupt the database; set fsync = on";

    /**
     * Replaces Boot's plain "db" check with one that reports round-trip latency, pool use, and whether commits are
     * durable: the exactly-once protocol needs each "sent" mark on disk before the platform is called.
     */
    @Bean("dbHealthIndicator")
    HealthIndicator db(JdbcClient jdbc, HikariDataSource pool) {
        return () -> {
            long start = System.nanoTime();
            String[] settings = jdbc.sql("SELECT current_setting('server_version'), current_setting('synchronous_commit'),"
                            + " current_setting('fsync')")
                    .query((rs, n) -> new String[]{rs.getString(1), rs.getString(2), rs.getString(3)}).single();
            long micros = (System.nanoTime() - start) / 1_000;
            var mx = pool.getHikariPoolMXBean();
            Health.Builder health = Health.up();
            List<String> warnings = new ArrayList<>();
            if ("off".equals(settings[2])) {
                warnings.add(NO_FSYNC);
            }
            if ("off".equals(settings[1])) {
                warnings.add(NOT_DURABLE);
            }
            if (!warnings.isEmpty()) {
                health.withDetail("warning", String.join("; ", warnings));
            }
            return health
                    .withDetail("database", "PostgreSQL " + settings[0])
                    .withDetail("synchronousCommit", settings[1])
                    .withDetail("fsync", settings[2])
                    .withDetail("latencyMs", micros / 1000.0)
                    .withDetail("pool", java.util.Map.of(
                            "active", mx == null ? 0 : mx.getActiveConnections(),
                            "idle", mx == null ? 0 : mx.getIdleConnections(),
                            "waiting", mx == null ? 0 : mx.getThreadsAwaitingConnection(),
                            "max", pool.getMaximumPoolSize()))
                    .build();
        };
    }

    /** DOWN until the scheduler runs and again while it shuts down; readiness includes it. */
    @Bean
    HealthIndicator schedulerHealthIndicator(ObjectProvider<Scheduler> scheduler, SchedulerStats stats) {
        return () -> {
            Scheduler s = scheduler.getIfAvailable();
            if (s == null) {
                return Health.down().withDetail("state", "absent").build();
            }
            var state = s.getSchedulerState();
            String phase = state.isShuttingDown() ? "shutting_down" : state.isStarted() ? (state.isPaused() ? "paused" : "running") : "starting";
            SchedulerStats.Counts counts = stats.counts();
            var health = "running".equals(phase) ? Health.up() : Health.down();
            return health.withDetail("state", phase)
                    .withDetail("due", counts.due())
                    .withDetail("overdue", counts.overdue())
                    .withDetail("running", counts.running())
                    .build();
        };
    }

    /** The data dir can be written to (media and temp files live there). */
    @Bean
    HealthIndicator storageHealthIndicator(SystemSettings settings) {
        return () -> {
            Path dir = settings.dataDir().toAbsolutePath().normalize();
            try {
                Files.createDirectories(dir);
                Path probe = Files.createTempFile(dir, ".health", ".tmp");
                Files.delete(probe);
                return Health.up().withDetail("backend", "local").withDetail("path", dir.toString())
                        .withDetail("freeBytes", Files.getFileStore(dir).getUsableSpace()).build();
            } catch (IOException e) {
                return Health.down().withDetail("backend", "local").withDetail("path", dir.toString())
                        .withDetail("error", e.getClass().getSimpleName()).build();
            }
        };
    }

    @Bean
    HealthIndicator memoryHealthIndicator() {
        return () -> {
            Runtime rt = Runtime.getRuntime();
            long used = rt.totalMemory() - rt.freeMemory();
            long max = rt.maxMemory();
            double percent = Math.round(1000.0 * used / max) / 10.0;
            return Health.up().withDetail("heapUsedBytes", used).withDetail("heapMaxBytes", max)
                    .withDetail("heapUsedPercent", percent).withDetail("high", percent > 90).build();
        };
    }

    @Bean
    HealthIndicator uptimeHealthIndicator(Clock clock) {
        return () -> {
            Instant started = Instant.ofEpochMilli(ManagementFactory.getRuntimeMXBean().getStartTime());
            Duration up = Duration.between(started, clock.instant());
            return Health.up().withDetail("startedAt", started.toString()).withDetail("uptimeSeconds", up.toSeconds()).build();
        };
    }
}
