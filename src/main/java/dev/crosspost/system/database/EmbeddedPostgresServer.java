package dev.crosspost.system.database;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;

/** The embedded server, or nothing when an external URL is configured; closing stops PostgreSQL. */
final class EmbeddedPostgresServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresServer.class);
    private final @Nullable EmbeddedPostgres postgres;

    private EmbeddedPostgresServer(@Nullable EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    static EmbeddedPostgresServer of(EmbeddedPostgres postgres) {
        return new EmbeddedPostgresServer(postgres);
    }

    static EmbeddedPostgresServer none() {
        return new EmbeddedPostgresServer(null);
    }

    boolean running() {
        return postgres != null;
    }

    String jdbcUrl() {
        if (postgres == null) {
            throw new IllegalStateException("no embedded PostgreSQL");
        }
        return postgres.getJdbcUrl("postgres", "postgres");
    }

    @Override
    public void close() throws IOException {
        if (postgres != null) {
            log.info("Stopping embedded PostgreSQL");
            postgres.close();
        }
    }
}
