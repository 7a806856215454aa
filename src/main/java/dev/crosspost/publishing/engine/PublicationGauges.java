package dev.crosspost.publishing.engine;

import dev.crosspost.publishing.PublicationState;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;

/** {@code crosspost_publications{state}}: publications per state across all workspaces, counted at most every 5 s. */
@Component
class PublicationGauges {

    private static final Duration CACHE = Duration.ofSeconds(5);
    private final JdbcClient jdbc;
    private final Clock clock;
    private volatile Map<PublicationState, Long> counts = new EnumMap<>(PublicationState.class);
    private volatile Instant countedAt = Instant.EPOCH;

    PublicationGauges(JdbcClient jdbc, Clock clock, MeterRegistry meters) {
        this.jdbc = jdbc;
        this.clock = clock;
        for (PublicationState state : PublicationState.values()) {
            Gauge.builder("crosspost_publications", this, g -> g.count(state))
                    .description("publications in this state").tag("state", state.wireName()).register(meters);
        }
    }

    private synchronized long count(PublicationState state) {
        Instant now = clock.instant();
        if (countedAt.plus(CACHE).isBefore(now)) {
            Map<PublicationState, Long> fresh = new EnumMap<>(PublicationState.class);
            jdbc.sql("SELECT state, count(*) FROM publications GROUP BY state")
                    .query(rs -> {
                        fresh.put(PublicationState.valueOf(rs.getString(1)), rs.getLong(2));
                    });
            counts = fresh;
            countedAt = now;
        }
        return counts.getOrDefault(state, 0L);
    }
}
