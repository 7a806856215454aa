package dev.crosspost.trends;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * A Bluesky Jetstream subscriber on the JDK's WebSocket client. The socket's listener only hands each text frame to a
 * bounded queue (dropping and counting it when the queue is full) and asks for the next; one virtual thread parses and
 * counts. The time_us of the last processed event is the cursor: written every {@code flushInterval} and on
 * {@link #stop()}, read back on {@link #start()}. Every (re)connect asks to replay from the cursor less
 * {@code rewind}, and events at or before the cursor are skipped, so a restart neither loses nor counts twice what
 * was processed before the last write. A closed or failed socket is reopened after {@link Backoff}'s wait.
 */
final class JetstreamClient {

    static final String POSTS = "app.bsky.feed.post";
    private static final Logger log = LoggerFactory.getLogger(JetstreamClient.class);
    private static final int WINDOW = 256;

    /** Where counted posts go. */
    @FunctionalInterface
    interface PostSink {
        void post(long timeUs, String did, String rkey, PostText.Keys keys);
    }

    /** How the client is set up. */
    record Options(int queueCapacity, Duration flushInterval, Duration rewind, Backoff backoff) {
    }

    private final String source;
    private final Supplier<URI> endpoint;
    private final CursorStore cursors;
    private final PostSink sink;
    private final Options options;
    private final Clock clock;
    private final BlockingQueue<String> queue;
    private final JsonMapper json = JsonMapper.builder().build();
    private final Object flushLock = new Object();
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong processed = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();
    private final AtomicLong reconnects = new AtomicLong();
    private volatile long cursor;
    private volatile boolean running;
    private volatile boolean connected;
    private volatile @Nullable WebSocket socket;
    private @Nullable HttpClient http;
    private @Nullable Thread supervisor;
    private @Nullable Thread consumer;
    private long flushedCursor;
    private volatile long lastFlushMillis;

    JetstreamClient(String source, Supplier<URI> endpoint, CursorStore cursors, PostSink sink, Options options, Clock clock) {
        this.source = source;
        this.endpoint = endpoint;
        this.cursors = cursors;
        this.sink = sink;
        this.options = options;
        this.clock = clock;
        this.queue = new ArrayBlockingQueue<>(options.queueCapacity());
    }

    synchronized void start() {
        start(Long.MAX_VALUE);
    }

    /** Starts from the persisted cursor, or from {@code ceiling} when that is earlier (to count again what was not saved). */
    synchronized void start(long ceiling) {
        if (running) {
            return;
        }
        long stored = cursors.load(source).orElse(0);
        cursor = stored == 0 ? 0 : Math.min(stored, ceiling);
        flushedCursor = cursor;
        lastFlushMillis = clock.millis();
        running = true;
        http = HttpClient.newBuilder().executor(Executors.newVirtualThreadPerTaskExecutor()).connectTimeout(Duration.ofSeconds(10)).build();
        consumer = Thread.ofVirtual().name("jetstream-consumer-" + source).start(this::consume);
        supervisor = Thread.ofVirtual().name("jetstream-socket-" + source).start(this::supervise);
        log.info("jetstream collector {} started at cursor {}", source, cursor == 0 ? "live" : cursor);
    }

    /** Closes the socket, lets the consumer finish the event in hand and writes the cursor. */
    void stop() {
        halt();
        flush();
    }

    /** Stops at once without writing the cursor, as a killed process would. */
    void kill() {
        halt();
    }

    private synchronized void halt() {
        if (!running) {
            return;
        }
        running = false;
        WebSocket ws = socket;
        if (ws != null) {
            ws.abort();
        }
        for (Thread t : new Thread[] {supervisor, consumer}) {
            if (t != null) {
                t.interrupt();
                try {
                    t.join(Duration.ofSeconds(5));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        queue.clear();
        connected = false;
        if (http != null) {
            http.shutdownNow();
        }
    }

    boolean running() {
        return running;
    }

    String source() {
        return source;
    }

    CollectorStatus status() {
        long c = cursor;
        Double lag = c == 0 ? null : Math.max(0, clock.millis() * 1000 - c) / 1_000_000.0;
        return new CollectorStatus(true, connected, c == 0 ? null : c, received.get(), processed.get(), dropped.get(),
                skipped.get(), reconnects.get(), queue.size(), lag);
    }

    long received() {
        return received.get();
    }

    long processed() {
        return processed.get();
    }

    long dropped() {
        return dropped.get();
    }

    double lagSeconds() {
        Double lag = status().lagSeconds();
        return lag == null ? 0 : lag;
    }

    /** The URI of the next connection: the configured one, posts only unless it says otherwise, from the cursor. */
    URI nextUri() {
        String base = endpoint.get().toString();
        StringBuilder uri = new StringBuilder(base);
        char sep = base.contains("?") ? '&' : '?';
        if (!base.contains("wantedCollections=")) {
            uri.append(sep).append("wantedCollections=").append(POSTS);
            sep = '&';
        }
        long c = cursor;
        if (c > 0) {
            uri.append(sep).append("cursor=").append(Math.max(1, c - options.rewind().toNanos() / 1000));
        }
        return URI.create(uri.toString());
    }

    private void supervise() {
        int attempt = 0;
        while (running) {
            CompletableFuture<Void> closed = new CompletableFuture<>();
            try {
                URI uri = nextUri();
                WebSocket ws = http.newWebSocketBuilder().buildAsync(uri, new Listener(closed)).get(30, TimeUnit.SECONDS);
                socket = ws;
                connected = true;
                attempt = 0;
                log.debug("jetstream {} connected to {}", source, uri.getHost());
                closed.get();
            } catch (InterruptedException e) {
                break;
            } catch (Exception e) {
                log.debug("jetstream {} connection failed: {}", source, e.toString());
            }
            connected = false;
            socket = null;
            if (!running) {
                break;
            }
            reconnects.incrementAndGet();
            Duration wait = options.backoff().delay(++attempt);
            log.info("jetstream {} disconnected; reconnecting in {} ms (attempt {})", source, wait.toMillis(), attempt);
            try {
                Thread.sleep(wait);
            } catch (InterruptedException e) {
                break;
            }
        }
    }

    private void consume() {
        while (running) {
            try {
                String message = queue.poll(100, TimeUnit.MILLISECONDS);
                if (message != null) {
                    handle(message);
                }
                if (clock.millis() - lastFlushMillis >= options.flushInterval().toMillis()) {
                    flush();
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                log.warn("jetstream {} event not counted: {}", source, e.toString());
            }
        }
    }

    /** Counts one event unless it is at or before the cursor. */
    void handle(String message) {
        JsonNode event;
        try {
            event = json.readTree(message);
        } catch (JacksonException e) {
            skipped.incrementAndGet();
            return;
        }
        long timeUs = event.path("time_us").asLong(0);
        if (timeUs <= cursor) {
            skipped.incrementAndGet();
            return;
        }
        JsonNode commit = event.path("commit");
        if ("commit".equals(event.path("kind").asString("")) && "create".equals(commit.path("operation").asString(""))
                && POSTS.equals(commit.path("collection").asString(""))) {
            sink.post(timeUs, event.path("did").asString(""), commit.path("rkey").asString(""), PostText.of(commit.path("record")));
        }
        cursor = timeUs;
        processed.incrementAndGet();
    }

    private void flush() {
        synchronized (flushLock) {
            lastFlushMillis = clock.millis();
            long c = cursor;
            if (c > flushedCursor) {
                try {
                    cursors.save(source, c);
                    flushedCursor = c;
                } catch (RuntimeException e) {
                    log.warn("jetstream {} cursor not written: {}", source, e.toString());
                }
            }
        }
    }

    /** Hands whole text messages to the queue, dropping when it is full, and keeps {@value #WINDOW} requested. */
    private final class Listener implements WebSocket.Listener {
        private final CompletableFuture<Void> closed;
        private final StringBuilder partial = new StringBuilder();

        Listener(CompletableFuture<Void> closed) {
            this.closed = closed;
        }

        @Override
        public void onOpen(WebSocket ws) {
            ws.request(WINDOW);
        }

        @Override
        public @Nullable CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            if (!last) {
                partial.append(data);
            } else {
                String message;
                if (partial.isEmpty()) {
                    message = data.toString();
                } else {
                    message = partial.append(data).toString();
                    partial.setLength(0);
                }
                received.incrementAndGet();
                if (!queue.offer(message)) {
                    dropped.incrementAndGet();
                }
            }
            ws.request(1);
            return null;
        }

        @Override
        public @Nullable CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            closed.complete(null);
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            closed.complete(null);
        }
    }
}
