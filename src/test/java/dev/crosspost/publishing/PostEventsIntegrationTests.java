package dev.crosspost.publishing;

import dev.crosspost.support.TestApi;
import dev.crosspost.publishing.ScriptedPlatform.Behaviour;
import dev.crosspost.publishing.events.HistoryTail;
import dev.crosspost.support.CrosspostIntegrationTest;
import dev.crosspost.system.Workspaces;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import javax.sql.DataSource;
import java.net.http.HttpClient;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Progress over server-sent events, end to end: real HTTP, PostgreSQL, db-scheduler and the engine with scripted platforms. */
@CrosspostIntegrationTest
@ActiveProfiles({"engine", "events"})
@Import(EventTestPlatforms.class)
class PostEventsIntegrationTests {

    private static final UUID WS = Workspaces.SANDBOX;
    private static final UUID OTHER_WS = UUID.fromString("00000000-0000-0000-0000-00000000beef");

    @LocalServerPort int port;
    @Autowired Posts posts;
    @Autowired MeterRegistry meters;
    @Autowired ScriptedPlatform alpha;
    @Autowired JdbcClient jdbc;
    @Autowired DataSource dataSource;
    @Autowired HistoryTail tail;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final JsonMapper json = JsonMapper.builder().build();

    private PostView post(UUID workspace, UUID campaign, String text, LocalSchedule schedule, String... platforms) {
        var targets = java.util.Arrays.stream(platforms).map(p -> new NewPost.Target(p, "acct-" + p)).toList();
        return posts.create(new NewPost(workspace, campaign, text, List.of(), targets, schedule,
                schedule == null ? Priority.NOW : Priority.SCHEDULED));
    }

    private PostView post(String text, String... platforms) {
        return post(WS, null, text, null, platforms);
    }

    private static LocalSchedule inSeconds(long seconds) {
        return LocalSchedule.resolve(LocalDateTime.now(ZoneOffset.UTC).plusNanos(seconds * 1_000_000_000L), ZoneOffset.UTC);
    }

    private SseClient stream(String path, String lastEventId) throws Exception {
        return SseClient.open(http, TestApi.request(port, path), lastEventId);
    }

    private JsonNode data(SseClient.Event event) {
        return json.readTree(event.data());
    }

    private List<Long> historyIds(UUID postId) {
        return jdbc.sql("SELECT id FROM publication_history WHERE post_id = :p ORDER BY id").param("p", postId).query(Long.class).list();
    }

    @Test
    void aPostStreamsEveryTransitionThenSettledAndEnds() throws Exception {
        PostView post = post("sse full sequence", "alpha");

        try (SseClient client = stream("/api/v1/posts/" + post.id() + "/events", null)) {
            assertThat(client.status()).isEqualTo(200);
            assertThat(client.header("Content-Type")).startsWith("text/event-stream");
            await().atMost(Duration.ofSeconds(20)).until(client::ended);

            List<SseClient.Event> publications = client.events("publication");
            assertThat(publications).extracting(e -> data(e).get("to").asString()).containsExactly("queued", "running", "published");
            assertThat(publications).extracting(e -> Long.parseLong(e.id())).containsExactlyElementsOf(historyIds(post.id()));
            JsonNode published = data(publications.getLast());
            assertThat(published.get("from").asString()).isEqualTo("running");
            assertThat(published.get("postId").asString()).isEqualTo(post.id().toString());
            assertThat(published.get("publicationId").asString()).isEqualTo(post.publications().getFirst().id().toString());
            assertThat(published.get("platform").asString()).isEqualTo("alpha");
            assertThat(published.get("accountId").asString()).isEqualTo("acct-alpha");
            assertThat(published.get("step").asString()).isEqualTo("publish");
            assertThat(published.get("outcome").asString()).isEqualTo("done");
            assertThat(published.get("platformPostId").asString()).startsWith("alpha_");
            assertThat(published.get("platformUrl").asString()).startsWith("https://alpha.test/p/alpha_");
            assertThat(published.properties().stream().map(Map.Entry::getKey)).containsExactly("publicationId", "postId", "platform",
                    "accountId", "from", "to", "step", "outcome", "errorClass", "responseCode", "reason", "at", "platformPostId",
                    "platformUrl");
            assertThat(data(publications.getFirst()).get("from").isNull()).isTrue();

            List<SseClient.Event> settled = client.events("settled");
            assertThat(settled).singleElement().satisfies(e -> {
                assertThat(data(e).get("postId").asString()).isEqualTo(post.id().toString());
                assertThat(data(e).get("outcome").asString()).isEqualTo("published");
            });
            assertThat(client.events().getLast().name()).isEqualTo("settled");
        }
        // read again once published: an event says what was true at its row, so only the publishing row carries the link
        try (SseClient replay = stream("/api/v1/posts/" + post.id() + "/events", null)) {
            await().atMost(Duration.ofSeconds(20)).until(replay::ended);
            List<SseClient.Event> publications = replay.events("publication");
            assertThat(publications).extracting(e -> data(e).get("to").asString()).containsExactly("queued", "running", "published");
            assertThat(publications.subList(0, 2)).allSatisfy(e -> assertThat(data(e).has("platformPostId") || data(e).has("platformUrl"))
                    .as("a %s event names no platform post", data(e).get("to").asString()).isFalse());
            assertThat(data(publications.getLast()).get("platformUrl").asString()).startsWith("https://alpha.test/p/alpha_");
        }
    }

    @Test
    void aLiveStreamGetsEachRowAsItIsWrittenIncludingRetries() throws Exception {
        alpha.script("sse live", "publish", Behaviour.TRANSIENT);
        PostView post = post(WS, null, "sse live", inSeconds(2), "alpha");

        try (SseClient client = stream("/api/v1/posts/" + post.id() + "/events", null)) {
            await().atMost(Duration.ofSeconds(20)).until(client::ended);

            List<SseClient.Event> events = client.events("publication");
            assertThat(events).extracting(e -> data(e).get("to").asString())
                    .containsExactly("scheduled", "queued", "running", "retry_wait", "queued", "running", "published");
            JsonNode retry = data(events.get(3));
            assertThat(retry.get("outcome").asString()).isEqualTo("retry");
            assertThat(retry.get("errorClass").asString()).isEqualTo("TRANSIENT");
            assertThat(retry.get("responseCode").asInt()).isEqualTo(503);
            assertThat(retry.get("reason").asString()).isEqualTo("alpha: 503 service unavailable");
            assertThat(client.events("settled")).hasSize(1);

            // rows written after the stream opened: the time from the row's instant to its arrival at the client
            List<Long> lags = events.stream().skip(1)
                    .map(e -> Duration.between(Instant.parse(data(e).get("at").asString()), e.receivedAt()).toMillis()).sorted().toList();
            System.out.println("SSE lag ms (row time -> client), sorted: " + lags);
            assertThat(lags.getLast()).isLessThan(2_000);
        }
    }

    @Test
    void aWaitingPublicationCarriesItsNextAttempt() throws Exception {
        // gamma allows one publish an hour, so the second post waits for the quota
        PostView first = post("sse quota first", "gamma");
        await().atMost(Duration.ofSeconds(20)).until(() -> posts.find(WS, first.id()).orElseThrow().settledAt() != null);
        PostView second = post("sse quota second", "gamma");

        try (SseClient client = stream("/api/v1/posts/" + second.id() + "/events", null)) {
            await().atMost(Duration.ofSeconds(20)).until(() -> client.events("publication").stream()
                    .anyMatch(e -> data(e).get("to").asString().equals("waiting_quota")));
            List<SseClient.Event> events = client.events("publication");
            assertThat(events).extracting(e -> data(e).get("to").asString()).containsExactly("queued", "waiting_quota");
            Instant next = Instant.parse(data(events.getLast()).get("nextAttemptAt").asString());
            assertThat(next).isAfter(Instant.now().plus(Duration.ofMinutes(59)));
            assertThat(data(events.getFirst()).has("nextAttemptAt")).isFalse();
            assertThat(client.ended()).isFalse();
        }
    }

    @Test
    void reconnectingWithLastEventIdResumesWithExactlyTheLaterEvents() throws Exception {
        PostView post = post("sse resume", "alpha", "beta");
        await().atMost(Duration.ofSeconds(20)).until(() -> posts.find(WS, post.id()).orElseThrow().settledAt() != null);
        List<Long> all = historyIds(post.id());
        assertThat(all).hasSize(6);

        List<Long> seen = new ArrayList<>();
        try (SseClient first = stream("/api/v1/posts/" + post.id() + "/events", null)) {
            await().atMost(Duration.ofSeconds(10)).until(first::ended);
            first.events("publication").forEach(e -> seen.add(Long.parseLong(e.id())));
        }
        assertThat(seen).containsExactlyElementsOf(all);

        String resumeAfter = Long.toString(all.get(2));
        try (SseClient second = stream("/api/v1/posts/" + post.id() + "/events", resumeAfter)) {
            await().atMost(Duration.ofSeconds(10)).until(second::ended);
            assertThat(second.events("publication")).extracting(e -> Long.parseLong(e.id())).containsExactlyElementsOf(all.subList(3, 6));
            assertThat(second.events("settled")).hasSize(1);
        }
        try (SseClient byQuery = stream("/api/v1/posts/" + post.id() + "/events?lastEventId=" + all.get(4), null)) {
            await().atMost(Duration.ofSeconds(10)).until(byQuery::ended);
            assertThat(byQuery.events("publication")).extracting(e -> Long.parseLong(e.id())).containsExactly(all.get(5));
        }
        try (SseClient atEnd = stream("/api/v1/posts/" + post.id() + "/events", Long.toString(all.getLast()))) {
            await().atMost(Duration.ofSeconds(10)).until(atEnd::ended);
            assertThat(atEnd.events()).extracting(SseClient.Event::name).containsExactly("settled");
        }
    }

    @Test
    void aCampaignStreamCarriesEveryPostOfTheCampaignAndNoOther() throws Exception {
        UUID campaign = UUID.randomUUID();
        PostView first = post(WS, campaign, "sse campaign one", inSeconds(1), "alpha");
        PostView second = post(WS, campaign, "sse campaign two", inSeconds(1), "beta");
        PostView outside = post(WS, null, "sse not in campaign", inSeconds(1), "alpha");

        try (SseClient client = stream("/api/v1/campaigns/" + campaign + "/events", null)) {
            await().atMost(Duration.ofSeconds(20)).until(() -> client.events("publication").stream()
                    .filter(e -> data(e).get("to").asString().equals("published")).count() == 2);
            await().atMost(Duration.ofSeconds(20)).until(() -> posts.find(WS, outside.id()).orElseThrow().settledAt() != null);

            List<SseClient.Event> events = client.events("publication");
            assertThat(events).extracting(e -> data(e).get("postId").asString())
                    .containsOnly(first.id().toString(), second.id().toString());
            assertThat(events).extracting(e -> Long.parseLong(e.id())).isSorted().doesNotHaveDuplicates();
            List<Long> expected = new ArrayList<>(historyIds(first.id()));
            expected.addAll(historyIds(second.id()));
            assertThat(events).extracting(e -> Long.parseLong(e.id())).containsExactlyInAnyOrderElementsOf(expected);
            assertThat(client.ended()).isFalse();
        }
    }

    @Test
    void anotherWorkspacesPostOrCampaignIsNotFound() throws Exception {
        UUID campaign = UUID.randomUUID();
        PostView foreign = post(OTHER_WS, campaign, "sse someone else's post", inSeconds(3600), "alpha");

        for (String path : List.of("/api/v1/posts/" + foreign.id() + "/events", "/api/v1/campaigns/" + campaign + "/events",
                "/api/v1/posts/" + UUID.randomUUID() + "/events")) {
            try (SseClient client = stream(path, null)) {
                assertThat(client.status()).as(path).isEqualTo(404);
                assertThat(client.header("Content-Type")).isEqualTo("application/problem+json");
                JsonNode problem = json.readTree(client.errorBody());
                assertThat(problem.get("code").asString()).isEqualTo("not_found");
                assertThat(client.errorBody()).doesNotContain("sse someone else's post");
            }
        }
    }

    @Test
    void aBadLastEventIdIsAValidationProblem() throws Exception {
        PostView post = post("sse bad id", "alpha");
        try (SseClient client = stream("/api/v1/posts/" + post.id() + "/events", "not-a-number")) {
            assertThat(client.status()).isEqualTo(400);
            JsonNode problem = json.readTree(client.errorBody());
            assertThat(problem.get("code").asString()).isEqualTo("validation_failed");
            assertThat(problem.get("errors").get(0).get("field").asString()).isEqualTo("Last-Event-ID");
        }
    }

    @Test
    void anIdleStreamGetsHeartbeatsAndTheNodeCapsOpenStreams() throws Exception {
        PostView waiting = post(WS, null, "sse idle", inSeconds(3600), "alpha");
        String path = "/api/v1/posts/" + waiting.id() + "/events";
        List<SseClient> open = new ArrayList<>();
        try {
            SseClient first = stream(path, null);
            open.add(first);
            await().atMost(Duration.ofSeconds(5)).until(() -> first.comments().contains("heartbeat"));
            assertThat(first.events("publication")).extracting(e -> data(e).get("to").asString()).containsExactly("scheduled");
            assertThat(first.ended()).isFalse();

            SseClient refused = null;
            for (int i = 0; i < 7 && refused == null; i++) {
                SseClient next = stream(path, null);
                open.add(next);
                if (next.status() != 200) {
                    refused = next;
                }
            }
            assertThat(refused).isNotNull();
            assertThat(refused.status()).isEqualTo(503);
            assertThat(refused.header("Retry-After")).isEqualTo("5");
            assertThat(json.readTree(refused.errorBody()).get("code").asString()).isEqualTo("too_many_streams");
        } finally {
            for (SseClient c : open) {
                c.close();
            }
        }
        // closed clients are noticed at the next heartbeat and free their slots (all of them, or the next test is refused)
        await().atMost(Duration.ofSeconds(10)).until(() -> meters.get("crosspost_sse_streams").gauge().value() == 0);
        try (SseClient again = stream(path, null)) {
            assertThat(again.status()).isEqualTo(200);
        }
    }

    @Test
    void theTailNeverPassesARowThatCommitsAfterALaterOne() throws Exception {
        PostView post = post(OTHER_WS, null, "sse tail gap", inSeconds(3600), "alpha");
        UUID publication = post.publications().getFirst().id();
        long start = tail.head(Duration.ofSeconds(5));

        try (Connection slow = dataSource.getConnection(); Connection fast = dataSource.getConnection()) {
            slow.setAutoCommit(false);
            fast.setAutoCommit(false);
            long early = insertHistory(slow, true, publication, post.id(), "slow writer");
            long late = insertHistory(fast, false, publication, post.id(), "fast writer");
            assertThat(late).isGreaterThan(early);
            fast.commit();

            HistoryTail.Batch blocked = readAndSkip(start, null);
            assertThat(blocked.rows()).extracting(r -> r.id()).doesNotContain(early, late);
            assertThat(blocked.cursor()).isLessThan(early);
            assertThat(blocked.gap()).isNotNull();
            HistoryTail.Batch stillBlocked = readAndSkip(blocked.cursor(), blocked.gap());
            assertThat(stillBlocked.rows()).extracting(r -> r.id()).doesNotContain(early, late);

            slow.commit();
            HistoryTail.Batch resumed = readAndSkip(stillBlocked.cursor(), stillBlocked.gap());
            assertThat(resumed.rows()).extracting(r -> r.id()).containsSubsequence(early, late);

            // a rolled-back id is a hole for good: it is passed once its transaction has ended
            long rolledBack = insertHistory(slow, true, publication, post.id(), "rolled back");
            long after = insertHistory(fast, false, publication, post.id(), "after the rollback");
            fast.commit();
            HistoryTail.Batch waiting = readAndSkip(resumed.cursor(), resumed.gap());
            assertThat(waiting.rows()).extracting(r -> r.id()).doesNotContain(after);
            slow.rollback();
            HistoryTail.Batch passed = readAndSkip(waiting.cursor(), waiting.gap());
            assertThat(passed.rows()).extracting(r -> r.id()).contains(after).doesNotContain(rolledBack);
        }
    }

    @Test
    void aReadSaysWhichWalPositionItsRowsCommittedByAndWaitsUntilTheWalIsOnDiskThere() throws Exception {
        PostView post = post(OTHER_WS, null, "sse durable", inSeconds(3600), "alpha");
        UUID publication = post.publications().getFirst().id();
        long start = tail.head(Duration.ofSeconds(5));
        UnflushedRow row = insertHistoryWithoutFlushWait(publication, post.id(), "not waited for");

        HistoryTail.Batch batch = tail.read(start, null, 1000);
        assertThat(batch.rows()).extracting(r -> r.id()).contains(row.id());
        assertThat(lsnAtLeast(batch.walEnd(), row.committedBy())).as("the read's WAL end covers the row's commit").isTrue();
        assertThat(tail.awaitDurable(batch.walEnd(), Duration.ofSeconds(10))).isTrue();
        assertThat(lsnAtLeast(flushedLsn(), row.committedBy())).as("the row's commit is on disk once the wait returns").isTrue();

        // a new stream's backlog: every commit visible now is on disk once the wait returns
        UnflushedRow backlog = insertHistoryWithoutFlushWait(publication, post.id(), "backlog, not waited for");
        assertThat(tail.awaitDurableNow(Duration.ofSeconds(10), () -> true)).isTrue();
        assertThat(lsnAtLeast(flushedLsn(), backlog.committedBy())).isTrue();

        // a position the WAL has not reached is not on disk: the wait gives up after its limit
        assertThat(tail.awaitDurable("FFFFFFFF/0", Duration.ofMillis(50))).isFalse();
        // without a limit it keeps waiting, slice after slice, until its caller gives up
        AtomicInteger asked = new AtomicInteger();
        assertThat(tail.awaitDurable("FFFFFFFF/0", Duration.ofMillis(20), () -> asked.incrementAndGet() == 3)).isFalse();
        assertThat(asked).hasValue(3);
    }

    /** A history row and the WAL position its commit had reached. */
    private record UnflushedRow(long id, String committedBy) {
    }

    /** Writes a history row committed as the engine commits most steps: without waiting for the WAL flush. */
    private UnflushedRow insertHistoryWithoutFlushWait(UUID publication, UUID post, String reason) throws Exception {
        try (Connection engine = dataSource.getConnection()) {
            engine.setAutoCommit(false);
            try (Statement off = engine.createStatement()) {
                off.execute("SET LOCAL synchronous_commit = off");
            }
            long id = insertHistory(engine, true, publication, post, reason);
            engine.commit();
            return new UnflushedRow(id, jdbc.sql("SELECT CAST(pg_current_wal_insert_lsn() AS text)").query(String.class).single());
        }
    }

    private String flushedLsn() {
        return jdbc.sql("SELECT CAST(pg_current_wal_flush_lsn() AS text)").query(String.class).single();
    }

    private boolean lsnAtLeast(String lsn, String than) {
        return Boolean.TRUE.equals(jdbc.sql("SELECT CAST(:a AS pg_lsn) >= CAST(:b AS pg_lsn)")
                .param("a", lsn).param("b", than).query(Boolean.class).single());
    }

    /** A read, checked against a skip from the same place: the webhook fan-out skips when nobody subscribes. */
    private HistoryTail.Batch readAndSkip(long after, HistoryTail.@org.jspecify.annotations.Nullable Gap gap) {
        HistoryTail.Passed skipped = tail.skip(after, gap, 1000);
        HistoryTail.Batch read = tail.read(after, gap, 1000);
        assertThat(skipped.cursor()).as("skip moves as far as read").isEqualTo(read.cursor());
        assertThat(skipped.count()).isEqualTo(read.rows().size());
        assertThat(skipped.gap() == null).isEqualTo(read.gap() == null);
        if (read.gap() != null) {
            assertThat(skipped.gap().first()).isEqualTo(read.gap().first());
        }
        return read;
    }

    /**
     * Writes a history row and returns its id; {@code writeFirst} writes the publication row before, as the engine
     * does, so the transaction is running (has an id) before it takes the history id. Only one side may: the second
     * update of the same row would wait for the first transaction.
     */
    private static long insertHistory(Connection connection, boolean writeFirst, UUID publication, UUID post, String reason) throws Exception {
        if (writeFirst) {
            try (PreparedStatement touch = connection.prepareStatement("UPDATE publications SET updated_at = updated_at WHERE id = ?")) {
                touch.setObject(1, publication);
                touch.executeUpdate();
            }
        }
        try (PreparedStatement insert = connection.prepareStatement("""
                INSERT INTO publication_history (publication_id, post_id, workspace_id, at, from_state, to_state, outcome, reason)
                VALUES (?, ?, ?, now(), 'SCHEDULED', 'SCHEDULED', 'test', ?) RETURNING id""")) {
            insert.setObject(1, publication);
            insert.setObject(2, post);
            insert.setObject(3, OTHER_WS);
            insert.setString(4, reason);
            try (ResultSet rs = insert.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
