package dev.crosspost.trends;

import dev.crosspost.system.LocalOrigin;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.function.Supplier;

/** Wires the counter, the collector (when enabled) with its metrics, and the {@link Trends} API. */
@Configuration(proxyBeanMethods = false)
class TrendsConfiguration {

    /** The path of this app's own Jetstream simulator. */
    static final String SIMULATOR_PATH = "/sandbox/jetstream/subscribe";

    @Bean
    TrendCounter trendCounter(Clock clock, TrendsSettings settings) {
        return new TrendCounter(clock, settings.topK());
    }

    @Bean
    Collector jetstreamCollector(TrendsSettings settings, TrendCounter counter, CursorStore cursors, TrendSnapshots snapshots,
                                 Clock clock, Environment env, ObjectProvider<MeterRegistry> meters) {
        String url = settings.url();
        // with no URL the collector reads this app's simulator, which is not there when the sandbox is off (prod)
        if (!settings.enabled() || (url == null && !env.getProperty("crosspost.sandbox.enabled", Boolean.class, true))) {
            return new Collector(null, counter, snapshots, env, false);
        }
        Supplier<URI> endpoint = url != null ? () -> URI.create(url)
                : () -> URI.create(LocalOrigin.of(env).replace("http://", "ws://") + SIMULATOR_PATH);
        String source = url == null ? "sandbox" : url.replaceFirst("\\?.*$", "");
        JetstreamClient client = new JetstreamClient(source, endpoint, cursors,
                (timeUs, did, rkey, keys) -> counter.add(timeUs, keys.tags(), keys.terms()),
                new JetstreamClient.Options(settings.queueCapacity(), settings.cursorFlushInterval(), settings.cursorRewind(),
                        Backoff.exponential(settings.reconnectMin(), settings.reconnectMax(), new SecureRandom())), clock);
        MeterRegistry registry = meters.getIfAvailable();
        if (registry != null) {
            FunctionCounter.builder("crosspost.jetstream.received", client, JetstreamClient::received)
                    .description("Jetstream events read off the socket").register(registry);
            FunctionCounter.builder("crosspost.jetstream.processed", client, JetstreamClient::processed)
                    .description("Jetstream events counted").register(registry);
            FunctionCounter.builder("crosspost.jetstream.dropped", client, JetstreamClient::dropped)
                    .description("Jetstream events dropped because the hand-off queue was full").register(registry);
            Gauge.builder("crosspost.jetstream.lag", client, JetstreamClient::lagSeconds).baseUnit("seconds")
                    .description("Now minus the time of the last processed Jetstream event").register(registry);
        }
        return new Collector(client, counter, snapshots, env, url == null);
    }

    @Bean
    Trends trends(TrendCounter counter, Collector collector) {
        return new Trends(counter, collector.client);
    }

    /**
     * Starts the collector once the server listens and stops it first. Reading this app's own simulator, it starts
     * only when a server does listen (not under a mock web environment). Before it starts, the saved minutes of
     * counts are restored; while it runs, closed minutes are saved every {@value #SAVE_EVERY_SECONDS} s, and once more
     * when it stops.
     */
    static final class Collector implements SmartLifecycle {
        static final int SAVE_EVERY_SECONDS = 30;
        private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(Collector.class);
        final @Nullable JetstreamClient client;
        private final TrendCounter counter;
        private final TrendSnapshots snapshots;
        private final Environment env;
        private final boolean needsLocalServer;
        private volatile long savedMinute = -1;
        private @Nullable Thread saver;

        Collector(@Nullable JetstreamClient client, TrendCounter counter, TrendSnapshots snapshots, Environment env, boolean needsLocalServer) {
            this.client = client;
            this.counter = counter;
            this.snapshots = snapshots;
            this.env = env;
            this.needsLocalServer = needsLocalServer;
        }

        @Override
        public void start() {
            JetstreamClient c = client;
            if (c == null || (needsLocalServer && !env.containsProperty("local.server.port"))) {
                return;
            }
            savedMinute = snapshots.restore(c.source(), counter);
            if (savedMinute >= 0) {
                log.info("trend counts of {} restored up to {}", c.source(), java.time.Instant.ofEpochSecond(savedMinute * 60 + 60));
            }
            c.start(savedMinute < 0 ? Long.MAX_VALUE : (savedMinute + 1) * 60_000_000L - 1);
            saver = Thread.ofVirtual().name("trend-snapshots").start(() -> {
                while (c.running()) {
                    try {
                        Thread.sleep(java.time.Duration.ofSeconds(SAVE_EVERY_SECONDS));
                        save(c);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
        }

        private void save(JetstreamClient c) {
            try {
                savedMinute = snapshots.save(c.source(), counter, savedMinute);
            } catch (RuntimeException e) {
                log.warn("trend counts not saved: {}", e.toString());
            }
        }

        @Override
        public void stop() {
            JetstreamClient c = client;
            if (c != null && c.running()) {
                c.stop();
                Thread t = saver;
                if (t != null) {
                    t.interrupt();
                }
                save(c);
            }
        }

        @Override
        public boolean isRunning() {
            return client != null && client.running();
        }

        @Override
        public int getPhase() {
            return Integer.MAX_VALUE;
        }
    }
}
