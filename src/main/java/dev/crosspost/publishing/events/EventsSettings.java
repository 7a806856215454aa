package dev.crosspost.publishing.events;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * Server-sent progress events under {@code crosspost.events.*}.
 *
 * @param maxStreams open event streams one node serves; one more is refused with 503 {@code too_many_streams}
 * @param pollInterval how often the node's one history poller looks for new rows when it is caught up
 * @param batchSize history rows the poller reads per query (and per backlog page)
 * @param heartbeat idle time after which a stream gets a comment line, so proxies keep it and dead clients show
 * @param clientQueue events buffered per stream; a client that falls this far behind is dropped and reconnects
 * @param streamTimeout a stream's longest life; the client then reconnects with {@code Last-Event-ID}
 */
@ConfigurationProperties("crosspost.events")
public record EventsSettings(
        @Min(1) @Max(100_000) @DefaultValue("1000") int maxStreams,
        @NotNull @DurationMin(millis = 10) @DurationMax(seconds = 10) @DefaultValue("250ms") Duration pollInterval,
        @Min(1) @Max(10_000) @DefaultValue("500") int batchSize,
        @NotNull @DurationMin(millis = 100) @DurationMax(minutes = 5) @DefaultValue("15s") Duration heartbeat,
        @Min(1) @Max(100_000) @DefaultValue("1000") int clientQueue,
        @NotNull @DurationMin(seconds = 1) @DurationMax(hours = 24) @DefaultValue("30m") Duration streamTimeout) {
}
