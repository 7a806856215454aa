package dev.crosspost.system;

import dev.crosspost.support.TestApi;
import dev.crosspost.support.CrosspostIntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** Idempotency-Key on API writes: replay, conflict, concurrency, expiry, and refusals that are not kept. */
@CrosspostIntegrationTest
class IdempotencyKeyIntegrationTests {

    @LocalServerPort int port;
    @Autowired JdbcClient jdbc;
    private final HttpClient http = HttpClient.newHttpClient();
    private final JsonMapper json = JsonMapper.builder().build();

    private HttpResponse<String> create(String key, String text) throws Exception {
        var builder = TestApi.request(port, "/api/v1/posts")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"text\":\"" + text + "\",\"targets\":[{\"platform\":\"bluesky\"}]}"));
        if (key != null) {
            builder.header("Idempotency-Key", key);
        }
        return http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
    }

    private long posts(String text) {
        return jdbc.sql("SELECT count(*) FROM posts WHERE text = :t").param("t", text).query(Long.class).single();
    }

    @Test
    void aRetryWithTheSameKeyAndBodyGetsTheStoredResponseAndCreatesNothing() throws Exception {
        String key = "order-" + UUID.randomUUID();
        var first = create(key, "idempotent once");
        var second = create(key, "idempotent once");

        assertThat(first.statusCode()).isEqualTo(201);
        assertThat(second.statusCode()).isEqualTo(201);
        assertThat(second.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(json.readTree(second.body()).get("id")).isEqualTo(json.readTree(first.body()).get("id"));
        assertThat(posts("idempotent once")).isEqualTo(1);
    }

    @Test
    void theSameKeyWithAnotherBodyIs422() throws Exception {
        String key = "order-" + UUID.randomUUID();
        assertThat(create(key, "first body").statusCode()).isEqualTo(201);

        var reused = create(key, "second body");

        assertThat(reused.statusCode()).isEqualTo(422);
        JsonNode problem = json.readTree(reused.body());
        assertThat(problem.get("code").asString()).isEqualTo("idempotency_key_reused");
        assertThat(problem.get("requestId").asString()).isNotBlank();
        assertThat(posts("second body")).isZero();
    }

    @Test
    void concurrentRetriesCreateOnePost() throws Exception {
        String key = "burst-" + UUID.randomUUID();
        try (var pool = Executors.newFixedThreadPool(8)) {
            var statuses = IntStream.range(0, 8).mapToObj(i -> pool.submit(() -> create(key, "concurrent idempotent").statusCode()))
                    .toList().stream().map(f -> {
                        try {
                            return f.get();
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    }).toList();
            assertThat(statuses).containsOnly(201);
        }
        assertThat(posts("concurrent idempotent")).isEqualTo(1);
    }

    @Test
    void keysExpireAfterADay() throws Exception {
        String key = "old-" + UUID.randomUUID();
        assertThat(create(key, "expiring key").statusCode()).isEqualTo(201);
        jdbc.sql("UPDATE idempotency_keys SET expires_at = now() - interval '1 second' WHERE key = :k").param("k", key).update();

        var again = create(key, "expiring key");

        assertThat(again.statusCode()).isEqualTo(201);
        assertThat(again.headers().firstValue("Idempotent-Replayed")).isEmpty();
        assertThat(posts("expiring key")).isEqualTo(2);
        assertThat(jdbc.sql("SELECT expires_at > now() + interval '23 hours' FROM idempotency_keys WHERE key = :k").param("k", key)
                .query(Boolean.class).single()).isTrue();
    }

    @Test
    void refusalsThatRollBackAreNotKeptAndBadKeysAreRefused() throws Exception {
        String key = "refused-" + UUID.randomUUID();
        var body = "{\"text\":\"to nowhere\",\"targets\":[{\"platform\":\"myspace\"}]}";
        for (int i = 0; i < 2; i++) {
            var response = http.send(TestApi.request(port, "/api/v1/posts")
                    .header("Content-Type", "application/json").header("Idempotency-Key", key)
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(400);
            assertThat(json.readTree(response.body()).get("code").asString()).isEqualTo("unknown_platform");
        }
        assertThat(jdbc.sql("SELECT count(*) FROM idempotency_keys WHERE key = :k").param("k", key).query(Long.class).single()).isZero();

        var bad = create("has space", "bad key");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(json.readTree(bad.body()).get("code").asString()).isEqualTo("invalid_idempotency_key");
        assertThat(create(null, "no key at all").statusCode()).isEqualTo(201);
    }
}
