package dev.crosspost.system.database;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * After a SIGKILL the JVM's PostgreSQL keeps running on its data dir. Stop it, so that the data dir can be
 * started again and no orphan stays behind.
 */
final class StalePostmaster {

    private static final Logger log = LoggerFactory.getLogger(StalePostmaster.class);
    private static final Duration WAIT = Duration.ofSeconds(20);

    private StalePostmaster() {
    }

    static void stopIfRunning(Path dataDir) {
        Path pidFile = dataDir.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        Optional<ProcessHandle> process = readPid(pidFile).flatMap(ProcessHandle::of)
                .filter(ProcessHandle::isAlive)
                .filter(p -> p.info().command().map(c -> c.endsWith("postgres")).orElse(false));
        if (process.isEmpty()) {
            return;
        }
        ProcessHandle postmaster = process.get();
        log.warn("Stopping PostgreSQL {} left running on {} by an earlier process", postmaster.pid(), dataDir);
        // SIGINT = PostgreSQL's fast shutdown: disconnect clients, checkpoint, exit
        signal("INT", postmaster.pid());
        try {
            postmaster.onExit().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            postmaster.destroyForcibly();
        }
    }

    private static Optional<Long> readPid(Path pidFile) {
        try {
            List<String> lines = Files.readAllLines(pidFile);
            return lines.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(lines.getFirst().trim()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static void signal(String name, long pid) {
        try {
            new ProcessBuilder("kill", "-" + name, Long.toString(pid)).inheritIO().start().waitFor(5, TimeUnit.SECONDS);
        } catch (IOException e) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
