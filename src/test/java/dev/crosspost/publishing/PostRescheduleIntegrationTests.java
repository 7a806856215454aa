package dev.crosspost.publishing;

import dev.crosspost.support.CrosspostIntegrationTest;
import dev.crosspost.support.TestApi;
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
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@code PATCH /api/v1/posts/{id}}: moving a scheduled post moves its publications and their jobs, and nothing else. */
@CrosspostIntegrationTest
@ActiveProfiles("sandbox-e2e")
class PostRescheduleIntegrationTests {

    @LocalServerPort int port;
    @Autowired JdbcClient jdbc;
    @Autowired Posts posts;
    private final HttpClient http = HttpClient.newHttpClient();
    private final JsonMapper json = JsonMapper.builder().build();

    private HttpResponse<String> call(String method, String path, String body) throws Exception {
        var request = TestApi.request(port, path).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode ok(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        return json.readTree(response.body());
    }

    private JsonNode scheduledPost(LocalDateTime at, String zone) throws Exception {
        return ok(call("POST", "/api/v1/posts", "{\"text\":\"to be moved\",\"targets\":[{\"platform\":\"acme\"},{\"platform\":\"globex\"}],"
                + "\"publishAt\":\"" + at + "\",\"timezone\":\"" + zone + "\"}"), 201);
    }

    private static String move(LocalDateTime at, String zone) {
        return "{\"publishAt\":\"" + at + "\",\"timezone\":\"" + zone + "\"}";
    }

    @Test
    void movesEveryScheduledPublicationAndItsJob() throws Exception {
        LocalDateTime tomorrow = LocalDateTime.now(ZoneId.of("Europe/Berlin")).plusDays(1).truncatedTo(ChronoUnit.MINUTES);
        String id = scheduledPost(tomorrow, "Europe/Berlin").get("id").asString();
        LocalDateTime later = LocalDateTime.now(ZoneId.of("Asia/Tokyo")).plusDays(2).withHour(10).truncatedTo(ChronoUnit.HOURS);
        Instant expected = later.atZone(ZoneId.of("Asia/Tokyo")).toInstant();

        JsonNode moved = ok(call("PATCH", "/api/v1/posts/" + id, move(later, "Asia/Tokyo")), 200);

        assertThat(Instant.parse(moved.get("publishAt").asString())).isEqualTo(expected);
        assertThat(moved.get("timezone").asString()).isEqualTo("Asia/Tokyo");
        assertThat(moved.get("localTime").asString()).isEqualTo(later.toString());
        assertThat(moved.get("publications").valueStream()).hasSize(2).allSatisfy(p -> {
            assertThat(p.get("state").asString()).isEqualTo("scheduled");
            assertThat(Instant.parse(p.get("nextAttemptAt").asString())).isEqualTo(expected);
            assertThat(jdbc.sql("SELECT execution_time FROM scheduled_tasks WHERE task_instance = :id").param("id", p.get("id").asString())
                    .query((rs, n) -> rs.getTimestamp(1).toInstant()).single()).isEqualTo(expected);
        });
        String publication = moved.get("publications").get(0).get("id").asString();
        JsonNode detail = ok(call("GET", "/api/v1/publications/" + publication, null), 200);
        assertThat(detail.get("history").valueStream().map(h -> h.get("outcome").asString())).contains("rescheduled");
    }

    @Test
    void aPostMovedToSoonPublishesThen() throws Exception {
        String id = scheduledPost(LocalDateTime.now(ZoneId.of("UTC")).plusDays(3).truncatedTo(ChronoUnit.SECONDS), "UTC").get("id").asString();
        LocalDateTime soon = LocalDateTime.now(ZoneId.of("UTC")).plusSeconds(2).truncatedTo(ChronoUnit.SECONDS);

        ok(call("PATCH", "/api/v1/posts/" + id, move(soon, "UTC")), 200);

        await().atMost(Duration.ofSeconds(30)).until(() -> json.readTree(call("GET", "/api/v1/posts/" + id, null).body())
                .get("summary").get("outcome").asString(), "published"::equals);
    }

    @Test
    void onlyFutureTimesInARealZoneAreAccepted() throws Exception {
        String id = scheduledPost(LocalDateTime.now().plusDays(1).truncatedTo(ChronoUnit.MINUTES), "UTC").get("id").asString();

        JsonNode past = ok(call("PATCH", "/api/v1/posts/" + id, move(LocalDateTime.now(ZoneId.of("UTC")).minusHours(1), "UTC")), 400);
        assertThat(past.get("errors").get(0).get("field").asString()).isEqualTo("publishAt");

        JsonNode noZone = ok(call("PATCH", "/api/v1/posts/" + id, "{\"publishAt\":\"2031-01-01T09:00\"}"), 400);
        assertThat(noZone.get("errors").valueStream().map(e -> e.get("field").asString())).contains("timezone");

        JsonNode badZone = ok(call("PATCH", "/api/v1/posts/" + id, move(LocalDateTime.of(2031, 1, 1, 9, 0), "Mars/Olympus")), 400);
        assertThat(badZone.get("detail").asString()).contains("Mars/Olympus");
    }

    @Test
    void aPostAlreadyUnderWayCannotMove() throws Exception {
        JsonNode now = ok(call("POST", "/api/v1/posts", "{\"text\":\"right now\",\"targets\":[{\"platform\":\"acme\"}]}"), 201);

        JsonNode conflict = ok(call("PATCH", "/api/v1/posts/" + now.get("id").asString(), move(LocalDateTime.of(2031, 1, 1, 9, 0), "UTC")), 409);

        assertThat(conflict.get("code").asString()).isEqualTo("not_scheduled");
    }

    @Test
    void anotherWorkspacesPostReadsAsNotFound() throws Exception {
        LocalSchedule at = LocalSchedule.resolve(LocalDateTime.of(2031, 1, 1, 9, 0), ZoneId.of("UTC"));
        UUID otherWorkspace = UUID.randomUUID();
        PostView theirs = posts.create(new NewPost(otherWorkspace, null, "not yours", List.of(),
                List.of(new NewPost.Target("acme", "acct-acme")), at, Priority.SCHEDULED));

        ok(call("PATCH", "/api/v1/posts/" + theirs.id(), move(LocalDateTime.of(2032, 1, 1, 9, 0), "UTC")), 404);
        ok(call("PATCH", "/api/v1/posts/" + UUID.randomUUID(), move(LocalDateTime.of(2032, 1, 1, 9, 0), "UTC")), 404);

        assertThat(posts.find(otherWorkspace, theirs.id()).orElseThrow().publishAt()).isEqualTo(at.instant());
    }
}
