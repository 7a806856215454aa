package dev.crosspost.system.database;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.crosspost.system.SystemSettings;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import javax.sql.DataSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One pooled {@link DataSource}: an external PostgreSQL when {@code crosspost.database.url} is set, else an
 * embedded PostgreSQL 18 whose data survives restarts. Bean dependencies give the shutdown order: scheduler and
 * registry first, then the pool, then PostgreSQL.
 */
@Configuration(proxyBeanMethods = false)
class DatabaseConfiguration {

    private static final Logger log = LoggerFactory.getLogger(DatabaseConfiguration.class);

    @Bean(destroyMethod = "close")
    EmbeddedPostgresServer embeddedPostgres(SystemSettings settings) throws IOException {
        if (!settings.database().embedded()) {
            return EmbeddedPostgresServer.none();
        }
        Path dir = settings.dataDir().resolve("postgres").toAbsolutePath().normalize();
        Files.createDirectories(dir);
        StalePostmaster.stopIfRunning(dir);
        log.info("Starting embedded PostgreSQL in {}", dir);
        EmbeddedPostgres pg = EmbeddedPostgres.builder()
                .setDataDirectory(dir)
                .setCleanDataDirectory(false)
                .setRegisterShutdownHook(false)
                .setPort(settings.database().embeddedPort() == 0 ? FreePort.find() : settings.database().embeddedPort())
                .setServerConfig("shared_buffers", "64MB")
                .setServerConfig("max_connections", "200")
                // zonky is made for test databases: it starts the server with -F (fsync off) and synchronous_commit
                // off. A publication's "sent" mark must be on disk before the call goes out, or a host crash loses it
                // and the post is sent twice; without fsync a host crash can also corrupt the cluster.
                .setServerConfig("fsync", "on")
                .setServerConfig("synchronous_commit", "on")
                .setPGStartupWait(java.time.Duration.ofSeconds(60))
                .start();
        return EmbeddedPostgresServer.of(pg);
    }

    @Bean(destroyMethod = "close")
    HikariDataSource dataSource(SystemSettings settings, EmbeddedPostgresServer embedded,
                                ObjectProvider<HikariConfigCustomizer> customizers) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("crosspost");
        config.setMaximumPoolSize(settings.database().poolSize());
        config.setMinimumIdle(Math.min(4, settings.database().poolSize()));
        if (embedded.running()) {
            config.setJdbcUrl(embedded.jdbcUrl());
            config.setUsername("postgres");
        } else {
            config.setJdbcUrl(settings.database().url());
            if (settings.database().username() != null) {
                config.setUsername(settings.database().username());
            }
            if (settings.database().password() != null) {
                config.setPassword(settings.database().password());
            }
        }
        customizers.orderedStream().forEach(c -> c.customize(config));
        return new HikariDataSource(config);
    }

    /** Lets tests and tools adjust the pool without replacing it. */
    @FunctionalInterface
    interface HikariConfigCustomizer {
        void customize(HikariConfig config);
    }
}
