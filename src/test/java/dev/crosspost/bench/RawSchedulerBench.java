package dev.crosspost.bench;

import ch.qos.logback.classic.Level;
import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.task.TaskInstance;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.flywaydb.core.Flyway;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The baseline for bench/engine.sh: raw db-scheduler one-time executions per second on the same kind of database
 * the app uses (embedded PostgreSQL 18 with the app's server settings and Flyway migrations, a HikariCP pool of the
 * app's size, never zonky's connection-per-call DataSource) and the app's scheduler settings (lock-and-fetch 0.5/3.0,
 * priority, immediate execution, the given threads and polling interval).
 *
 * <p>Schedules N no-op executions due now in one batch, starts a scheduler, and times from start until every
 * execution ran and its row is gone. Prints {@code RAW executions=N seconds=S per_s=R cpu_ms=C} on stdout, where C is
 * the CPU the whole machine spent per execution meanwhile (the bench runs alone: the scheduler and PostgreSQL).
 *
 * <p>With a warm-up count, that many executions run first, untimed, on the same scheduler, and the measured batch
 * is timed from the wake-up that follows its scheduling.
 *
 * <p>Args: executions (20000), threads (20), pool size (20), polling interval ms (1000), data dir (a temp dir),
 * warm-up executions (0).
 */
public final class RawSchedulerBench {

    private RawSchedulerBench() {
    }

    public static void main(String[] args) throws Exception {
        int executions = arg(args, 0, 20_000);
        int threads = arg(args, 1, 20);
        int poolSize = arg(args, 2, 20);
        int pollingMs = arg(args, 3, 1000);
        Path dir = args.length > 4 ? Path.of(args[4]) : java.nio.file.Files.createTempDirectory("raw-scheduler");
        int warmUp = arg(args, 5, 0);
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).setLevel(Level.WARN);

        // the same server settings as the app's DatabaseConfiguration
        EmbeddedPostgres pg = EmbeddedPostgres.builder()
                .setDataDirectory(dir.resolve("postgres"))
                .setCleanDataDirectory(true)
                .setServerConfig("shared_buffers", "64MB")
                .setServerConfig("max_connections", "200")
                .setServerConfig("fsync", "on")
                .setServerConfig("synchronous_commit", "on")
                .setPGStartupWait(Duration.ofSeconds(60))
                .start();
        HikariConfig config = new HikariConfig();
        config.setPoolName("raw");
        config.setJdbcUrl(pg.getJdbcUrl("postgres", "postgres"));
        config.setUsername("postgres");
        config.setMaximumPoolSize(poolSize);
        config.setMinimumIdle(Math.min(4, poolSize));
        HikariDataSource pool = new HikariDataSource(config);
        Scheduler scheduler = null;
        try {
            Flyway.configure().dataSource(pool).locations("classpath:db/migration").load().migrate();

            AtomicReference<CountDownLatch> done = new AtomicReference<>(new CountDownLatch(warmUp));
            OneTimeTask<Void> noop = Tasks.oneTime("noop").execute((instance, context) -> done.get().countDown());
            SchedulerClient client = SchedulerClient.Builder.create(pool, noop).enablePriority().build();
            scheduler = Scheduler.create(pool, noop)
                    .threads(threads)
                    .pollingInterval(Duration.ofMillis(pollingMs))
                    .pollUsingLockAndFetch(0.5, 3.0)
                    .enablePriority()
                    .enableImmediateExecution()
                    .heartbeatInterval(Duration.ofMinutes(5))
                    .build();
            if (warmUp > 0) {
                // the same work first, untimed, so that the measured round runs compiled code as the app's does
                schedule(client, noop, "warm-", warmUp);
                scheduler.start();
                awaitAll(done.get(), warmUp, pool);
                System.err.printf(Locale.ROOT, "raw: %d warm-up executions ran%n", warmUp);
            }
            done.set(new CountDownLatch(executions));
            double scheduleSeconds = schedule(client, noop, "noop-", executions);
            System.err.printf(Locale.ROOT, "raw: scheduled %d executions in one batch in %.2fs%n", executions, scheduleSeconds);

            long busy0 = machineBusyTicks();
            long t0 = System.nanoTime();
            if (warmUp > 0) {
                scheduler.triggerCheckForDueExecutions();
            } else {
                scheduler.start();
            }
            double ranSeconds = awaitAll(done.get(), executions, pool);
            double seconds = (System.nanoTime() - t0) / 1e9;
            System.err.printf(Locale.ROOT, "raw: %d executions ran in %.2fs, rows gone after %.2fs%n", executions, ranSeconds, seconds);
            // USER_HZ is 100 on every Linux the JDK runs on: a tick is 10 ms
            double cpuMs = (machineBusyTicks() - busy0) * 10.0 / executions;
            System.out.printf(Locale.ROOT, "RAW executions=%d seconds=%.3f per_s=%.1f cpu_ms=%.3f%n", executions, seconds, executions / seconds, cpuMs);
        } finally {
            if (scheduler != null) {
                scheduler.stop();
            }
            pool.close();
            pg.close();
        }
    }

    private static double schedule(SchedulerClient client, OneTimeTask<Void> task, String prefix, int count) {
        List<TaskInstance<?>> batch = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            batch.add(task.instance(prefix + i));
        }
        long s0 = System.nanoTime();
        client.scheduleBatch(batch, Instant.now());
        return (System.nanoTime() - s0) / 1e9;
    }

    /** Waits until every execution ran and every row is gone; returns the seconds until the last one ran. */
    private static double awaitAll(CountDownLatch done, int count, HikariDataSource pool) throws Exception {
        long t0 = System.nanoTime();
        if (!done.await(10, TimeUnit.MINUTES)) {
            throw new IllegalStateException("only " + (count - done.getCount()) + " executions ran in 10 minutes");
        }
        double ran = (System.nanoTime() - t0) / 1e9;
        while (remaining(pool) > 0) {
            Thread.sleep(5);
        }
        return ran;
    }

    private static long remaining(HikariDataSource pool) throws Exception {
        try (Connection c = pool.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM scheduled_tasks")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static int arg(String[] args, int i, int fallback) {
        return args.length > i && !args[i].isBlank() ? Integer.parseInt(args[i]) : fallback;
    }

    /** Ticks every core of the machine has spent busy so far (the first line of /proc/stat, less idle and iowait). */
    private static long machineBusyTicks() throws java.io.IOException {
        String[] f = java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/stat")).getFirst().trim().split("\\s+");
        long busy = 0;
        for (int i = 1; i <= 8 && i < f.length; i++) { // user nice system idle iowait irq softirq steal
            if (i != 4 && i != 5) {
                busy += Long.parseLong(f[i]);
            }
        }
        return busy;
    }
}
