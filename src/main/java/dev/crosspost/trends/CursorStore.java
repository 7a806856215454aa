package dev.crosspost.trends;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import java.util.OptionalLong;

/** The {@code jetstream_cursor} table: the time_us each source was processed up to. */
@Component
class CursorStore {

    private final JdbcClient jdbc;

    CursorStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    OptionalLong load(String source) {
        return jdbc.sql("SELECT time_us FROM jetstream_cursor WHERE source = ?").param(source).query(Long.class).optional()
                .map(OptionalLong::of).orElse(OptionalLong.empty());
    }

    /** Moves the cursor of {@code source} to {@code timeUs}, never backwards. */
    void save(String source, long timeUs) {
        jdbc.sql("""
                INSERT INTO jetstream_cursor (source, time_us, updated_at) VALUES (?, ?, now())
                ON CONFLICT (source) DO UPDATE SET time_us = GREATEST(jetstream_cursor.time_us, excluded.time_us), updated_at = now()
                """).param(source).param(timeUs).update();
    }
}
