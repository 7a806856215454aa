package dev.crosspost.system;

import dev.crosspost.support.AppProcess;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The embedded default keeps its data across restarts and crashes, and leaves no PostgreSQL behind. */
class EmbeddedPostgresProcessTests {

    @Test
    void dataSurvivesRestartAndCrashAndNothingIsLeftRunning() throws Exception {
        Path dir = Path.of("target", "test-data", "persist-" + UUID.randomUUID()).toAbsolutePath();
        int pgPort = AppProcess.freePort();
        String[] args = {"--crosspost.data-dir=" + dir, "--crosspost.database.embedded-port=" + pgPort, "--crosspost.log.format=text"};
        String url = "jdbc:postgresql://127.0.0.1:" + pgPort + "/postgres?user=postgres";

        try (AppProcess first = AppProcess.start(dir.resolve("run1.log"), args).awaitReady(Duration.ofSeconds(120))) {
            try (var c = DriverManager.getConnection(url); var s = c.createStatement()) {
                s.execute("CREATE TABLE survival (note TEXT)");
                s.execute("INSERT INTO survival VALUES ('written before restart')");
            }
            assertThat(first.terminate(Duration.ofSeconds(60))).isZero();
        }
        assertThat(AppProcess.postgresProcessesFor(dir)).as("postgres after SIGTERM").isEmpty();

        try (AppProcess second = AppProcess.start(dir.resolve("run2.log"), args).awaitReady(Duration.ofSeconds(120))) {
            assertThat(second.output()).doesNotContain("initdb");
            try (var c = DriverManager.getConnection(url); var s = c.createStatement();
                 var rs = s.executeQuery("SELECT note FROM survival")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("written before restart");
            }
            second.kill();
        }
        // SIGKILL leaves the postmaster running; the next start must take the data dir back
        try (AppProcess third = AppProcess.start(dir.resolve("run3.log"), args).awaitReady(Duration.ofSeconds(120))) {
            assertThat(third.output()).contains("left running on");
            try (var c = DriverManager.getConnection(url); var s = c.createStatement();
                 var rs = s.executeQuery("SELECT count(*) FROM flyway_schema_history WHERE success")) {
                rs.next();
                assertThat(rs.getInt(1)).isGreaterThanOrEqualTo(3);
            }
            assertThat(third.terminate(Duration.ofSeconds(60))).isZero();
        }
        assertThat(AppProcess.postgresProcessesFor(dir)).as("postgres after the last stop").isEmpty();
    }
}
