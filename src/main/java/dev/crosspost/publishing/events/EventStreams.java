package dev.crosspost.publishing.events;

import dev.crosspost.publishing.KnownCampaigns;
import dev.crosspost.publishing.PostView;
import dev.crosspost.publishing.Posts;
import dev.crosspost.system.CrosspostException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Opens progress streams: checks the caller may see the post or campaign, takes one of the node's stream slots,
 * and runs a writer that sends the backlog after the client's last event, then the rows the poller hands over,
 * heartbeats while idle, and for a post a final {@code settled} event.
 */
@Service
class EventStreams {

    private static final Logger log = LoggerFactory.getLogger(EventStreams.class);
    /** How often an idle writer looks up from its queue to notice a closed or overflowed stream. */
    private static final Duration SLICE = Duration.ofMillis(250);
    private static final Duration BACKLOG_DURABLE_WAIT = Duration.ofSeconds(2);

    private final EventPoller poller;
    private final HistoryTail tail;
    private final Posts posts;
    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final EventsSettings settings;
    private final AtomicInteger open = new AtomicInteger();
    private final Counter dropped;

    private final List<KnownCampaigns> campaigns;

    EventStreams(EventPoller poller, HistoryTail tail, Posts posts, JdbcClient jdbc, JsonMapper json, EventsSettings settings,
                 MeterRegistry meters, List<KnownCampaigns> campaigns) {
        this.campaigns = campaigns;
        this.poller = poller;
        this.tail = tail;
        this.posts = posts;
        this.jdbc = jdbc;
        this.json = json;
        this.settings = settings;
        Gauge.builder("crosspost_sse_streams", open, AtomicInteger::get).description("Open event streams on this node").register(meters);
        this.dropped = Counter.builder("crosspost_sse_dropped_total").description("Streams ended because the client fell behind")
                .register(meters);
    }

    /** A post's events after {@code after}; 404 unless the post is the workspace's. */
    SseEmitter post(UUID workspaceId, UUID postId, long after) {
        boolean visible = jdbc.sql("SELECT EXISTS (SELECT 1 FROM posts WHERE id = :id AND workspace_id = :ws)")
                .param("id", postId).param("ws", workspaceId).query(Boolean.class).single();
        if (!visible) {
            throw CrosspostException.notFound("post", postId);
        }
        return open(new EventStream.Topic(EventStream.Topic.Kind.POST, workspaceId, postId), after);
    }

    /** The events of every post of a campaign after {@code after}; 404 unless the workspace has posts in it or keeps it. */
    SseEmitter campaign(UUID workspaceId, UUID campaignId, long after) {
        boolean visible = jdbc.sql("SELECT EXISTS (SELECT 1 FROM posts WHERE campaign_id = :id AND workspace_id = :ws)")
                .param("id", campaignId).param("ws", workspaceId).query(Boolean.class).single()
                || campaigns.stream().anyMatch(c -> c.exists(workspaceId, campaignId));
        if (!visible) {
            throw CrosspostException.notFound("campaign", campaignId);
        }
        return open(new EventStream.Topic(EventStream.Topic.Kind.CAMPAIGN, workspaceId, campaignId), after);
    }

    int openStreams() {
        return open.get();
    }

    private SseEmitter open(EventStream.Topic topic, long after) {
        if (open.incrementAndGet() > settings.maxStreams()) {
            open.decrementAndGet();
            throw new CrosspostException(CrosspostException.Kind.UNAVAILABLE, "too_many_streams",
                    "this node already serves its maximum of " + settings.maxStreams() + " event streams; retry later or on another node",
                    Map.of("retryAfterSeconds", 5));
        }
        EventStream stream;
        long bound;
        try {
            SseEmitter emitter = new SseEmitter(settings.streamTimeout().toMillis());
            stream = new EventStream(topic, emitter, settings.clientQueue());
            emitter.onCompletion(stream::close);
            emitter.onError(e -> stream.close());
            emitter.onTimeout(() -> {
                stream.close();
                emitter.complete();
            });
            bound = poller.subscribe(stream);
        } catch (RuntimeException e) {
            open.decrementAndGet();
            throw e;
        }
        Thread.ofVirtual().name("sse-" + topic.kind().name().toLowerCase(java.util.Locale.ROOT) + "-" + topic.id())
                .start(() -> write(stream, after, bound));
        return stream.emitter();
    }

    /** The writer of one stream; ends the stream and frees its slot however it ends. */
    private void write(EventStream stream, long after, long bound) {
        EventStream.Topic topic = stream.topic();
        SseEmitter emitter = stream.emitter();
        long last = after;
        try {
            // the backlog was committed before the subscription: on disk first, like every row the poller hands on
            if (!tail.awaitDurableNow(BACKLOG_DURABLE_WAIT, stream::closed)) {
                return; // the client left, or its stream timed out, before PostgreSQL flushed
            }
            while (true) {
                List<HistoryRow> page = topic.kind() == EventStream.Topic.Kind.POST
                        ? tail.forPost(topic.id(), last, bound, settings.batchSize())
                        : tail.forCampaign(topic.workspaceId(), topic.id(), last, bound, settings.batchSize());
                for (HistoryRow row : page) {
                    send(emitter, row);
                    last = row.id();
                }
                if (page.size() < settings.batchSize()) {
                    break;
                }
            }
            if (last == after) {
                // nothing to catch up on (a campaign without posts yet): commit the response now, not at the first event
                emitter.send(SseEmitter.event().comment("open"));
            }
            last = Math.max(last, bound);
            if (topic.kind() == EventStream.Topic.Kind.POST && settled(stream, last)) {
                return;
            }
            long idleSince = System.nanoTime();
            while (!stream.closed()) {
                List<EventStream.Item> items = stream.next(SLICE);
                if (stream.overflowed()) {
                    dropped.increment();
                    log.warn("Dropping the event stream of {}: the client fell {} events behind; it resumes from event {} when it reconnects",
                            topic, settings.clientQueue(), last);
                    return;
                }
                if (items.isEmpty()) {
                    if (System.nanoTime() - idleSince >= settings.heartbeat().toNanos()) {
                        emitter.send(SseEmitter.event().comment("heartbeat"));
                        idleSince = System.nanoTime();
                    }
                    continue;
                }
                boolean ended = false;
                for (EventStream.Item item : items) {
                    switch (item) {
                        case EventStream.Live live -> emitter.send(SseEmitter.event().name(live.name()).data(live.json()));
                        case EventStream.Row(HistoryRow row) -> {
                            if (row.id() > last) { // else already sent with the backlog
                                send(emitter, row);
                                last = row.id();
                                ended |= row.terminal();
                            }
                        }
                    }
                }
                idleSince = System.nanoTime();
                if (ended && topic.kind() == EventStream.Topic.Kind.POST && settled(stream, last)) {
                    return;
                }
            }
        } catch (IOException | IllegalStateException e) {
            // the client went away or the stream was completed meanwhile: nothing to tell anyone
            log.debug("Event stream of {} ended: {}", topic, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.warn("Event stream of {} failed", topic, e);
        } finally {
            poller.unsubscribe(stream);
            open.decrementAndGet();
            stream.close();
            try {
                emitter.complete();
            } catch (RuntimeException ignored) {
                // already completed
            }
        }
    }

    private void send(SseEmitter emitter, HistoryRow row) throws IOException {
        emitter.send(SseEmitter.event().id(Long.toString(row.id())).name("publication").data(json.writeValueAsString(row.event())));
    }

    /** Sends {@code settled} when the post has settled and the client has every row of it; true when it did. */
    private boolean settled(EventStream stream, long sentUpTo) throws IOException {
        UUID postId = stream.topic().id();
        Long lastRow = jdbc.sql("SELECT max(id) FROM publication_history WHERE post_id = :post").param("post", postId)
                .query(Long.class).optional().orElse(null);
        if (lastRow != null && lastRow > sentUpTo) {
            return false;
        }
        PostView post = posts.find(stream.topic().workspaceId(), postId).orElse(null);
        if (post == null || post.settledAt() == null) {
            return false;
        }
        stream.emitter().send(SseEmitter.event().name("settled").data(json.writeValueAsString(new Settled(post.id(), post.settledAt(),
                post.summary().outcome(), post.summary().states()))));
        return true;
    }

    /** The data of the {@code settled} event. */
    record Settled(UUID postId, Instant settledAt, String outcome, Map<String, Integer> states) {
    }
}
