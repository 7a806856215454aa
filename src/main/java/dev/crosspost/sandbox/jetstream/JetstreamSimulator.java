package dev.crosspost.sandbox.jetstream;

import dev.crosspost.sandbox.SandboxEnabled;
import jakarta.servlet.ServletContext;
import jakarta.websocket.CloseReason;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerContainer;
import jakarta.websocket.server.ServerEndpointConfig;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.stereotype.Component;
import org.springframework.web.context.ServletContextAware;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The Jetstream simulator's WebSocket endpoint, {@value #PATH}, on the servlet container's JSR-356 support. Each stream
 * replays the sample after {@code cursor} (all of it without one), then synthesizes posts at the stream's rate,
 * stamped with the current time. Query parameters: {@code wantedCollections} (posts are sent only when it is absent or
 * names {@code app.bsky.feed.post} or a prefix of it ending in {@code .*}; identity and account events always are),
 * {@code cursor}, {@code rate} (posts per second, else the shared rate), {@code limit} (stop sending after that many
 * events but keep the socket open) and {@code dropAfter} (close the socket with 1011 after that many events).
 */
@Component
@SandboxEnabled
class JetstreamSimulator implements ServletContextAware, SmartInitializingSingleton {

    static final String PATH = "/sandbox/jetstream/subscribe";
    static final int MAX_RATE = 1_000_000;
    private static final String POSTS = "app.bsky.feed.post";
    private static final Logger log = LoggerFactory.getLogger(JetstreamSimulator.class);

    private final JetstreamSample sample;
    private final AtomicInteger rate;
    private final AtomicLong streams = new AtomicLong();
    private final long seed;
    private @Nullable ServletContext servletContext;

    JetstreamSimulator(JetstreamSimSettings settings) {
        this.sample = JetstreamSample.load(System.currentTimeMillis() * 1000);
        this.rate = new AtomicInteger(settings.rate());
        this.seed = settings.seed();
    }

    @Override
    public void setServletContext(ServletContext servletContext) {
        this.servletContext = servletContext;
    }

    @Override
    public void afterSingletonsInstantiated() {
        ServerContainer container = servletContext == null ? null
                : (ServerContainer) servletContext.getAttribute(ServerContainer.class.getName());
        if (container == null) {
            log.debug("no WebSocket container: the Jetstream simulator is not served");
            return;
        }
        try {
            container.addEndpoint(ServerEndpointConfig.Builder.create(Stream.class, PATH).configurator(new ServerEndpointConfig.Configurator() {
                @Override
                public <T> T getEndpointInstance(Class<T> type) {
                    return type.cast(new Stream());
                }
            }).build());
        } catch (DeploymentException e) {
            throw new IllegalStateException("cannot serve " + PATH, e);
        }
    }

    int rate() {
        return rate.get();
    }

    void rate(int eventsPerSecond) {
        rate.set(eventsPerSecond);
    }

    /** One subscriber's stream, sent from its own virtual thread. */
    final class Stream extends Endpoint {

        private volatile @Nullable Thread sender;

        @Override
        public void onOpen(Session session, EndpointConfig config) {
            session.setMaxIdleTimeout(0);
            sender = Thread.ofVirtual().name("jetstream-sim-" + streams.incrementAndGet()).start(() -> serve(session));
        }

        @Override
        public void onClose(Session session, CloseReason reason) {
            Thread t = sender;
            if (t != null) {
                t.interrupt();
            }
        }

        private void serve(Session session) {
            Map<String, List<String>> params = session.getRequestParameterMap();
            Sent sent = new Sent(session, number(params, "limit"), number(params, "dropAfter"));
            boolean posts = wantsPosts(params.get("wantedCollections"));
            long cursor = number(params, "cursor");
            long streamRate = params.containsKey("rate") ? Math.min(MAX_RATE, number(params, "rate")) : -1;
            try {
                long last = 0;
                for (JetstreamSample.Event event : sample.events()) {
                    if (event.timeUs() > cursor && (posts || !event.commit())) {
                        sent.send(event.json());
                        last = event.timeUs();
                    }
                }
                SyntheticPosts synthetic = new SyntheticPosts(seed ^ System.nanoTime());
                long tickNanos = Duration.ofMillis(10).toNanos();
                long next = System.nanoTime();
                double owed = 0;
                while (session.isOpen()) {
                    long perSecond = streamRate >= 0 ? streamRate : rate.get();
                    if (perSecond == 0 || !posts) {
                        Thread.sleep(100);
                        next = System.nanoTime();
                        continue;
                    }
                    owed += perSecond / 100.0;
                    for (; owed >= 1; owed--) {
                        last = Math.max(last + 1, System.currentTimeMillis() * 1000);
                        sent.send(synthetic.next(last));
                    }
                    next += tickNanos;
                    long wait = next - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(Duration.ofNanos(wait));
                    } else if (wait < -1_000_000_000L) {
                        next = System.nanoTime(); // a second behind: what could not be sent is not owed
                        owed = 0;
                    }
                }
            } catch (InterruptedException | IOException | IllegalStateException e) {
                log.debug("jetstream simulator stream ended: {}", e.toString());
            }
        }
    }

    /** Counts what one stream sent, idling at its limit and closing it at its drop point. */
    private static final class Sent {
        private final Session session;
        private final long limit;
        private final long dropAfter;
        private final RemoteEndpoint.Basic remote;
        private long count;

        Sent(Session session, long limit, long dropAfter) {
            this.session = session;
            this.limit = limit;
            this.dropAfter = dropAfter;
            this.remote = session.getBasicRemote();
        }

        void send(String json) throws IOException, InterruptedException {
            remote.sendText(json);
            count++;
            if (dropAfter > 0 && count >= dropAfter) {
                session.close(new CloseReason(CloseReason.CloseCodes.UNEXPECTED_CONDITION, "simulated drop"));
                throw new InterruptedException("dropped");
            }
            if (limit > 0 && count >= limit) {
                while (session.isOpen()) {
                    Thread.sleep(200);
                }
                throw new InterruptedException("closed at limit");
            }
        }
    }

    private static boolean wantsPosts(@Nullable List<String> wanted) {
        if (wanted == null || wanted.isEmpty()) {
            return true;
        }
        return wanted.stream().flatMap(w -> List.of(w.split(",")).stream()).anyMatch(w -> w.equals(POSTS)
                || (w.endsWith(".*") && POSTS.startsWith(w.substring(0, w.length() - 1))));
    }

    private static long number(Map<String, List<String>> params, String name) {
        List<String> values = params.get(name);
        if (values == null || values.isEmpty()) {
            return -1;
        }
        try {
            return Math.max(-1, Long.parseLong(values.getFirst()));
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
