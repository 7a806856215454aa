package dev.crosspost.publishing.events;

import dev.crosspost.system.CrosspostException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The node's one reader of {@code publication_history} for live streams: a loop on a virtual thread that reads
 * new rows every {@code poll-interval} and hands each to the streams that want it. Streams never query for live
 * rows themselves, so a thousand open streams cost one query per interval.
 */
@Component
class EventPoller implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(EventPoller.class);
    private static final Duration READY_WAIT = Duration.ofSeconds(5);
    private static final Duration DURABLE_WAIT = Duration.ofSeconds(2);

    private final HistoryTail tail;
    private final EventsSettings settings;
    private final Clock clock;
    private final Timer lag;
    private final Object lock = new Object();
    private final Set<EventStream> subscribers = new LinkedHashSet<>(); // guarded by lock
    private long published; // guarded by lock: every row up to here has been handed to the subscribers of its time
    private final CountDownLatch ready = new CountDownLatch(1);
    private volatile boolean running;
    private @Nullable Thread thread;

    EventPoller(HistoryTail tail, EventsSettings settings, Clock clock, MeterRegistry meters) {
        this.tail = tail;
        this.settings = settings;
        this.clock = clock;
        this.lag = Timer.builder("crosspost_sse_event_lag").description("From a history row's time to its hand-off to streams")
                .publishPercentileHistogram().register(meters);
    }

    /**
     * Adds a stream and returns the id up to which it must read its backlog itself; later rows reach it here.
     * Registering and reading the bound under one lock with the hand-off means no row is missed or sent twice.
     */
    long subscribe(EventStream stream) {
        try {
            if (!ready.await(READY_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new CrosspostException(CrosspostException.Kind.UNAVAILABLE, "events_unavailable",
                        "live events are not available yet on this node; retry shortly", Map.of("retryAfterSeconds", 2));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CrosspostException(CrosspostException.Kind.UNAVAILABLE, "events_unavailable", "interrupted");
        }
        synchronized (lock) {
            subscribers.add(stream);
            return published;
        }
    }

    /** The workspace's open streams now (for transient events, which bypass history). */
    List<EventStream> streams(java.util.UUID workspaceId) {
        synchronized (lock) {
            return subscribers.stream().filter(s -> !s.closed() && s.topic().workspaceId().equals(workspaceId)).toList();
        }
    }

    void unsubscribe(EventStream stream) {
        synchronized (lock) {
            subscribers.remove(stream);
        }
    }

    @Override
    public void start() {
        running = true;
        thread = Thread.ofVirtual().name("sse-history-poller").start(this::loop);
    }

    /** Ends every stream (clients reconnect to another node), before the web server's graceful shutdown waits. */
    @Override
    public void stop() {
        running = false;
        Thread t = thread;
        if (t != null) {
            // unpark, not interrupt: an interrupt during a JDBC read would break a pooled connection
            LockSupport.unpark(t);
            try {
                t.join(Duration.ofSeconds(2));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        List<EventStream> open;
        synchronized (lock) {
            open = List.copyOf(subscribers);
        }
        open.forEach(EventStream::close);
        // writers notice within a wait slice, complete their responses and unsubscribe
        long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        while (System.nanoTime() < deadline) {
            synchronized (lock) {
                if (subscribers.isEmpty()) {
                    break;
                }
            }
            LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
        }
        if (!open.isEmpty()) {
            log.info("Closed {} event stream(s) for shutdown; clients reconnect with Last-Event-ID", open.size());
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        // stopped before the web server's graceful shutdown (a lower phase), which would otherwise wait for open streams
        return SmartLifecycle.DEFAULT_PHASE;
    }

    private void loop() {
        long cursor = -1;
        while (running && cursor < 0) {
            try {
                cursor = tail.head(READY_WAIT);
            } catch (RuntimeException e) {
                log.warn("Cannot read publication history yet; live events wait: {}", e.toString());
                pause(Duration.ofSeconds(1));
            }
        }
        synchronized (lock) {
            published = cursor;
        }
        ready.countDown();
        HistoryTail.Gap gap = null;
        while (running) {
            try {
                boolean nobody;
                synchronized (lock) {
                    nobody = subscribers.isEmpty();
                }
                if (nobody) {
                    // no stream to hand rows to: pass them by id, without the joins. A stream that subscribes
                    // meanwhile reads its backlog up to the old bound, so then nothing moves and the rows are read.
                    HistoryTail.Passed passed = tail.skip(cursor, gap, settings.batchSize());
                    boolean moved;
                    synchronized (lock) {
                        moved = subscribers.isEmpty();
                        if (moved) {
                            published = passed.cursor();
                        }
                    }
                    if (moved) {
                        cursor = passed.cursor();
                        gap = passed.gap();
                        if (passed.count() < settings.batchSize()) {
                            pause(settings.pollInterval());
                        }
                    }
                    continue;
                }
                HistoryTail.Batch batch = tail.read(cursor, gap, settings.batchSize());
                if (!batch.rows().isEmpty() && !tail.awaitDurable(batch.walEnd(), DURABLE_WAIT)) {
                    // not on disk yet: a client must never see an event a crash could take back; read again
                    continue;
                }
                List<EventStream> targets;
                synchronized (lock) {
                    published = batch.cursor();
                    targets = List.copyOf(subscribers);
                }
                for (HistoryRow row : batch.rows()) {
                    lag.record(Duration.between(row.event().at(), clock.instant()));
                    for (EventStream stream : targets) {
                        if (stream.wants(row)) {
                            stream.offer(row);
                        }
                    }
                }
                cursor = batch.cursor();
                gap = batch.gap();
                if (batch.rows().size() < settings.batchSize()) {
                    pause(settings.pollInterval());
                }
            } catch (RuntimeException e) {
                log.warn("Reading publication history for live events failed; retrying", e);
                pause(Duration.ofSeconds(1));
            }
        }
    }

    private void pause(Duration duration) {
        if (running) {
            LockSupport.parkNanos(duration.toNanos());
        }
    }
}
