package dev.crosspost.publishing;

import dev.crosspost.support.TestApi;
import dev.crosspost.support.CrosspostIntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The posts, publications and dead-letter API over HTTP: validation, scheduling, paging, 404s, metrics. */
@CrosspostIntegrationTest
@ActiveProfiles("sandbox-e2e")
@org.junit.jupiter.api.extension.ExtendWith(org.springframework.boot.test.system.OutputCaptureExtension.class)
class PostApiIntegrationTests {

    @LocalServerPort int port;
    @Autowired JdbcClient jdbc;
    private final HttpClient http = HttpClient.newHttpClient();
    private final JsonMapper json = JsonMapper.builder().build();

    private HttpResponse<String> call(String method, String path, String body) throws Exception {
        var builder = TestApi.request(port, path).header("Content-Type", "application/json");
        builder = body == null ? builder.method(method, HttpRequest.BodyPublishers.noBody()) : builder.method(method, HttpRequest.BodyPublishers.ofString(body));
        return http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode ok(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        return json.readTree(response.body());
    }

    @Test
    void invalidPostsGetFieldErrors() throws Exception {
        JsonNode problem = ok(call("POST", "/api/v1/posts", "{\"text\":\"\",\"targets\":[{\"platform\":\"X!\"}]}"), 400);
        assertThat(problem.get("code").asString()).isEqualTo("validation_failed");
        assertThat(problem.get("errors").valueStream().map(e -> e.get("field").asString()))
                .contains("text", "targets[0].platform");

        JsonNode unknown = ok(call("POST", "/api/v1/posts", "{\"text\":\"hi\",\"targets\":[{\"platform\":\"myspace\"}]}"), 400);
        assertThat(unknown.get("code").asString()).isEqualTo("unknown_platform");
        assertThat(unknown.get("detail").asString()).contains("myspace", "bluesky");

        JsonNode zone = ok(call("POST", "/api/v1/posts", "{\"text\":\"hi\",\"targets\":[{\"platform\":\"x\"}],\"publishAt\":\"2030-01-01T09:00\",\"timezone\":\"Mars/Olympus\"}"), 400);
        assertThat(zone.get("detail").asString()).contains("Mars/Olympus", "IANA");
        // the same shape as the bean validation above: one title, and the error by field
        assertThat(zone.get("title").asString()).isEqualTo(problem.get("title").asString()).isEqualTo("Validation failed");
        assertThat(zone.get("errors").get(0).get("field").asString()).isEqualTo("timezone");
    }

    @Test
    void aPublishTimeInThePastIsRefusedAndNothingIsCreated() throws Exception {
        long before = jdbc.sql("SELECT count(*) FROM posts").query(Long.class).single();
        JsonNode past = ok(call("POST", "/api/v1/posts", "{\"text\":\"typo year\",\"targets\":[{\"platform\":\"x\"}],"
                + "\"publishAt\":\"2020-12-01T09:00\",\"timezone\":\"Europe/Berlin\"}"), 400);
        assertThat(past.get("errors").get(0).get("field").asString()).isEqualTo("publishAt");
        assertThat(past.get("detail").asString()).contains("2020-12-01T09:00", "Europe/Berlin", "in the past", "omit publishAt");
        assertThat(jdbc.sql("SELECT count(*) FROM posts").query(Long.class).single()).isEqualTo(before);

        // a moment ago (a time picker's current minute) still means now
        LocalDateTime thisMinute = LocalDateTime.now(ZoneId.of("UTC")).minusSeconds(20).truncatedTo(ChronoUnit.SECONDS);
        JsonNode now = ok(call("POST", "/api/v1/posts", "{\"text\":\"this minute\",\"targets\":[{\"platform\":\"x\"}],"
                + "\"publishAt\":\"" + thisMinute + "\",\"timezone\":\"UTC\"}"), 201);
        assertThat(now.get("publications").get(0).get("state").asString()).isEqualTo("queued");
    }

    @Test
    void aScheduledPostWaitsInItsZoneThenPublishes() throws Exception {
        ZoneId tokyo = ZoneId.of("Asia/Tokyo");
        LocalDateTime soon = LocalDateTime.now(tokyo).plusSeconds(3).truncatedTo(ChronoUnit.SECONDS);
        JsonNode post = ok(call("POST", "/api/v1/posts", "{\"text\":\"scheduled in tokyo\",\"targets\":[{\"platform\":\"bluesky\"}],"
                + "\"publishAt\":\"" + soon + "\",\"timezone\":\"Asia/Tokyo\"}"), 201);

        JsonNode pub = post.get("publications").get(0);
        assertThat(pub.get("state").asString()).isEqualTo("scheduled");
        Instant expected = soon.atZone(tokyo).toInstant();
        assertThat(Instant.parse(post.get("publishAt").asString())).isEqualTo(expected);
        assertThat(Instant.parse(pub.get("nextAttemptAt").asString())).isEqualTo(expected);
        assertThat(jdbc.sql("SELECT priority FROM scheduled_tasks WHERE task_instance = :id").param("id", pub.get("id").asString())
                .query(Integer.class).single()).isEqualTo(Priority.SCHEDULED.schedulerPriority());

        String id = post.get("id").asString();
        await().atMost(Duration.ofSeconds(20)).until(() -> json.readTree(call("GET", "/api/v1/posts/" + id, null).body())
                .get("summary").get("outcome").asString().equals("published"));
        JsonNode done = json.readTree(call("GET", "/api/v1/posts/" + id, null).body()).get("publications").get(0);
        assertThat(Instant.parse(done.get("updatedAt").asString())).isAfterOrEqualTo(expected);
        assertThat(done.get("platformUrl").asString()).startsWith("https://bsky.app/profile/sandbox-bluesky/post/");
    }

    @Test
    void postsPageByCursorWithoutGapsOrRepeats() throws Exception {
        for (int i = 0; i < 7; i++) {
            ok(call("POST", "/api/v1/posts", "{\"text\":\"paging " + i + "\",\"targets\":[{\"platform\":\"bluesky\"}]}"), 201);
        }
        Set<String> seen = new HashSet<>();
        String cursor = null;
        int pages = 0;
        do {
            JsonNode page = ok(call("GET", "/api/v1/posts?limit=3" + (cursor == null ? "" : "&cursor=" + cursor), null), 200);
            page.get("data").forEach(p -> assertThat(seen.add(p.get("id").asString())).as("repeat").isTrue());
            cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asString();
            pages++;
        } while (cursor != null && pages < 50);
        long total = jdbc.sql("SELECT count(*) FROM posts WHERE workspace_id = :ws").param("ws", dev.crosspost.system.Workspaces.SANDBOX)
                .query(Long.class).single();
        assertThat(seen).hasSize((int) total);

        JsonNode bad = ok(call("GET", "/api/v1/posts?cursor=not-a-cursor", null), 400);
        assertThat(bad.get("code").asString()).isEqualTo("invalid_cursor");
        assertThat(ok(call("GET", "/api/v1/posts?limit=1000", null), 400).get("code").asString()).isEqualTo("validation_failed");
    }

    @Test
    void aListedPostReadsTheSameAsItsDetail() throws Exception {
        // one publication lands, one fails (290 characters fit Bluesky's 300, not X's 280): the list's leaner query must
        // show both exactly as the detail does
        String id = ok(call("POST", "/api/v1/posts",
                "{\"text\":\"" + "a".repeat(290) + "\",\"targets\":[{\"platform\":\"bluesky\"},{\"platform\":\"x\"}]}"), 201)
                .get("id").asString();
        await().atMost(Duration.ofSeconds(20)).until(() -> json.readTree(call("GET", "/api/v1/posts/" + id, null).body())
                .get("summary").get("settled").asBoolean());
        JsonNode detail = ok(call("GET", "/api/v1/posts/" + id, null), 200);
        JsonNode listed = null;
        for (JsonNode p : ok(call("GET", "/api/v1/posts?limit=100", null), 200).get("data")) {
            if (p.get("id").asString().equals(id)) {
                listed = p;
            }
        }
        assertThat(listed).isNotNull();
        assertThat(listed).isEqualTo(detail);
        assertThat(detail.get("summary").get("outcome").asString()).isEqualTo("partially_published");
        assertThat(detail.get("publications").findValues("error").stream().filter(e -> !e.isNull()).toList()).hasSize(1);
    }

    @Test
    void publicationJobsLogUnderTheRequestThatCreatedThem(org.springframework.boot.test.system.CapturedOutput output) throws Exception {
        var response = http.send(TestApi.request(port, "/api/v1/posts")
                .header("Content-Type", "application/json").header("X-Request-Id", "req-job-trace-7")
                .POST(HttpRequest.BodyPublishers.ofString("{\"text\":\"traced\",\"targets\":[{\"platform\":\"x\",\"account\":\"deleted-user\"}]}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        String pubId = ok(response, 201).get("publications").get(0).get("id").asString();
        await().atMost(Duration.ofSeconds(20)).until(() -> output.getOut().contains("Publication " + pubId + " to x is published"));
        String line = output.getOut().lines().filter(l -> l.contains("Publication " + pubId + " to x is published")).findFirst().orElseThrow();
        assertThat(line).contains("\"requestId\":\"req-job-trace-7\"", "\"publicationId\":\"" + pubId + "\"");
    }

    @Test
    void unknownIdsAre404ProblemsEverywhere() throws Exception {
        String id = UUID.randomUUID().toString();
        for (String path : new String[] {"/api/v1/posts/" + id, "/api/v1/publications/" + id, "/api/v1/dead-letters/" + id}) {
            assertThat(ok(call("GET", path, null), 404).get("code").asString()).as(path).isEqualTo("not_found");
        }
        assertThat(ok(call("POST", "/api/v1/dead-letters/" + id + "/replay", null), 404).get("code").asString()).isEqualTo("not_found");
        assertThat(ok(call("DELETE", "/api/v1/dead-letters/" + id, null), 404).get("code").asString()).isEqualTo("not_found");
        assertThat(ok(call("GET", "/api/v1/posts/not-a-uuid", null), 400).get("code").asString()).isEqualTo("validation_failed");
    }

    @Test
    void statsListEveryStateAndMetricsCountThem() throws Exception {
        JsonNode post = ok(call("POST", "/api/v1/posts", "{\"text\":\"counted\",\"targets\":[{\"platform\":\"acme\"}]}"), 201);
        String id = post.get("id").asString();
        await().atMost(Duration.ofSeconds(20)).until(() -> json.readTree(call("GET", "/api/v1/posts/" + id, null).body())
                .get("summary").get("settled").asBoolean());

        JsonNode stats = ok(call("GET", "/api/v1/publications/stats", null), 200);
        assertThat(stats.propertyNames()).containsExactlyInAnyOrder("scheduled", "queued", "running", "retry_wait", "waiting_quota",
                "waiting_breaker", "outcome_unknown", "reconciling", "needs_reconnect", "published", "failed", "dead", "cancelled");
        assertThat(stats.get("published").asLong()).isPositive();

        JsonNode detail = ok(call("GET", "/api/v1/publications/" + post.get("publications").get(0).get("id").asString(), null), 200);
        assertThat(detail.get("history").valueStream().map(h -> h.get("to").asString())).containsSubsequence("queued", "running", "published");

        String metrics = call("GET", "/actuator/prometheus", null).body();
        assertThat(metrics).contains("crosspost_publications{", "state=\"published\"", "crosspost_step_duration_seconds_bucket",
                "crosspost_step_outcomes_total", "crosspost_breaker_state", "crosspost_publication_transitions_total");
        JsonNode health = json.readTree(call("GET", "/actuator/health", null).body());
        assertThat(health.get("components").get("breakers").get("details").get("pinterest").asString()).isEqualTo("closed");
    }
}
