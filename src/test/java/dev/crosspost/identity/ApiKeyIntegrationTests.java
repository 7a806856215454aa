package dev.crosspost.identity;

import dev.crosspost.support.CrosspostIntegrationTest;
import dev.crosspost.support.TestApi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** API keys: shown once, hashed at rest, scoped, last use recorded, revocable; admin-only endpoints. */
@CrosspostIntegrationTest
@org.junit.jupiter.api.extension.ExtendWith(org.springframework.boot.test.system.OutputCaptureExtension.class)
class ApiKeyIntegrationTests {

    private static final String POST = "{\"text\":\"by key\",\"targets\":[{\"platform\":\"bluesky\"}],\"publishAt\":\"2099-01-01T09:00\",\"timezone\":\"UTC\"}";

    @LocalServerPort int port;
    @Autowired JdbcClient jdbc;
    IdentityClient client;

    @BeforeEach
    void setUp() {
        client = new IdentityClient(port);
    }

    @Test
    void aKeyIsShownOnceStoredHashedAndWorksWithinItsScopes(org.springframework.boot.test.system.CapturedOutput output) {
        IdentityClient.User user = client.register();
        HttpResponse<String> created = client.postJson("/api/v1/api-keys", "{\"name\":\"n8n\",\"scopes\":[\"read\",\"posts:write\"]}", user.bearer());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String key = client.body(created).get("key").asString();
        String id = client.body(created).get("apiKey").get("id").asString();
        assertThat(key).startsWith("cp_live_");
        assertThat(jdbc.sql("SELECT count(*) FROM api_keys WHERE key_hash = :k OR key_prefix = :k").param("k", key).query(Integer.class).single())
                .as("the key itself is not stored").isZero();
        assertThat(client.get("/api/v1/api-keys/" + id, user.bearer()).body()).doesNotContain(key);

        assertThat(withKey("GET", "/api/v1/posts", key, null).statusCode()).isEqualTo(200);
        assertThat(withKey("POST", "/api/v1/posts", key, POST).statusCode()).isEqualTo(201);
        HttpResponse<String> outOfScope = withKey("POST", "/api/v1/webhooks", key, "{\"url\":\"http://127.0.0.1:9/x\",\"events\":[\"publication.published\"]}");
        assertThat(outOfScope.statusCode()).isEqualTo(403);
        assertThat(client.body(outOfScope).get("code").asString()).isEqualTo("forbidden");
        assertThat(withKey("POST", "/api/v1/api-keys", key, "{\"name\":\"more\",\"scopes\":[\"read\"]}").statusCode())
                .as("keys cannot mint keys").isEqualTo(403);
        assertThat(client.body(client.get("/api/v1/api-keys/" + id, user.bearer())).get("lastUsedAt").isNull()).isFalse();

        HttpResponse<String> revoked = client.send(client.to("/api/v1/api-keys/" + id).header("Authorization", user.bearer()).DELETE());
        assertThat(revoked.statusCode()).isEqualTo(200);
        assertThat(client.body(revoked).get("revokedAt").isNull()).isFalse();
        HttpResponse<String> after = withKey("GET", "/api/v1/posts", key, null);
        assertThat(after.statusCode()).isEqualTo(401);
        assertThat(client.body(after).get("code").asString()).isEqualTo("invalid_token");
        assertThat(output.getAll()).as("keys never reach the log").doesNotContain(key, key.substring(8));
    }

    @Test
    void scopesAreValidatedFieldByField() {
        IdentityClient.User user = client.register();
        HttpResponse<String> bad = client.postJson("/api/v1/api-keys", "{\"name\":\"\",\"scopes\":[\"everything\"]}", user.bearer());
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(client.body(bad).get("errors").findValuesAsString("field")).contains("name");
        HttpResponse<String> admin = client.postJson("/api/v1/api-keys", "{\"name\":\"x\",\"scopes\":[\"admin\"]}", user.bearer());
        assertThat(admin.statusCode()).as("only admins make admin keys").isEqualTo(403);
    }

    @Test
    void keysListWithCursorPaging() {
        IdentityClient.User user = client.register();
        for (int i = 0; i < 5; i++) {
            client.postJson("/api/v1/api-keys", "{\"name\":\"k" + i + "\",\"scopes\":[\"read\"]}", user.bearer());
        }
        Set<String> seen = new HashSet<>();
        String cursor = null;
        int pages = 0;
        do {
            JsonNode page = client.body(client.get("/api/v1/api-keys?limit=2" + (cursor == null ? "" : "&cursor=" + cursor), user.bearer()));
            page.get("data").forEach(k -> seen.add(k.get("id").asString()));
            cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asString();
            pages++;
        } while (cursor != null && pages < 10);
        assertThat(seen).hasSize(5);
        assertThat(pages).isEqualTo(3);
    }

    @Test
    void rotatingEncryptionKeysIsForAdminsOnly() {
        IdentityClient.User user = client.register();
        HttpResponse<String> asUser = client.postJson("/api/v1/accounts/rotate-keys", "", user.bearer());
        assertThat(asUser.statusCode()).isEqualTo(403);
        assertThat(client.body(asUser).get("code").asString()).isEqualTo("forbidden");
        assertThat(client.postJson("/api/v1/accounts/rotate-keys", "", "Bearer " + TestApi.accessToken(port)).statusCode()).isEqualTo(200);
        assertThat(client.get("/actuator/prometheus", user.bearer()).statusCode()).isEqualTo(403);
        assertThat(client.get("/actuator/prometheus", null).statusCode()).isEqualTo(401);
    }

    private HttpResponse<String> withKey(String method, String path, String key, String body) {
        HttpRequest.Builder b = client.to(path).header("X-API-Key", key);
        if (body == null) {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
        }
        return client.send(b);
    }
}
