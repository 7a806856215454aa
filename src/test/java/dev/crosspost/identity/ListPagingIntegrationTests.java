package dev.crosspost.identity;

import dev.crosspost.support.CrosspostIntegrationTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every list the API keeps growing pages with opaque cursors: pages put together are the whole list in its order,
 * with nothing twice and nothing missing even when items arrive between pages; bad limits and bad, altered or
 * borrowed cursors are 400 problem+json; another workspace's items never show.
 */
@CrosspostIntegrationTest
class ListPagingIntegrationTests {

    private static final AtomicLong HISTORY = new AtomicLong(1);
    private static final String PNG_PROBE = """
            {"durationSeconds":0,"width":1,"height":1,"fps":0,"rotation":0,"audioSampleRate":0,"audioChannels":0,"faststart":false}""";

    @LocalServerPort int port;
    @Autowired JdbcClient jdbc;
    IdentityClient client;

    @BeforeEach
    void setUp() {
        client = new IdentityClient(port);
    }

    /** Adds one item to the user's list and returns its id; items added in pairs may share a timestamp. */
    private interface Seeder {
        String add(IdentityClient.User user, Instant at);
    }

    /** A list: its path for a user, and how to add to it. */
    private record Listing(String name, java.util.function.Function<IdentityClient.User, String> path, Seeder seeder) {
    }

    @Test
    void apiKeys() {
        check(new Listing("api-keys", u -> "/api/v1/api-keys", (u, at) -> {
            HttpResponse<String> r = client.postJson("/api/v1/api-keys", "{\"name\":\"k\",\"scopes\":[\"read\"]}", u.bearer());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
            return client.body(r).get("apiKey").get("id").asString();
        }));
    }

    @Test
    void accounts() {
        check(new Listing("accounts", u -> "/api/v1/accounts", (u, at) -> {
            UUID id = UUID.randomUUID();
            jdbc.sql("""
                            INSERT INTO accounts (id, workspace_id, platform, external_id, handle, status, created_at, updated_at)
                            VALUES (:id, :ws, 'x', :ext, 'someone', 'connected', :at, :at)""")
                    .param("id", id).param("ws", u.workspaceId()).param("ext", id.toString()).param("at", Timestamp.from(at)).update();
            return id.toString();
        }));
    }

    @Test
    void webhooks() {
        check(new Listing("webhooks", u -> "/api/v1/webhooks", (u, at) -> subscription(u, at).toString()));
    }

    @Test
    void webhookDeliveries() {
        java.util.Map<UUID, UUID> hooks = new java.util.concurrent.ConcurrentHashMap<>();
        check(new Listing("deliveries", u -> "/api/v1/webhooks/" + hooks.computeIfAbsent(u.workspaceId(), w -> subscription(u, Instant.now()))
                + "/deliveries", (u, at) -> {
            UUID hook = hooks.computeIfAbsent(u.workspaceId(), w -> subscription(u, at));
            return jdbc.sql("""
                            INSERT INTO webhook_deliveries (subscription_id, workspace_id, history_id, event_type, event, status, max_attempts, created_at)
                            VALUES (:sub, :ws, :history, 'publication.published', '{}', 'delivered', 1, :at) RETURNING id""")
                    .param("sub", hook).param("ws", u.workspaceId()).param("history", HISTORY.incrementAndGet()).param("at", Timestamp.from(at))
                    .query(Long.class).single().toString();
        }));
    }

    @Test
    void creditLedger() {
        check(new Listing("credit-ledger", u -> "/api/v1/credits/ledger", (u, at) -> jdbc.sql("""
                        INSERT INTO credit_ledger (workspace_id, kind, amount, reason, created_at)
                        VALUES (:ws, 'top_up', 1, 'test', :at) RETURNING id""")
                .param("ws", u.workspaceId()).param("at", Timestamp.from(at)).query(Long.class).single().toString()));
    }

    @Test
    void assets() {
        check(new Listing("assets", u -> "/api/v1/assets", (u, at) -> {
            UUID id = UUID.randomUUID();
            jdbc.sql("""
                            INSERT INTO media_assets (id, workspace_id, kind, role, content_type, size_bytes, sha256, storage_key, probe, created_at)
                            VALUES (:id, :ws, 'image', 'original', 'image/png', 1, :sha, :key, CAST(:probe AS jsonb), :at)""")
                    .param("id", id).param("ws", u.workspaceId()).param("sha", "0".repeat(64)).param("key", "sha256/00/00/" + id + ".png")
                    .param("probe", PNG_PROBE).param("at", Timestamp.from(at)).update();
            return id.toString();
        }));
    }

    @Test
    void everyListRefusesBadLimitsAndCursorsAsProblems() {
        IdentityClient.User user = client.register();
        for (int i = 0; i < 2; i++) {
            client.postJson("/api/v1/api-keys", "{\"name\":\"k\",\"scopes\":[\"read\"]}", user.bearer());
        }
        String keyCursor = client.body(client.get("/api/v1/api-keys?limit=1", user.bearer())).get("nextCursor").asString();
        for (String list : List.of("/api/v1/posts", "/api/v1/campaigns", "/api/v1/dead-letters", "/api/v1/accounts", "/api/v1/webhooks",
                "/api/v1/api-keys", "/api/v1/credits/ledger", "/api/v1/assets")) {
            for (String limit : List.of("0", "101", "-1", "abc")) {
                JsonNode body = problem(client.get(list + "?limit=" + limit, user.bearer()), list + " limit=" + limit);
                assertThat(body.get("code").asString()).as(list).isEqualTo("validation_failed");
                assertThat(body.get("errors").findValuesAsString("field")).as(list).containsExactly("limit");
            }
            List<String> cursors = new ArrayList<>(List.of("garbage", "AAAA", "x".repeat(300), tampered(keyCursor)));
            if (!list.equals("/api/v1/api-keys")) {
                cursors.add(keyCursor); // a cursor of another list
            }
            for (String cursor : cursors) {
                JsonNode body = problem(client.get(list + "?cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8), user.bearer()),
                        list + " cursor=" + cursor);
                assertThat(body.get("code").asString()).as(list).isEqualTo("invalid_cursor");
                assertThat(body.get("errors").findValuesAsString("field")).as(list).containsExactly("cursor");
            }
        }
    }

    /** The cursor with its position changed and the signature left as it was. */
    private static String tampered(String cursor) {
        byte[] bytes = Base64.getUrlDecoder().decode(cursor);
        bytes[0] = (byte) (bytes[0] == '1' ? '2' : '1');
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private JsonNode problem(HttpResponse<String> response, String what) {
        assertThat(response.statusCode()).as(what + " -> " + response.body()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).as(what).startsWith("application/problem+json");
        return client.body(response);
    }

    private void check(Listing listing) {
        IdentityClient.User owner = client.register();
        IdentityClient.User other = client.register();
        Instant base = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        Set<String> mine = new HashSet<>();
        Set<String> theirs = new HashSet<>();
        for (int i = 0; i < 7; i++) {
            Instant at = base.plusMillis(i / 2); // pairs share a timestamp: the id breaks the tie
            mine.add(listing.seeder().add(owner, at));
            theirs.add(listing.seeder().add(other, at));
        }
        Set<String> before = Set.copyOf(mine);

        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            JsonNode page = client.body(ok(client.get(listing.path().apply(owner) + "?limit=2"
                    + (cursor == null ? "" : "&cursor=" + cursor), owner.bearer())));
            assertThat(page.get("data").size()).isLessThanOrEqualTo(2);
            page.get("data").forEach(item -> seen.add(item.get("id").asString()));
            cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asString();
            if (pages++ == 0) {
                // items arriving between pages, older, newer and tied with what was already shown
                for (Instant at : List.of(base, base.plusSeconds(60))) {
                    mine.add(listing.seeder().add(owner, at));
                    theirs.add(listing.seeder().add(other, at));
                }
            }
        } while (cursor != null && pages < 20);

        List<String> full = new ArrayList<>();
        client.body(ok(client.get(listing.path().apply(owner) + "?limit=100", owner.bearer()))).get("data")
                .forEach(item -> full.add(item.get("id").asString()));
        assertThat(Set.copyOf(full)).as(listing.name() + ": the whole list is the workspace's items").isEqualTo(mine);
        assertThat(seen).as(listing.name() + ": nothing twice").doesNotHaveDuplicates()
                .as(listing.name() + ": nothing that was there is missed").containsAll(before)
                .as(listing.name() + ": only this workspace's").allMatch(mine::contains).noneMatch(theirs::contains)
                .as(listing.name() + ": in the list's order").isEqualTo(full.stream().filter(seen::contains).toList());
        assertThat(pages).isGreaterThan(3);
    }

    private HttpResponse<String> ok(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return response;
    }

    private UUID subscription(IdentityClient.User user, Instant at) {
        UUID id = UUID.randomUUID();
        jdbc.sql("""
                        INSERT INTO webhook_subscriptions (id, workspace_id, url, secret, events, active, after_history_id, created_at)
                        VALUES (:id, :ws, 'https://hooks.example.com/x', 'whsec_test', '{*}', true, 0, :at)""")
                .param("id", id).param("ws", user.workspaceId()).param("at", Timestamp.from(at)).update();
        return id;
    }
}
