package dev.crosspost.publishing.events;

import dev.crosspost.publishing.KnownCampaigns;
import dev.crosspost.publishing.LiveEvents;
import org.jspecify.annotations.Nullable;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;

/**
 * Carries transient events to the streams of every node: a sender sends a PostgreSQL {@code NOTIFY} (nothing is
 * stored), and each node's listener hands it to its own open streams. A node with nobody watching the workspace
 * drops it at once; else one query, narrowed by primary key to the posts and campaigns being watched, finds which
 * of them use the assets. The listener holds one pooled connection for its {@code LISTEN}.
 */
@Component
class LiveRelay implements LiveEvents, SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(LiveRelay.class);
    static final String CHANNEL = "crosspost_live";
    /** PostgreSQL refuses a NOTIFY payload of 8000 bytes or more. */
    private static final int MAX_PAYLOAD = 7900;
    /** Stands in for an empty IN list. */
    private static final List<UUID> NONE = List.of(new UUID(0, 0));

    private final EventPoller poller;
    private final JdbcClient jdbc;
    private final DataSource dataSource;
    private final JsonMapper json;
    private final List<KnownCampaigns> campaigns;
    private volatile boolean running;
    private @Nullable Thread thread;

    LiveRelay(EventPoller poller, JdbcClient jdbc, DataSource dataSource, JsonMapper json, List<KnownCampaigns> campaigns) {
        this.poller = poller;
        this.jdbc = jdbc;
        this.dataSource = dataSource;
        this.json = json;
        this.campaigns = campaigns;
    }

    /** What travels in a notification; {@code data} is the SSE data, already JSON. */
    record Notice(UUID workspaceId, Set<UUID> assets, Set<UUID> campaigns, String name, String data) {
    }

    @Override
    public void send(UUID workspaceId, Set<UUID> assets, Set<UUID> campaigns, String name, Object data) {
        String payload = json.writeValueAsString(new Notice(workspaceId, assets, campaigns, name, json.writeValueAsString(data)));
        if (payload.length() > MAX_PAYLOAD) {
            log.debug("Dropping a {} event for {} assets: too large to notify", name, assets.size());
            return;
        }
        jdbc.sql("SELECT 1 FROM (SELECT pg_notify('" + CHANNEL + "', :payload)) AS sent").param("payload", payload).query(Integer.class).single();
    }

    @Override
    public void start() {
        running = true;
        thread = Thread.ofPlatform().daemon().name("sse-live-listener").start(this::listen);
    }

    @Override
    public void stop() {
        running = false;
        Thread t = thread;
        if (t != null) {
            try {
                t.join(Duration.ofSeconds(2));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private void listen() {
        while (running) {
            try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
                statement.execute("LISTEN " + CHANNEL);
                PGConnection pg = connection.unwrap(PGConnection.class);
                while (running) {
                    PGNotification[] notices = pg.getNotifications(500);
                    for (PGNotification n : notices == null ? new PGNotification[0] : notices) {
                        deliver(n.getParameter());
                    }
                }
                statement.execute("UNLISTEN " + CHANNEL);
            } catch (SQLException | RuntimeException e) {
                log.warn("Listening for live events failed; render progress pauses until it reconnects: {}", e.toString());
                LockSupport.parkNanos(Duration.ofSeconds(1).toNanos());
            }
        }
    }

    /** Hands one notification to this node's streams that want it. */
    void deliver(String payload) {
        Notice notice = json.readValue(payload, Notice.class);
        List<EventStream> watching = poller.streams(notice.workspaceId());
        if (watching.isEmpty()) {
            return;
        }
        Set<UUID> posts = new HashSet<>();
        Set<UUID> audience = new HashSet<>(notice.campaigns());
        for (KnownCampaigns known : campaigns) {
            audience.addAll(known.using(notice.workspaceId(), notice.assets()));
        }
        if (!notice.assets().isEmpty()) {
            List<UUID> postTopics = ids(watching, EventStream.Topic.Kind.POST);
            List<UUID> campaignTopics = ids(watching, EventStream.Topic.Kind.CAMPAIGN);
            List<String> locations = notice.assets().stream().map(a -> "asset:" + a).toList();
            jdbc.sql("""
                            SELECT p.id, p.campaign_id FROM posts p
                            WHERE p.workspace_id = :ws AND (p.id IN (:posts) OR p.campaign_id IN (:campaigns))
                              AND (EXISTS (SELECT 1 FROM jsonb_array_elements(p.media) m WHERE m->>'location' IN (:locations))
                                   OR EXISTS (SELECT 1 FROM publications pub, jsonb_array_elements(coalesce(pub.media, '[]'::jsonb)) m
                                              WHERE pub.post_id = p.id AND m->>'location' IN (:locations)))""")
                    .param("ws", notice.workspaceId()).param("posts", postTopics.isEmpty() ? NONE : postTopics)
                    .param("campaigns", campaignTopics.isEmpty() ? NONE : campaignTopics).param("locations", locations)
                    .query(rs -> {
                        posts.add(rs.getObject(1, UUID.class));
                        UUID campaign = rs.getObject(2, UUID.class);
                        if (campaign != null) {
                            audience.add(campaign);
                        }
                    });
        }
        if (posts.isEmpty() && audience.isEmpty()) {
            return;
        }
        EventStream.Live event = new EventStream.Live(notice.name(), notice.data());
        for (EventStream stream : watching) {
            EventStream.Topic topic = stream.topic();
            if (topic.kind() == EventStream.Topic.Kind.POST ? posts.contains(topic.id()) : audience.contains(topic.id())) {
                stream.offer(event);
            }
        }
    }

    private static List<UUID> ids(List<EventStream> streams, EventStream.Topic.Kind kind) {
        return streams.stream().map(EventStream::topic).filter(t -> t.kind() == kind).map(EventStream.Topic::id).distinct().toList();
    }
}
