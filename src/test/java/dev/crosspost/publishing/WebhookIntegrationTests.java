package dev.crosspost.publishing;

import dev.crosspost.support.TestApi;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.crosspost.publishing.webhooks.WebhookSignature;
import dev.crosspost.support.CrosspostIntegrationTest;
import dev.crosspost.system.Workspaces;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Lifecycle webhooks end to end: the API, the delivery log, signatures and retries, against a real local receiver. */
@CrosspostIntegrationTest
@ActiveProfiles({"engine", "events"})
@Import(EventTestPlatforms.class)
@ExtendWith(OutputCaptureExtension.class)
class WebhookIntegrationTests {

    private static final UUID WS = Workspaces.SANDBOX;
    private static final Receiver receiver = new Receiver();

    @LocalServerPort int port;
    @Autowired Posts posts;
    @Autowired JdbcClient jdbc;
    @Autowired MeterRegistry meters;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final JsonMapper json = JsonMapper.builder().build();

    @BeforeAll
    static void startReceiver() throws IOException {
        receiver.start();
    }

    @AfterAll
    static void stopReceiver() {
        receiver.stop();
    }

    /**
     * A webhook receiver on 127.0.0.1: it keeps every request, answers 200, except under {@code /flaky/} where
     * each event id gets 500 twice before 200.
     */
    static final class Receiver {
        record Received(String path, Map<String, String> headers, byte[] body, Instant at) {
            JsonNode json() {
                return JsonMapper.builder().build().readTree(body);
            }
        }

        private @Nullable HttpServer server;
        private final List<Received> received = new CopyOnWriteArrayList<>();
        private final Map<String, AtomicInteger> failures = new ConcurrentHashMap<>();

        void start() throws IOException {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            server.createContext("/", this::handle);
            server.start();
        }

        void stop() {
            if (server != null) {
                server.stop(0);
            }
        }

        String url(String path) {
            return "http://127.0.0.1:" + server.getAddress().getPort() + path;
        }

        List<Received> at(String path) {
            return received.stream().filter(r -> r.path().equals(path)).toList();
        }

        private void handle(HttpExchange exchange) throws IOException {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            Map<String, String> headers = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k, v.getFirst()));
            String path = exchange.getRequestURI().getPath();
            received.add(new Received(path, headers, body, Instant.now()));
            int status = 200;
            if (path.startsWith("/flaky/")) {
                int seen = failures.computeIfAbsent(path + "|" + headers.get("Crosspost-Event-Id"), k -> new AtomicInteger()).incrementAndGet();
                status = seen <= 2 ? 500 : 200;
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        }
    }

    private HttpResponse<String> send(String method, String path, @Nullable String body) throws Exception {
        HttpRequest.Builder request = TestApi.request(port, path)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode created(String url, @Nullable String events) throws Exception {
        String body = "{\"url\": \"" + url + "\"" + (events == null ? "" : ", \"events\": " + events) + "}";
        HttpResponse<String> response = send("POST", "/api/v1/webhooks", body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return json.readTree(response.body());
    }

    private PostView post(String text, String... platforms) {
        var targets = java.util.Arrays.stream(platforms).map(p -> new NewPost.Target(p, "acct-" + p)).toList();
        return posts.create(new NewPost(WS, null, text, List.of(), targets, null, Priority.NOW));
    }

    private List<JsonNode> deliveries(String webhookId, @Nullable UUID postId) throws Exception {
        List<JsonNode> all = new ArrayList<>();
        String cursor = null;
        do {
            HttpResponse<String> response = send("GET", "/api/v1/webhooks/" + webhookId + "/deliveries?limit=2"
                    + (cursor == null ? "" : "&cursor=" + cursor), null);
            assertThat(response.statusCode()).isEqualTo(200);
            JsonNode page = json.readTree(response.body());
            page.get("data").forEach(all::add);
            cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asString();
        } while (cursor != null);
        return all.stream().filter(d -> postId == null || d.get("event").get("postId").asString().equals(postId.toString())).toList();
    }

    private List<Receiver.Received> receivedFor(String path, UUID postId) {
        return receiver.at(path).stream().filter(r -> r.json().get("data").get("postId").asString().equals(postId.toString())).toList();
    }

    private static boolean validSignature(Receiver.Received r, String secret) {
        return WebhookSignature.verify(secret, r.headers().get("Crosspost-Timestamp"), r.body(), r.headers().get("Crosspost-Signature"),
                WebhookSignature.DEFAULT_TOLERANCE, Instant.now());
    }

    @Test
    void everyStateChangeOfAPostIsDeliveredExactlyOnceAndSigned(CapturedOutput output) throws Exception {
        JsonNode webhook = created(receiver.url("/hooks/exact"), null);
        String id = webhook.get("id").asString();
        String secret = webhook.get("secret").asString();
        assertThat(secret).matches("whsec_[A-Za-z0-9_-]{43}");
        assertThat(webhook.get("events")).extracting(JsonNode::asString).containsExactly("*");

        PostView post = post("webhook exactly once", "alpha", "beta");
        await().atMost(Duration.ofSeconds(20)).until(() -> posts.find(WS, post.id()).orElseThrow().settledAt() != null);
        List<Long> history = jdbc.sql("SELECT id FROM publication_history WHERE post_id = :p ORDER BY id").param("p", post.id())
                .query(Long.class).list();
        assertThat(history).hasSize(6);

        // arrives, then stays at one request per history row: nothing is sent twice
        await().atMost(Duration.ofSeconds(20)).until(() -> receivedFor("/hooks/exact", post.id()).size() == history.size());
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3))
                .until(() -> receivedFor("/hooks/exact", post.id()).size() == history.size());

        List<Receiver.Received> got = receivedFor("/hooks/exact", post.id());
        assertThat(got).extracting(r -> r.json().get("historyId").asLong()).containsExactlyInAnyOrderElementsOf(history);
        for (Receiver.Received r : got) {
            JsonNode body = r.json();
            assertThat(r.headers().get("Content-Type")).isEqualTo("application/json");
            assertThat(r.headers().get("User-Agent")).isEqualTo("Crosspost-Webhooks/1");
            assertThat(r.headers().get("Crosspost-Event-Id")).isEqualTo(body.get("id").asString());
            assertThat(Long.parseLong(r.headers().get("Crosspost-Timestamp"))).isCloseTo(Instant.now().getEpochSecond(), org.assertj.core.data.Offset.offset(60L));
            assertThat(r.headers().get("Crosspost-Signature")).matches("v1=[0-9a-f]{64}");
            assertThat(validSignature(r, secret)).isTrue();
            assertThat(body.get("type").asString()).isEqualTo("publication." + body.get("data").get("to").asString());
        }
        assertThat(got).extracting(r -> r.json().get("data").get("to").asString())
                .containsExactlyInAnyOrder("queued", "queued", "running", "running", "published", "published");

        // a tampered body no longer matches its signature
        Receiver.Received one = got.getFirst();
        byte[] tampered = new String(one.body(), java.nio.charset.StandardCharsets.UTF_8).replace("\"alpha\"", "\"gamma\"")
                .replace("\"beta\"", "\"gamma\"").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertThat(tampered).isNotEqualTo(one.body());
        assertThat(WebhookSignature.verify(secret, one.headers().get("Crosspost-Timestamp"), tampered, one.headers().get("Crosspost-Signature"),
                WebhookSignature.DEFAULT_TOLERANCE, Instant.now())).isFalse();

        List<JsonNode> log = deliveries(id, post.id());
        assertThat(log).hasSize(history.size());
        assertThat(log).extracting(d -> d.get("id").asLong()).isSortedAccordingTo(java.util.Comparator.reverseOrder());
        assertThat(log).allSatisfy(d -> {
            assertThat(d.get("status").asString()).isEqualTo("delivered");
            assertThat(d.get("attempts").asInt()).isEqualTo(1);
            assertThat(d.get("lastStatusCode").asInt()).isEqualTo(200);
            assertThat(d.get("deliveredAt").isNull()).isFalse();
            assertThat(d.get("attemptLog")).singleElement().satisfies(a -> assertThat(a.get("statusCode").asInt()).isEqualTo(200));
        });
        assertThat(meters.counter("crosspost_webhook_deliveries_total", "outcome", "delivered").count()).isGreaterThanOrEqualTo(6);
        assertThat(send("DELETE", "/api/v1/webhooks/" + id, null).statusCode()).isEqualTo(204);

        List<Long> lags = got.stream().map(r -> Duration.between(Instant.parse(r.json().get("data").get("at").asString()), r.at()).toMillis())
                .sorted().toList();
        System.out.println("Webhook lag ms (row time -> receiver), sorted: " + lags);
        assertThat(output.getAll()).doesNotContain(secret);
    }

    @Test
    void aFailingReceiverIsRetriedWithEveryAttemptInTheLog() throws Exception {
        String path = "/flaky/" + UUID.randomUUID();
        JsonNode webhook = created(receiver.url(path), "[\"publication.published\"]");
        String id = webhook.get("id").asString();
        String secret = webhook.get("secret").asString();

        PostView post = post("webhook flaky receiver", "alpha");

        await().atMost(Duration.ofSeconds(30)).until(() -> {
            List<JsonNode> log = deliveries(id, post.id());
            return log.size() == 1 && log.getFirst().get("status").asString().equals("delivered");
        });
        JsonNode delivery = deliveries(id, post.id()).getFirst();
        assertThat(delivery.get("type").asString()).isEqualTo("publication.published");
        assertThat(delivery.get("attempts").asInt()).isEqualTo(3);
        assertThat(delivery.get("lastStatusCode").asInt()).isEqualTo(200);
        assertThat(delivery.get("lastError").isNull()).isTrue();
        assertThat(delivery.get("attemptLog")).extracting(a -> a.get("statusCode").asInt()).containsExactly(500, 500, 200);
        assertThat(delivery.get("attemptLog")).extracting(a -> a.get("error").isNull() ? null : a.get("error").asString())
                .containsExactly("HTTP 500", "HTTP 500", null);
        assertThat(delivery.get("attemptLog")).extracting(a -> a.get("attempt").asInt()).containsExactly(1, 2, 3);

        List<Receiver.Received> got = receivedFor(path, post.id());
        assertThat(got).hasSize(3).allSatisfy(r -> {
            assertThat(r.headers().get("Crosspost-Event-Id")).isEqualTo(delivery.get("id").asString());
            assertThat(validSignature(r, secret)).isTrue();
        });
        assertThat(meters.counter("crosspost_webhook_deliveries_total", "outcome", "failed").count()).isGreaterThanOrEqualTo(2);

        // a manual retry sends it once more
        HttpResponse<String> retry = send("POST", "/api/v1/webhooks/" + id + "/deliveries/" + delivery.get("id").asLong() + "/retry", null);
        assertThat(retry.statusCode()).isEqualTo(202);
        assertThat(json.readTree(retry.body()).get("status").asString()).isEqualTo("pending");
        await().atMost(Duration.ofSeconds(10)).until(() -> deliveries(id, post.id()).getFirst().get("attempts").asInt() == 4);
        assertThat(deliveries(id, post.id()).getFirst().get("status").asString()).isEqualTo("delivered");
        assertThat(receivedFor(path, post.id())).hasSize(4);
        assertThat(send("DELETE", "/api/v1/webhooks/" + id, null).statusCode()).isEqualTo(204);
    }

    @Test
    void badUrlsAndEventTypesAreValidationProblems() throws Exception {
        Map<String, String> cases = Map.of(
                "{\"url\": \"ftp://hooks.example.com/in\"}", "url",
                "{\"url\": \"https://user:pw@hooks.example.com/in\"}", "url",
                "{\"url\": \"https://hooks.example.com/" + "a".repeat(2100) + "\"}", "url",
                "{\"url\": \"\"}", "url",
                "{\"url\": \"https://hooks.example.com/in\", \"events\": [\"publication.nope\"]}", "events[0]");
        for (var c : cases.entrySet()) {
            HttpResponse<String> response = send("POST", "/api/v1/webhooks", c.getKey());
            assertThat(response.statusCode()).as(c.getKey()).isEqualTo(400);
            assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            JsonNode problem = json.readTree(response.body());
            assertThat(problem.get("code").asString()).isEqualTo("validation_failed");
            assertThat(problem.get("errors")).extracting(e -> e.get("field").asString()).as(c.getKey()).contains(c.getValue());
        }
        assertThat(send("POST", "/api/v1/webhooks", "{\"url\": \"https://user:pw@hooks.example.com/in\"}").body())
                .contains("must not contain credentials");
    }

    @Test
    void theSecretIsShownOnceAndDeletedWebhooksAreGone() throws Exception {
        JsonNode webhook = created("https://hooks.example.com/crosspost", "[\"publication.published\", \"publication.dead\"]");
        String id = webhook.get("id").asString();
        assertThat(webhook.get("secret").asString()).startsWith("whsec_");

        HttpResponse<String> list = send("GET", "/api/v1/webhooks", null);
        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(list.body()).doesNotContain(webhook.get("secret").asString()).doesNotContain("\"secret\"");
        JsonNode listed = null;
        for (JsonNode w : json.readTree(list.body()).get("data")) {
            if (w.get("id").asString().equals(id)) {
                listed = w;
            }
        }
        assertThat(listed).isNotNull();
        assertThat(listed.get("events")).extracting(JsonNode::asString).containsExactly("publication.published", "publication.dead");

        assertThat(send("DELETE", "/api/v1/webhooks/" + id, null).statusCode()).isEqualTo(204);
        assertThat(send("GET", "/api/v1/webhooks", null).body()).doesNotContain(id);
        HttpResponse<String> again = send("DELETE", "/api/v1/webhooks/" + id, null);
        assertThat(again.statusCode()).isEqualTo(404);
        assertThat(again.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(send("GET", "/api/v1/webhooks/" + id + "/deliveries", null).statusCode()).isEqualTo(404);
        assertThat(send("POST", "/api/v1/webhooks/" + id + "/deliveries/1/retry", null).statusCode()).isEqualTo(404);
        assertThat(send("GET", "/api/v1/webhooks/" + UUID.randomUUID() + "/deliveries?cursor=bogus", null).statusCode()).isEqualTo(404);
    }

    @Test
    void anotherWorkspacesEventsNeverReachThisWorkspacesWebhooks() throws Exception {
        JsonNode webhook = created(receiver.url("/hooks/isolation"), null);
        UUID other = UUID.fromString("00000000-0000-0000-0000-00000000cafe");
        PostView foreign = posts.create(new NewPost(other, null, "webhook other workspace", List.of(),
                List.of(new NewPost.Target("alpha", "acct-alpha")), null, Priority.NOW));
        PostView own = post("webhook own workspace", "alpha");
        await().atMost(Duration.ofSeconds(20)).until(() -> receivedFor("/hooks/isolation", own.id()).size() == 3);
        await().atMost(Duration.ofSeconds(20)).until(() -> posts.find(other, foreign.id()).orElseThrow().settledAt() != null);
        long foreignLast = jdbc.sql("SELECT max(id) FROM publication_history WHERE post_id = :p").param("p", foreign.id()).query(Long.class).single();
        // the fan-out has passed every row of the foreign post
        await().atMost(Duration.ofSeconds(20)).until(() -> jdbc.sql("SELECT last_history_id FROM webhook_cursor WHERE consumer = 'webhooks'").query(Long.class).single() >= foreignLast);

        assertThat(receiver.at("/hooks/isolation")).extracting(r -> r.json().get("data").get("postId").asString())
                .doesNotContain(foreign.id().toString());
        assertThat(new HashSet<>(deliveries(webhook.get("id").asString(), foreign.id()))).isEmpty();
        assertThat(send("DELETE", "/api/v1/webhooks/" + webhook.get("id").asString(), null).statusCode()).isEqualTo(204);
    }
}
