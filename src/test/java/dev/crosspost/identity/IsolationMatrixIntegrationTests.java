package dev.crosspost.identity;

import dev.crosspost.support.CrosspostIntegrationTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * User B gets 404 (not 403) for every id of user A on every endpoint, and never sees A's rows in a list. Each
 * endpoint is one row of {@link #MATRIX}: add a row when an endpoint with an id is added.
 */
@CrosspostIntegrationTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IsolationMatrixIntegrationTests {

    /** An endpoint with placeholders such as {post}; {@code ownerSees} is what A gets (0: not checked, e.g. side effects). */
    record Row(String method, String template, int ownerSees, String body) {
        static Row get(String template) {
            return new Row("GET", template, 200, "");
        }

        static Row write(String method, String template) {
            return new Row(method, template, 0, "");
        }
    }

    static final List<Row> MATRIX = List.of(
            Row.get("/api/v1/posts/{post}"),
            Row.get("/api/v1/posts/{post}/events"),
            Row.get("/api/v1/posts/{post}/metrics"),
            Row.get("/api/v1/publications/{publication}"),
            Row.get("/api/v1/dead-letters/{deadLetter}"),
            Row.write("POST", "/api/v1/dead-letters/{deadLetter}/replay"),
            Row.write("DELETE", "/api/v1/dead-letters/{deadLetter}"),
            new Row("POST", "/api/v1/dead-letters/replay", 0, "{\"ids\":[\"{deadLetter}\"]}"),
            Row.get("/api/v1/accounts/{account}"),
            Row.write("POST", "/api/v1/accounts/{account}/reconnect"),
            Row.write("DELETE", "/api/v1/accounts/{account}"),
            Row.get("/api/v1/webhooks/{webhook}/deliveries"),
            Row.write("POST", "/api/v1/webhooks/{webhook}/deliveries/{randomLong}/retry"),
            Row.write("DELETE", "/api/v1/webhooks/{webhook}"),
            Row.get("/api/v1/campaigns/{campaign}/events"),
            Row.get("/api/v1/api-keys/{apiKey}"),
            Row.write("DELETE", "/api/v1/api-keys/{apiKey}"));

    /** Lists that must not show A's rows to B: path and the id they would show. */
    static final Map<String, String> LISTS = Map.of(
            "/api/v1/posts?limit=100", "post",
            "/api/v1/dead-letters?limit=100", "deadLetter",
            "/api/v1/accounts", "account",
            "/api/v1/webhooks", "webhook",
            "/api/v1/api-keys", "apiKey");

    @LocalServerPort int port;
    @Autowired JdbcClient jdbc;
    IdentityClient client;
    IdentityClient.User a;
    IdentityClient.User b;
    final Map<String, String> ids = new HashMap<>();

    @BeforeAll
    void aOwnsOneOfEverything() {
        client = new IdentityClient(port);
        a = client.register();
        b = client.register();
        JsonNode post = ok(client.postJson("/api/v1/posts", "{\"text\":\"a's post\",\"targets\":[{\"platform\":\"bluesky\"}],"
                + "\"publishAt\":\"2099-01-01T09:00\",\"timezone\":\"UTC\"}", a.bearer()), 201);
        ids.put("post", post.get("id").asString());
        ids.put("publication", post.get("publications").get(0).get("id").asString());
        JsonNode dead = ok(client.postJson("/api/v1/posts", "{\"text\":\"a's dead letter\",\"targets\":[{\"platform\":\"bluesky\"}],"
                + "\"publishAt\":\"2099-01-01T09:00\",\"timezone\":\"UTC\"}", a.bearer()), 201);
        String deadId = dead.get("publications").get(0).get("id").asString();
        jdbc.sql("UPDATE publications SET state = 'DEAD', dead_reason = 'exhausted' WHERE id = CAST(:id AS uuid)").param("id", deadId).update();
        ids.put("deadLetter", deadId);
        UUID campaign = UUID.randomUUID();
        jdbc.sql("UPDATE posts SET campaign_id = :c WHERE id = CAST(:id AS uuid)").param("c", campaign).param("id", ids.get("post")).update();
        ids.put("campaign", campaign.toString());
        ids.put("account", ok(client.postJson("/api/v1/accounts/bluesky",
                "{\"identifier\":\"a-" + UUID.randomUUID() + ".example.com\",\"appPassword\":\"abcd-efgh-ijkl-mnop\"}", a.bearer()), 201).get("id").asString());
        ids.put("webhook", ok(client.postJson("/api/v1/webhooks", "{\"url\":\"http://127.0.0.1:9/hook\",\"events\":[\"publication.published\"]}",
                a.bearer()), 201).get("id").asString());
        ids.put("apiKey", ok(client.postJson("/api/v1/api-keys", "{\"name\":\"a's key\",\"scopes\":[\"read\"]}", a.bearer()), 201)
                .get("apiKey").get("id").asString());
        ids.put("randomLong", "987654321");
    }

    @Test
    void everyEndpointAnswers404ToAnotherWorkspaceAndTheOwnerStillSeesIt() throws Exception {
        for (Row row : MATRIX) {
            HttpResponse<String> asB = call(row, b);
            assertThat(asB.statusCode()).as("B: %s %s -> %s", row.method(), row.template(), asB.body()).isEqualTo(404);
            assertThat(client.body(asB).get("code").asString()).isEqualTo("not_found");
        }
        for (Row row : MATRIX) {
            if (row.ownerSees() != 0) {
                assertThat(status(row, a)).as("A: %s %s", row.method(), row.template()).isEqualTo(row.ownerSees());
            }
        }
        // B's writes changed nothing of A's
        assertThat(jdbc.sql("SELECT state FROM publications WHERE id = CAST(:id AS uuid)").param("id", ids.get("deadLetter"))
                .query(String.class).single()).isEqualTo("DEAD");
        assertThat(ok(client.get("/api/v1/accounts/" + ids.get("account"), a.bearer()), 200).get("status").asString()).isEqualTo("connected");
        assertThat(client.get("/api/v1/webhooks/" + ids.get("webhook") + "/deliveries", a.bearer()).statusCode()).isEqualTo(200);
    }

    @Test
    void listsShowOnlyTheCallersOwnRows() {
        LISTS.forEach((path, key) -> {
            HttpResponse<String> asB = client.get(path, b.bearer());
            assertThat(asB.statusCode()).as(path).isEqualTo(200);
            assertThat(asB.body()).as(path).doesNotContain(ids.get(key));
            assertThat(client.get(path, a.bearer()).body()).as(path + " as A").contains(ids.get(key));
        });
    }

    @Test
    void anIdempotencyKeyOfAnotherWorkspaceIsNotReplayed() {
        String body = "{\"text\":\"same key\",\"targets\":[{\"platform\":\"bluesky\"}],\"publishAt\":\"2099-01-01T09:00\",\"timezone\":\"UTC\"}";
        HttpResponse<String> first = client.send(client.to("/api/v1/posts").header("Authorization", a.bearer())
                .header("Content-Type", "application/json").header("Idempotency-Key", "shared-key-1").POST(HttpRequest.BodyPublishers.ofString(body)));
        HttpResponse<String> other = client.send(client.to("/api/v1/posts").header("Authorization", b.bearer())
                .header("Content-Type", "application/json").header("Idempotency-Key", "shared-key-1").POST(HttpRequest.BodyPublishers.ofString(body)));
        assertThat(first.statusCode()).isEqualTo(201);
        assertThat(other.statusCode()).isEqualTo(201);
        assertThat(other.headers().firstValue("Idempotent-Replayed")).isEmpty();
        assertThat(client.body(other).get("id")).isNotEqualTo(client.body(first).get("id"));
        assertThat(client.get("/api/v1/posts/" + client.body(first).get("id").asString(), b.bearer()).statusCode()).isEqualTo(404);
    }

    private HttpResponse<String> call(Row row, IdentityClient.User user) {
        HttpRequest.Builder request = client.to(fill(row.template())).header("Authorization", user.bearer());
        if (row.body().isEmpty()) {
            request.method(row.method(), HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json").method(row.method(), HttpRequest.BodyPublishers.ofString(fill(row.body())));
        }
        return client.send(request);
    }

    /** The owner's status without reading a body: event streams stay open. */
    private int status(Row row, IdentityClient.User user) throws Exception {
        HttpRequest request = client.to(fill(row.template())).header("Authorization", user.bearer())
                .method(row.method(), HttpRequest.BodyPublishers.noBody()).build();
        HttpResponse<InputStream> response = client.http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        response.body().close();
        return response.statusCode();
    }

    private String fill(String template) {
        String filled = template;
        for (var e : ids.entrySet()) {
            filled = filled.replace("{" + e.getKey() + "}", e.getValue());
        }
        return filled;
    }

    private JsonNode ok(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        return client.body(response);
    }
}
