package dev.crosspost.trends;

import dev.crosspost.support.CrosspostIntegrationTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.io.ClassPathResource;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The collector against the app's own Jetstream simulator replaying its sample file ({@code rate=0}: nothing more). */
@CrosspostIntegrationTest
class JetstreamCollectorTests {

    @LocalServerPort
    int port;
    @Autowired
    CursorStore cursors;

    private final List<JetstreamClient> clients = new ArrayList<>();

    @AfterEach
    void stopClients() {
        clients.forEach(JetstreamClient::kill);
    }

    private JetstreamClient client(String source, String query, JetstreamClient.PostSink sink, int queue, Clock clock) {
        URI uri = URI.create("ws://127.0.0.1:" + port + "/sandbox/jetstream/subscribe?rate=0" + query);
        JetstreamClient client = new JetstreamClient(source, () -> uri, cursors, sink,
                new JetstreamClient.Options(queue, Duration.ofHours(1), Duration.ofSeconds(3), Backoff.NONE), clock);
        clients.add(client);
        return client;
    }

    private static long samplePosts() throws IOException {
        String sample = new ClassPathResource("sandbox/jetstream-sample.jsonl").getContentAsString(StandardCharsets.UTF_8);
        return sample.lines().filter(l -> l.contains("\"operation\":\"create\"") && l.contains("\"collection\":\"app.bsky.feed.post\"")).count();
    }

    @Test
    void resumesFromThePersistedCursorAfterAKillWithoutLosingOrRecountingEvents() throws IOException {
        String source = "test-" + UUID.randomUUID();
        long posts = samplePosts();
        MutableClock clock = new MutableClock(Instant.now());
        Queue<Long> first = new ConcurrentLinkedQueue<>();
        // the flush interval is an hour: moving the clock two hours at the 100th post makes the cursor be written there, once
        JetstreamClient a = client(source, "&limit=200", (timeUs, did, rkey, keys) -> {
            first.add(timeUs);
            if (first.size() == 100) {
                clock.advance(Duration.ofHours(2));
            }
        }, 1024, clock);
        a.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> a.processed() == 200);
        long hundredth = new ArrayList<>(first).get(99);
        assertThat(cursors.load(source)).hasValue(hundredth);
        assertThat(first).hasSizeGreaterThan(100);

        a.kill(); // no shutdown flush: the posts after the 100th were processed but are not behind the cursor
        assertThat(cursors.load(source)).hasValue(hundredth);

        Queue<Long> second = new ConcurrentLinkedQueue<>();
        JetstreamClient b = client(source, "", (timeUs, did, rkey, keys) -> second.add(timeUs), 1024, Clock.systemUTC());
        b.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> second.size() >= posts - 100);
        assertThat(b.status().skipped()).as("replayed events at or before the cursor").isPositive();

        assertThat(second).hasSize((int) (posts - 100)).doesNotHaveDuplicates().allMatch(t -> t > hundredth);
        Set<Long> all = new HashSet<>(second);
        first.stream().filter(t -> t <= hundredth).forEach(all::add);
        assertThat(all).as("every post of the sample, counted once across both runs").hasSize((int) posts);

        b.stop();
        assertThat(cursors.load(source).orElseThrow()).isGreaterThan(hundredth);
    }

    @Test
    void reconnectsFromItsCursorWhenTheSimulatorDropsTheConnection() throws IOException {
        long posts = samplePosts();
        Queue<String> seen = new ConcurrentLinkedQueue<>();
        JetstreamClient client = client("test-" + UUID.randomUUID(), "&dropAfter=60",
                (timeUs, did, rkey, keys) -> seen.add(did + "/" + rkey), 1024, Clock.systemUTC());
        client.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> seen.size() >= posts);
        await().atMost(Duration.ofSeconds(5)).until(() -> client.status().connected());

        assertThat(seen).hasSize((int) posts).doesNotHaveDuplicates();
        // 60 events a connection, a few of them replayed from before the cursor: at least five drops to get through 400
        assertThat(client.status().reconnects()).isGreaterThanOrEqualTo(5);
    }

    @Test
    void countsWhatItDropsWhenTheQueueIsFull() {
        CountDownLatch release = new CountDownLatch(1);
        JetstreamClient client = client("test-" + UUID.randomUUID(), "", (timeUs, did, rkey, keys) -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, 16, Clock.systemUTC());
        client.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> client.received() == 400);
        // the consumer holds one post and the queue 16 more: nearly all the rest is dropped
        assertThat(client.dropped()).isGreaterThanOrEqualTo(400 - 16 - 10);

        release.countDown();
        await().atMost(Duration.ofSeconds(30)).until(() -> client.processed() + client.dropped() == 400);
        assertThat(client.status().queued()).isZero();
    }
}
