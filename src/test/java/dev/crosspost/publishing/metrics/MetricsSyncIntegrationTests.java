package dev.crosspost.publishing.metrics;

import dev.crosspost.publishing.PlatformsSettings;
import dev.crosspost.publishing.ReadQuotas;
import dev.crosspost.sandbox.RecordedPost;
import dev.crosspost.sandbox.simulator.SimulatedMetrics;
import dev.crosspost.sandbox.simulator.SimulatorSupport;
import dev.crosspost.support.CrosspostIntegrationTest;
import dev.crosspost.support.TestApi;
import dev.crosspost.system.Workspaces;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The metrics sync against each platform's simulator: a point with the simulator's counts, backoff on a 429
 * without losing the publication, a deferral without a call when the read quota is used up, a deleted post ending
 * the sync, and the API's workspace scoping. Syncs are triggered directly; the rows are due far in the future so the
 * recurring task never takes them first.
 */
@CrosspostIntegrationTest
class MetricsSyncIntegrationTests {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final TypeReference<Map<String, Long>> COUNTS = new TypeReference<>() {
    };

    @LocalServerPort int port;
    @Autowired MetricsSync sync;
    @Autowired MetricsStore store;
    @Autowired SimulatorSupport simulators;
    @Autowired ReadQuotas quotas;
    @Autowired JdbcClient jdbc;
    @Autowired JsonMapper json;
    @Autowired Clock clock;

    @AfterEach
    void clearFaults() throws Exception {
        send(HttpRequest.newBuilder(TestApi.uri(port, "/sandbox/faults")).DELETE());
    }

    /** Each platform, its post id shape, and its own metric names with Crosspost's name for each. */
    static Stream<Arguments> platforms() {
        return Stream.of(
                Arguments.of("x", "19" + digits(), Map.of("retweet_count", "reposts", "reply_count", "replies", "like_count", "likes",
                        "quote_count", "quotes", "impression_count", "impressions", "bookmark_count", "bookmarks")),
                Arguments.of("instagram", "179" + digits(), Map.of("views", "views", "reach", "reach", "likes", "likes",
                        "comments", "comments", "shares", "shares", "saved", "saves")),
                Arguments.of("youtube", "yt" + digits(), Map.of("viewCount", "views", "likeCount", "likes", "commentCount", "comments")),
                Arguments.of("tiktok", "73" + digits(), Map.of("view_count", "views", "like_count", "likes", "comment_count", "comments",
                        "share_count", "shares")),
                Arguments.of("pinterest", "10" + digits(), Map.of("IMPRESSION", "impressions", "SAVE", "saves", "PIN_CLICK", "clicks",
                        "OUTBOUND_CLICK", "outbound_clicks")),
                Arguments.of("bluesky", "at://did:plc:sandbox/app.bsky.feed.post/3k" + digits(), Map.of("likeCount", "likes",
                        "repostCount", "reposts", "replyCount", "replies", "quoteCount", "quotes")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("platforms")
    void aSyncStoresAPointWithTheSimulatorsCounts(String platform, String postId, Map<String, String> names) throws Exception {
        Instant createdAt = clock.instant().minus(Duration.ofHours(5)).minus(Duration.ofMinutes(30));
        MetricsStore.Due due = published(Workspaces.SANDBOX, platform, "acct-" + UUID.randomUUID(), postId, createdAt);

        sync.sync(due);

        Point point = onlyPoint(due.publicationId());
        Map<String, Long> expected = new LinkedHashMap<>();
        names.forEach((own, ours) -> expected.put(ours, SimulatedMetrics.count(postId, own, createdAt, point.at())));
        assertThat(point.counts()).isEqualTo(expected);
        assertThat(expected.values()).allMatch(c -> c >= 5, "five whole hours of growth");
        Row row = row(due.publicationId());
        assertThat(row.status()).isEqualTo("active");
        assertThat(row.failures()).isZero();
        assertThat(row.lastError()).isNull();
        assertThat(row.nextSyncAt()).isEqualTo(point.at().plus(Duration.ofHours(1)));

        // the API shows it: latest counts, the series, next sync
        JsonNode body = get("/api/v1/posts/" + due.postId() + "/metrics", 200);
        JsonNode publication = body.path("publications").path(0);
        assertThat(publication.path("platform").asString()).isEqualTo(platform);
        assertThat(json.convertValue(publication.path("latest"), COUNTS)).isEqualTo(expected);
        assertThat(publication.path("series")).hasSize(1);
        assertThat(publication.path("nextSyncAt").asString()).isNotEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("platforms")
    void a429BacksOffAndCountsTheFailureWithoutLosingThePublication(String platform, String postId, Map<String, String> names) throws Exception {
        MetricsStore.Due due = published(Workspaces.SANDBOX, platform, "acct-" + UUID.randomUUID(), postId, clock.instant().minus(Duration.ofHours(2)));
        setFaults("{\"platform\":\"" + platform + "\",\"rateLimitRate\":1.0,\"retryAfterSeconds\":120}");
        Instant before = clock.instant();

        sync.sync(due);

        Row row = row(due.publicationId());
        assertThat(row.status()).isEqualTo("active");
        assertThat(row.failures()).isEqualTo(1);
        assertThat(row.lastError()).isNotBlank();
        // the platform's own wait (120 s, in its own header) is honoured, and the backoff never exceeds its cap
        assertThat(row.nextSyncAt()).isAfterOrEqualTo(before.plusSeconds(119)).isBefore(before.plus(Duration.ofHours(6)).plusSeconds(5));
        assertThat(points(due.publicationId())).isEmpty();

        // once the platform answers again, the next sync stores a point and clears the failures (another account:
        // this one's reads are blocked until the platform's reset)
        clearFaults();
        sync.sync(new MetricsStore.Due(due.publicationId(), due.postId(), due.workspaceId(), platform, "acct-fresh-" + UUID.randomUUID(),
                postId, due.publishedAt(), 1));
        assertThat(points(due.publicationId())).hasSize(1);
        assertThat(row(due.publicationId()).failures()).isZero();
        assertThat(row(due.publicationId()).lastError()).isNull();
    }

    @Test
    void aSecondFailureBacksOffLongerThanTheFirst() throws Exception {
        MetricsStore.Due due = published(Workspaces.SANDBOX, "youtube", "acct-" + UUID.randomUUID(), "yt" + digits(), clock.instant().minus(Duration.ofHours(2)));
        setFaults("{\"platform\":\"youtube\",\"errorRate\":1.0}");
        Instant before = clock.instant();
        sync.sync(due);
        Row first = row(due.publicationId());
        sync.sync(new MetricsStore.Due(due.publicationId(), due.postId(), due.workspaceId(), "youtube", due.accountId(), due.platformPostId(),
                due.publishedAt(), first.failures()));
        Row second = row(due.publicationId());
        assertThat(first.failures()).isEqualTo(1);
        assertThat(second.failures()).isEqualTo(2);
        assertThat(second.lastError()).contains("503");
        // 1 min base: the first wait is 30-60 s, the second 60-120 s
        assertThat(first.nextSyncAt()).isBetween(before.plusSeconds(29), before.plusSeconds(62));
        assertThat(second.nextSyncAt()).isBetween(before.plusSeconds(59), before.plusSeconds(122));
    }

    @Test
    void aFailureBackoffGrowsExponentiallyWithJitterUpToItsCap() {
        MetricsSettings s = new MetricsSettings(true, Duration.ofMinutes(1), Duration.ofMinutes(5), Duration.ofHours(1), Duration.ofDays(30),
                Duration.ofMinutes(1), Duration.ofHours(6), 50, Duration.ofSeconds(30), new PlatformsSettings.Quota(1000, Duration.ofHours(1)),
                Map.of());
        MetricsSync fixed = new MetricsSync(store, List.of(), quotas, null, s, clock, new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
        fixed.fixJitter(1.0);
        assertThat(fixed.backoff(1, null)).isEqualTo(Duration.ofMinutes(1));
        assertThat(fixed.backoff(3, null)).isEqualTo(Duration.ofMinutes(4));
        assertThat(fixed.backoff(40, null)).isEqualTo(Duration.ofHours(6));
        assertThat(fixed.backoff(1, Duration.ofMinutes(30))).isEqualTo(Duration.ofMinutes(30));
        fixed.fixJitter(0.0);
        assertThat(fixed.backoff(3, null)).isEqualTo(Duration.ofMinutes(2));
    }

    @Test
    void anExhaustedReadQuotaDefersWithoutCallingThePlatform() throws Exception {
        String account = "acct-" + UUID.randomUUID();
        String postId = "19" + digits();
        MetricsStore.Due due = published(Workspaces.SANDBOX, "x", account, postId, clock.instant().minus(Duration.ofHours(2)));
        // every read token of the account, used
        PlatformsSettings.Quota quota = new PlatformsSettings.Quota(1000, Duration.ofHours(1));
        Optional<Instant> refill = Optional.empty();
        for (int i = 0; i <= 1000 && refill.isEmpty(); i++) {
            refill = quotas.take("x", account, quota);
        }
        assertThat(refill).isPresent();
        // an error on every call proves none was made: a call would count a failure
        setFaults("{\"platform\":\"x\",\"errorRate\":1.0}");

        sync.sync(due);

        Row row = row(due.publicationId());
        assertThat(row.failures()).isZero();
        assertThat(row.lastError()).isNull();
        assertThat(row.waitingReason()).contains("read quota");
        assertThat(row.nextSyncAt()).isAfter(clock.instant().plus(Duration.ofMinutes(30)));
        assertThat(points(due.publicationId())).isEmpty();
        // the publish bucket of the account was not touched by reads
        assertThat(jdbc.sql("SELECT count(*) FROM bucket WHERE id = :k").param("k", "quota:x:account:" + account).query(Long.class).single())
                .isZero();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("platforms")
    void aPostTheSimulatorDoesNotKnowEndsItsSyncAsGone(String platform, String postId, Map<String, String> names) {
        MetricsStore.Due due = published(Workspaces.SANDBOX, platform, "acct-" + UUID.randomUUID(), postId, clock.instant().minus(Duration.ofHours(1)));
        // asked for another id of the same shape, which the simulator never accepted (deleted)
        String unknown = postId.substring(0, postId.length() - 3) + "999";
        MetricsStore.Due deleted = new MetricsStore.Due(due.publicationId(), due.postId(), due.workspaceId(), platform, due.accountId(),
                unknown.equals(postId) ? unknown + "1" : unknown, due.publishedAt(), 0);

        sync.sync(deleted);

        Row row = row(due.publicationId());
        assertThat(row.status()).isEqualTo("gone");
        assertThat(row.nextSyncAt()).isNull();
        assertThat(row.lastError()).isNotBlank();
        assertThat(points(due.publicationId())).isEmpty();
    }

    @Test
    void thePostPageShowsTheLatestCountsPerPlatform() throws Exception {
        Instant createdAt = clock.instant().minus(Duration.ofHours(3)).minus(Duration.ofMinutes(30));
        String postId = "19" + digits();
        MetricsStore.Due due = published(Workspaces.SANDBOX, "x", "acct-" + UUID.randomUUID(), postId, createdAt);
        sync.sync(due);
        Point point = onlyPoint(due.publicationId());

        HttpResponse<String> page = send(TestApi.request(port, "/app/posts/" + due.postId()).GET());

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("id=\"metrics\"", "data-platform=\"x\"",
                ">" + point.counts().get("likes") + "</strong> <span>likes</span>",
                ">" + point.counts().get("impressions") + "</strong> <span>impressions</span>", "1 point<");
    }

    @Test
    void theLastSyncWithinTheMaxAgeStoresItsPointAndEndsTheSync() {
        String postId = "yt" + digits();
        MetricsStore.Due due = published(Workspaces.SANDBOX, "youtube", "acct-" + UUID.randomUUID(), postId,
                clock.instant().minus(Duration.ofDays(30)).plus(Duration.ofMinutes(30)));

        sync.sync(due);

        assertThat(points(due.publicationId())).hasSize(1);
        Row row = row(due.publicationId());
        assertThat(row.status()).isEqualTo("done");
        assertThat(row.nextSyncAt()).isNull();
    }

    @Test
    void aRunSyncsEveryDuePublicationOnce() {
        MetricsStore.Due first = published(Workspaces.SANDBOX, "pinterest", "acct-" + UUID.randomUUID(), "10" + digits(), clock.instant().minus(Duration.ofHours(2)));
        MetricsStore.Due second = published(Workspaces.SANDBOX, "bluesky", "acct-" + UUID.randomUUID(),
                "at://did:plc:sandbox/app.bsky.feed.post/3k" + digits(), clock.instant().minus(Duration.ofHours(2)));
        jdbc.sql("UPDATE metrics_sync SET next_sync_at = :now WHERE publication_id IN (:ids)")
                .param("now", Timestamp.from(clock.instant().minusSeconds(1))).param("ids", List.of(first.publicationId(), second.publicationId()))
                .update();

        // the recurring task may take them first: either way each is synced exactly once
        sync.run();

        await().atMost(Duration.ofSeconds(20)).until(() -> points(first.publicationId()).size() == 1 && points(second.publicationId()).size() == 1);
        sync.run();
        assertThat(points(first.publicationId())).hasSize(1);
        assertThat(points(second.publicationId())).hasSize(1);
        assertThat(row(first.publicationId()).nextSyncAt()).isAfter(clock.instant().plus(Duration.ofMinutes(50)));
    }

    @Test
    void aPublicationPastItsMaxAgeIsDoneWithoutACall() {
        MetricsStore.Due due = published(Workspaces.SANDBOX, "bluesky", "acct-" + UUID.randomUUID(),
                "at://did:plc:sandbox/app.bsky.feed.post/3k" + digits(), clock.instant().minus(Duration.ofDays(31)));

        sync.sync(due);

        assertThat(row(due.publicationId()).status()).isEqualTo("done");
        assertThat(points(due.publicationId())).isEmpty();
    }

    @Test
    void anotherWorkspacesPostIs404AndAnUnknownOneToo() throws Exception {
        MetricsStore.Due theirs = published(UUID.randomUUID(), "x", "acct-" + UUID.randomUUID(), "19" + digits(), clock.instant().minus(Duration.ofHours(2)));
        sync.sync(theirs);
        assertThat(points(theirs.publicationId())).hasSize(1);

        JsonNode problem = get("/api/v1/posts/" + theirs.postId() + "/metrics", 404);
        assertThat(problem.path("status").asInt()).isEqualTo(404);
        assertThat(problem.toString()).doesNotContain(theirs.publicationId().toString());
        get("/api/v1/posts/" + UUID.randomUUID() + "/metrics", 404);
        assertThat(get("/api/v1/posts/not-a-uuid/metrics", 400).path("status").asInt()).isEqualTo(400);
    }

    @Test
    void everyPublicationIsListedAndThoseNotSyncedSayWhy() throws Exception {
        // due tomorrow: pending; 290 characters are too many for X (280), so X refuses it before any call: nothing to sync
        String tomorrow = java.time.LocalDateTime.ofInstant(clock.instant().plus(Duration.ofDays(1)), java.time.ZoneOffset.UTC)
                .withNano(0).toString();
        UUID later = created("{\"text\":\"metrics later\",\"publishAt\":\"" + tomorrow + "\",\"timezone\":\"UTC\","
                + "\"targets\":[{\"platform\":\"bluesky\"}]}");
        UUID refused = created("{\"text\":\"" + "m".repeat(290) + "\",\"targets\":[{\"platform\":\"x\"}]}");
        await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.sql("SELECT state FROM publications WHERE post_id = :p")
                .param("p", refused).query(String.class).single().equals("FAILED"));

        JsonNode pending = get("/api/v1/posts/" + later + "/metrics", 200).path("publications");
        assertThat(pending).hasSize(1);
        assertThat(pending.path(0).path("platform").asString()).isEqualTo("bluesky");
        assertThat(pending.path(0).path("status").asString()).isEqualTo("pending");
        assertThat(pending.path(0).path("latest").isEmpty()).isTrue();
        assertThat(pending.path(0).path("series").isEmpty()).isTrue();
        assertThat(pending.path(0).path("publishedAt").isNull()).isTrue();
        JsonNode ended = get("/api/v1/posts/" + refused + "/metrics", 200).path("publications");
        assertThat(ended).hasSize(1);
        assertThat(ended.path(0).path("status").asString()).isEqualTo("not_published");
    }

    private UUID created(String body) throws Exception {
        HttpResponse<String> response = send(TestApi.request(port, "/api/v1/posts").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return UUID.fromString(json.readTree(response.body()).path("id").asString());
    }

    @Test
    void aPublishedPostIsFoundInHistoryAndDueAfterTheFirstDelay() throws Exception {
        HttpResponse<String> created = send(TestApi.request(port, "/api/v1/posts").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"text\":\"metrics discovery " + UUID.randomUUID() + "\",\"targets\":[{\"platform\":\"bluesky\"}]}")));
        assertThat(created.statusCode()).isEqualTo(201);
        UUID postId = UUID.fromString(json.readTree(created.body()).path("id").asString());
        await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.sql("SELECT count(*) FROM publications WHERE post_id = :p AND state = 'PUBLISHED'")
                .param("p", postId).query(Long.class).single() == 1);

        await().atMost(Duration.ofSeconds(30)).until(() -> {
            store.discover(java.util.Set.of("x", "instagram", "youtube", "tiktok", "pinterest", "bluesky"), Duration.ofMinutes(5));
            return jdbc.sql("SELECT count(*) FROM metrics_sync WHERE post_id = :p").param("p", postId).query(Long.class).single() == 1;
        });
        Row row = jdbc.sql("SELECT publication_id, status, failures, last_error, next_sync_at, waiting_reason, published_at FROM metrics_sync WHERE post_id = :p")
                .param("p", postId).query((rs, n) -> new Row(rs.getString(2), rs.getInt(3), rs.getString(4),
                        rs.getTimestamp(5).toInstant(), rs.getString(6))).single();
        Instant publishedAt = jdbc.sql("SELECT published_at FROM metrics_sync WHERE post_id = :p").param("p", postId)
                .query((rs, n) -> rs.getTimestamp(1).toInstant()).single();
        assertThat(row.status()).isEqualTo("active");
        assertThat(row.nextSyncAt()).isEqualTo(publishedAt.plus(Duration.ofMinutes(5)));
        String platformPostId = jdbc.sql("SELECT platform_post_id FROM metrics_sync WHERE post_id = :p").param("p", postId).query(String.class).single();
        assertThat(platformPostId).startsWith("at://");

        // synced by hand now: the simulator knows the post it accepted
        UUID publicationId = jdbc.sql("SELECT publication_id FROM metrics_sync WHERE post_id = :p").param("p", postId).query(UUID.class).single();
        sync.sync(new MetricsStore.Due(publicationId, postId, Workspaces.SANDBOX, "bluesky", "sandbox-bluesky", platformPostId, publishedAt, 0));
        JsonNode latest = get("/api/v1/posts/" + postId + "/metrics", 200).path("publications").path(0).path("latest");
        assertThat(latest.path("likes").isNumber()).isTrue();
        assertThat(latest.path("reposts").isNumber()).isTrue();
    }

    // --- fixtures

    record Point(Instant at, Map<String, Long> counts) {
    }

    record Row(String status, int failures, String lastError, Instant nextSyncAt, String waitingReason) {
    }

    /**
     * A post the platform's simulator accepted at {@code createdAt}, its published publication, and its sync row,
     * due in a day (so only the test syncs it).
     */
    private MetricsStore.Due published(UUID workspace, String platform, String account, String postId, Instant createdAt) {
        simulators.record(new RecordedPost(platform, postId, "https://example.com/" + platform, account, "metrics test", null, null, createdAt));
        UUID post = UUID.randomUUID();
        UUID publication = UUID.randomUUID();
        Timestamp at = Timestamp.from(createdAt);
        jdbc.sql("INSERT INTO posts (id, workspace_id, text, priority, created_at, settled_at) VALUES (:id, :ws, 'metrics test', 'NOW', :at, :at)")
                .param("id", post).param("ws", workspace).param("at", at).update();
        jdbc.sql("""
                        INSERT INTO publications (id, post_id, workspace_id, platform, account_id, idempotency_key, state, platform_post_id,
                          created_at, updated_at)
                        VALUES (:id, :post, :ws, :platform, :account, :key, 'PUBLISHED', :ppid, :at, :at)""")
                .param("id", publication).param("post", post).param("ws", workspace).param("platform", platform).param("account", account)
                .param("key", "metrics-" + publication).param("ppid", postId).param("at", at).update();
        jdbc.sql("""
                        INSERT INTO metrics_sync (publication_id, post_id, workspace_id, platform, account_id, platform_post_id, published_at, next_sync_at)
                        VALUES (:id, :post, :ws, :platform, :account, :ppid, :at, :next)""")
                .param("id", publication).param("post", post).param("ws", workspace).param("platform", platform).param("account", account)
                .param("ppid", postId).param("at", at).param("next", Timestamp.from(clock.instant().plus(Duration.ofDays(1)))).update();
        return new MetricsStore.Due(publication, post, workspace, platform, account, postId, createdAt, 0);
    }

    private Row row(UUID publication) {
        return jdbc.sql("SELECT status, failures, last_error, next_sync_at, waiting_reason FROM metrics_sync WHERE publication_id = :id")
                .param("id", publication)
                .query((rs, n) -> new Row(rs.getString(1), rs.getInt(2), rs.getString(3),
                        rs.getTimestamp(4) == null ? null : rs.getTimestamp(4).toInstant(), rs.getString(5)))
                .single();
    }

    private List<Point> points(UUID publication) {
        return jdbc.sql("SELECT at, metrics::text FROM post_metrics WHERE publication_id = :id ORDER BY at").param("id", publication)
                .query((rs, n) -> new Point(rs.getTimestamp(1).toInstant(), json.readValue(rs.getString(2), COUNTS))).list();
    }

    private Point onlyPoint(UUID publication) {
        List<Point> points = points(publication);
        assertThat(points).hasSize(1);
        return points.getFirst();
    }

    private void setFaults(String config) throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(TestApi.uri(port, "/sandbox/faults")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(config)));
        assertThat(response.statusCode()).isEqualTo(200);
    }

    private JsonNode get(String path, int status) throws Exception {
        HttpResponse<String> response = send(TestApi.request(port, path).GET());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        return json.readTree(response.body());
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String digits() {
        return Long.toString(Math.abs(UUID.randomUUID().getMostSignificantBits() % 1_000_000_000_000L));
    }
}
