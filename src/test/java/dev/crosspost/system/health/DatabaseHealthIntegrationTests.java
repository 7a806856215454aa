package dev.crosspost.system.health;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.crosspost.support.CrosspostIntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/** The database health component tells an operator when commits are not durable, which exactly-once relies on. */
@CrosspostIntegrationTest
class DatabaseHealthIntegrationTests {

    @Autowired HikariDataSource app;

    @Test
    void aServerThatDoesNotWaitForTheWalFlushIsNamedInTheHealthDetails() {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(app.getJdbcUrl());
        config.setUsername(app.getUsername());
        config.setPassword(app.getPassword());
        config.setMaximumPoolSize(1);
        // as if the server (or the role) were configured so
        config.setConnectionInitSql("SET synchronous_commit TO off");
        try (HikariDataSource lax = new HikariDataSource(config)) {
            Health health = new HealthIndicators().db(JdbcClient.create(lax), lax).health();
            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat(health.getDetails()).containsEntry("synchronousCommit", "off").containsEntry("warning", HealthIndicators.NOT_DURABLE);
        }
        Health durable = new HealthIndicators().db(JdbcClient.create(app), app).health();
        assertThat(durable.getDetails()).containsEntry("synchronousCommit", "on").doesNotContainKey("warning");
    }
}
