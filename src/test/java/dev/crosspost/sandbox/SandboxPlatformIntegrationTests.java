package dev.crosspost.sandbox;

import dev.crosspost.support.ShiftedClock;

import dev.crosspost.support.CrosspostIntegrationTest;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** The platform simulator over real HTTP: the protocol the engine's adapter is written against, quotas and faults. */
@CrosspostIntegrationTest
@TestPropertySource(properties = {
        "crosspost.sandbox.platforms.slowtube.processing-time=10m",
        "crosspost.sandbox.platforms.dedupe.dedupe-by-client-ref=true",
        "crosspost.sandbox.platforms.tight.quota-limit=2",
        "crosspost.sandbox.platforms.strict.max-text-length=10",
        "crosspost.sandbox.platforms.flaky.faults.error-rate=1.0"})
@org.springframework.context.annotation.Import(ShiftedClock.AppClock.class)
class SandboxPlatformIntegrationTests {

    private static final String TOKEN = "Bearer test-token";

    @LocalServerPort
    int port;

    @Autowired
    SandboxRecords records;

    @Autowired
    ShiftedClock clock;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final JsonMapper json = JsonMapper.builder().build();


    @BeforeEach
    void cleanSlate() throws Exception {
        assertThat(send(to("/sandbox/records").DELETE()).statusCode()).isEqualTo(204);
        assertThat(send(to("/sandbox/faults").DELETE()).statusCode()).isEqualTo(204);
    }

    // ---- uploads and posts

    @Test
    void uploadIsStreamedHashedThenProcessedUntilReady() throws Exception {
        long size = 5L * 1024 * 1024 + 17;
        MessageDigest expected = MessageDigest.getInstance("SHA-256");
        // sent chunked from a stream, hashed on the way out
        InputStream source = new DigestInputStream(new RandomBytes(size, 7), expected);
        var upload = send(authed("/sandbox/platforms/slowtube/uploads").header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> source)));

        assertThat(upload.statusCode()).isEqualTo(201);
        JsonNode created = json(upload);
        String uploadId = created.get("upload_id").asString();
        assertThat(uploadId).matches("up_[0-9a-f-]{36}");
        assertThat(created.get("size").asLong()).isEqualTo(size);
        assertThat(created.get("sha256").asString()).isEqualTo(HexFormat.of().formatHex(expected.digest()));

        assertThat(uploadStatus("slowtube", uploadId)).isEqualTo("processing 0");
        var early = post("slowtube", body("acct", "with video", uploadId, "v1"));
        assertThat(early.statusCode()).isEqualTo(409);
        assertThat(errorCode(early)).isEqualTo("media_not_ready");

        clock.advance(Duration.ofMinutes(5));
        assertThat(uploadStatus("slowtube", uploadId)).isEqualTo("processing 50");
        clock.advance(Duration.ofMinutes(5));
        assertThat(uploadStatus("slowtube", uploadId)).isEqualTo("ready 100");

        var posted = post("slowtube", body("acct", "with video", uploadId, "v1"));
        assertThat(posted.statusCode()).isEqualTo(201);
        JsonNode page = json(send(authed(path(json(posted).get("url").asString()))));
        assertThat(page.get("upload_id").asString()).isEqualTo(uploadId);
        assertThat(records.accepted("slowtube")).singleElement().satisfies(p -> assertThat(p.uploadId()).isEqualTo(uploadId));
    }

    @Test
    void uploadsWithoutProcessingTimeAreReadyAtOnceAndBadUploadsAreRefused() throws Exception {
        var upload = upload("x", new byte[] {1, 2, 3});
        assertThat(upload.statusCode()).isEqualTo(201);
        assertThat(json(upload).get("sha256").asString())
                .isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(new byte[] {1, 2, 3})));
        assertThat(uploadStatus("x", json(upload).get("upload_id").asString())).isEqualTo("ready 100");

        var empty = upload("x", new byte[0]);
        assertThat(empty.statusCode()).isEqualTo(400);
        assertThat(errorCode(empty)).isEqualTo("empty_upload");

        var wrongType = send(authed("/sandbox/platforms/x/uploads").header("Content-Type", "image/png")
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[] {1})));
        assertThat(wrongType.statusCode()).isEqualTo(415);
        assertThat(errorCode(wrongType)).isEqualTo("unsupported_media_type");

        var unknown = send(authed("/sandbox/platforms/x/uploads/up_nope"));
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(errorCode(unknown)).isEqualTo("not_found");
    }

    @Test
    void postAnswersIdUrlAndCreationTimeAndCanBeFetched() throws Exception {
        var response = post("x", body("alice", "hello world", null, "ref-1"));

        assertThat(response.statusCode()).isEqualTo(201);
        JsonNode created = json(response);
        String id = created.get("id").asString();
        assertThat(id).matches("x_\\d+");
        assertThat(created.get("url").asString()).isEqualTo("http://127.0.0.1:" + port + "/sandbox/platforms/x/p/" + id);
        assertThat(Instant.parse(created.get("created_at").asString())).isCloseTo(clock.instant(), within(Duration.ofSeconds(5)));

        JsonNode page = json(send(authed("/sandbox/platforms/x/p/" + id)));
        assertThat(page.get("account").asString()).isEqualTo("alice");
        assertThat(page.get("text").asString()).isEqualTo("hello world");
        assertThat(page.get("client_ref").asString()).isEqualTo("ref-1");
        assertThat(page.get("upload_id").isNull()).isTrue();
        assertThat(page.get("created_at").asString()).isEqualTo(created.get("created_at").asString());

        assertThat(errorCode(send(authed("/sandbox/platforms/x/p/x_999999999")))).isEqualTo("not_found");
        assertThat(errorCode(send(authed("/sandbox/platforms/youtube/p/" + id)))).isEqualTo("not_found");
        assertThat(send(authed("/sandbox/platforms/Not_A_Platform/posts")).statusCode()).isEqualTo(404);
    }

    @Test
    void invalidPostsAreRefusedWithTheirCodeAndNotRecorded() throws Exception {
        assertError(post("strict", body(" ", "hi", null, null)), 400, "invalid_account");
        assertError(post("strict", body("a", "  ", null, null)), 400, "invalid_text");
        var tooLong = post("strict", body("a", "12345678901", null, null));
        assertError(tooLong, 400, "invalid_text");
        assertThat(json(tooLong).get("error").get("message").asString()).contains("10");
        assertError(post("strict", body("a", "hi", "up_unknown", null)), 400, "invalid_media");
        assertError(post("strict", "{\"account\": \"a\", \"text\": "), 400, "invalid_request");
        assertError(send(authed("/sandbox/platforms/strict/posts").header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("hi"))), 415, "unsupported_media_type");
        assertThat(records.accepted("strict")).isEmpty();

        // the limit counts code points: ten emoji are twenty UTF-16 chars
        String tenEmoji = "\uD83D\uDE00".repeat(10);
        assertThat(post("strict", body("a", tenEmoji, null, null)).statusCode()).isEqualTo(201);
        assertThat(records.accepted("strict")).extracting(RecordedPost::text).containsExactly(tenEmoji);
    }

    @Test
    void everyPlatformEndpointNeedsABearerToken() throws Exception {
        String post = body("a", "hi", null, "r");
        List<HttpRequest.Builder> requests = List.of(
                to("/sandbox/platforms/x/posts").header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(post)),
                to("/sandbox/platforms/x/posts").header("Authorization", "Bearer ")
                        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(post)),
                to("/sandbox/platforms/x/posts").header("Authorization", "Basic YTpi")
                        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(post)),
                to("/sandbox/platforms/x/uploads").header("Content-Type", "application/octet-stream")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[] {1})),
                to("/sandbox/platforms/x/uploads/up_1"),
                to("/sandbox/platforms/x/posts?account=a"),
                to("/sandbox/platforms/x/p/x_1"));
        for (HttpRequest.Builder request : requests) {
            var response = send(request);
            assertError(response, 401, "unauthorized");
            assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
        }
        assertThat(records.accepted("x")).isEmpty();
    }

    // ---- duplicates and lookup

    @Test
    void theSameClientRefIsAcceptedTwiceAndCountedAsADuplicate() throws Exception {
        var first = post("x", body("alice", "once", null, "same-ref"));
        var second = post("x", body("alice", "once", null, "same-ref"));
        post("x", body("bob", "other account, same ref", null, "same-ref"));

        assertThat(first.statusCode()).isEqualTo(201);
        assertThat(second.statusCode()).isEqualTo(201);
        assertThat(json(second).get("id").asString()).isNotEqualTo(json(first).get("id").asString());
        assertThat(records.accepted("x")).hasSize(3);
        assertThat(records.duplicates("x")).isEqualTo(1);

        JsonNode view = json(send(to("/sandbox/records?platform=x")));
        assertThat(view.get("platform").asString()).isEqualTo("x");
        assertThat(view.get("accepted").asInt()).isEqualTo(3);
        assertThat(view.get("duplicates").asLong()).isEqualTo(1);
        assertThat(view.get("posts").valueStream().map(p -> p.get("client_ref").asString())).containsOnly("same-ref");
    }

    @Test
    void concurrentPostsAreAllRecordedWithUniqueIds() throws Exception {
        List<Callable<Integer>> calls = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            calls.add(() -> post("x", body("acct", "race", null, "hot-ref")).statusCode());
        }
        try (ExecutorService pool = Executors.newFixedThreadPool(12)) {
            for (Future<Integer> status : pool.invokeAll(calls)) {
                assertThat(status.get()).isEqualTo(201);
            }
        }
        List<RecordedPost> accepted = records.accepted("x");
        assertThat(accepted).hasSize(120);
        assertThat(accepted).extracting(RecordedPost::id).doesNotHaveDuplicates();
        assertThat(records.duplicates("x")).isEqualTo(119);
    }

    @Test
    void dedupeModeRefusesTheSecondPostAndNamesTheFirst() throws Exception {
        JsonNode first = json(post("dedupe", body("alice", "hello", null, "r-1")));
        var again = post("dedupe", body("alice", "hello again", null, "r-1"));

        assertError(again, 409, "duplicate");
        JsonNode error = json(again).get("error");
        assertThat(error.get("existing_id").asString()).isEqualTo(first.get("id").asString());
        assertThat(error.get("existing_url").asString()).isEqualTo(first.get("url").asString());
        assertThat(again.headers().firstValue("X-RateLimit-Remaining")).hasValue("999");

        assertThat(post("dedupe", body("bob", "hello", null, "r-1")).statusCode()).isEqualTo(201);
        assertThat(post("dedupe", body("alice", "no ref", null, null)).statusCode()).isEqualTo(201);
        assertThat(post("dedupe", body("alice", "no ref", null, null)).statusCode()).isEqualTo(201);
        assertThat(records.accepted("dedupe")).hasSize(4);
        assertThat(records.duplicates("dedupe")).isZero();
    }

    @Test
    void recentPostsCanBeLookedUpByAccountClientRefAndSince() throws Exception {
        String first = json(post("x", body("alice", "one", null, "r1"))).get("id").asString();
        clock.advance(Duration.ofSeconds(2));
        JsonNode second = json(post("x", body("alice", "two", null, "r2")));
        clock.advance(Duration.ofSeconds(2));
        String third = json(post("x", body("bob", "three", null, "r3"))).get("id").asString();
        String secondId = second.get("id").asString();

        assertThat(ids("/sandbox/platforms/x/posts")).containsExactly(third, secondId, first);
        assertThat(ids("/sandbox/platforms/x/posts?account=alice")).containsExactly(secondId, first);
        assertThat(ids("/sandbox/platforms/x/posts?client_ref=r2")).containsExactly(secondId);
        assertThat(ids("/sandbox/platforms/x/posts?since=" + second.get("created_at").asString())).containsExactly(third, secondId);
        assertThat(ids("/sandbox/platforms/x/posts?limit=1")).containsExactly(third);
        assertThat(ids("/sandbox/platforms/x/posts?account=alice&client_ref=r3")).isEmpty();

        JsonNode full = json(send(authed("/sandbox/platforms/x/posts?client_ref=r2"))).get("data").get(0);
        assertThat(full.get("account").asString()).isEqualTo("alice");
        assertThat(full.get("text").asString()).isEqualTo("two");
        assertThat(full.get("url").asString()).endsWith("/sandbox/platforms/x/p/" + secondId);
        assertThat(full.has("upload_id")).isTrue();

        assertError(send(authed("/sandbox/platforms/x/posts?since=yesterday")), 400, "invalid_request");
        assertError(send(authed("/sandbox/platforms/x/posts?limit=501")), 400, "invalid_request");
    }

    @Test
    void deletingRecordsForgetsPostsUploadsAndQuota() throws Exception {
        post("tight", body("a", "one", null, null));
        post("tight", body("a", "two", null, null));
        String uploadId = json(upload("x", new byte[] {9})).get("upload_id").asString();

        assertThat(send(to("/sandbox/records").DELETE()).statusCode()).isEqualTo(204);

        assertThat(records.accepted("tight")).isEmpty();
        assertThat(json(send(to("/sandbox/records?platform=tight"))).get("accepted").asInt()).isZero();
        assertThat(send(authed("/sandbox/platforms/x/uploads/" + uploadId)).statusCode()).isEqualTo(404);
        var fresh = post("tight", body("a", "three", null, null));
        assertThat(fresh.statusCode()).isEqualTo(201);
        assertThat(fresh.headers().firstValue("X-RateLimit-Remaining")).hasValue("1");
    }

    // ---- quota

    @Test
    void quotaHeadersCountDownThenA429WithRetryAfterUntilTheWindowEnds() throws Exception {
        var one = post("tight", body("alice", "one", null, null));
        long windowEnd = clock.instant().plus(Duration.ofHours(1)).getEpochSecond();
        assertThat(one.statusCode()).isEqualTo(201);
        assertThat(one.headers().firstValue("X-RateLimit-Limit")).hasValue("2");
        assertThat(one.headers().firstValue("X-RateLimit-Remaining")).hasValue("1");
        assertThat(Long.parseLong(one.headers().firstValue("X-RateLimit-Reset").orElseThrow())).isCloseTo(windowEnd, within(3L));

        assertThat(post("tight", body("alice", "two", null, null)).headers().firstValue("X-RateLimit-Remaining")).hasValue("0");
        var invalid = post("tight", body("alice", "", null, null));
        assertError(invalid, 400, "invalid_text");
        assertThat(invalid.headers().firstValue("X-RateLimit-Remaining")).hasValue("0");

        var refused = post("tight", body("alice", "three", null, null));
        assertError(refused, 429, "rate_limited");
        assertThat(Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow())).isBetween(3590L, 3600L);
        assertThat(refused.headers().firstValue("X-RateLimit-Remaining")).hasValue("0");
        assertThat(records.quota429("tight")).isEqualTo(1);
        assertThat(records.injected429("tight")).isZero();
        assertThat(records.accepted("tight")).hasSize(2);

        // per account
        assertThat(post("tight", body("bob", "mine", null, null)).statusCode()).isEqualTo(201);

        clock.advance(Duration.ofHours(1));
        var nextWindow = post("tight", body("alice", "three", null, null));
        assertThat(nextWindow.statusCode()).isEqualTo(201);
        assertThat(nextWindow.headers().firstValue("X-RateLimit-Remaining")).hasValue("1");
        assertThat(json(send(to("/sandbox/records?platform=tight"))).get("quota429").asLong()).isEqualTo(1);
    }

    // ---- faults

    @Test
    void errorFaultAnswers503AndCommitsNothing() throws Exception {
        setFaults("{\"platform\":\"x\",\"errorRate\":1.0}");

        var post = post("x", body("a", "hi", null, "r"));
        assertError(post, 503, "unavailable");
        assertThat(post.headers().firstValue("X-RateLimit-Limit")).hasValue("1000");
        assertError(upload("x", new byte[] {1, 2}), 503, "unavailable");
        assertThat(records.accepted("x")).isEmpty();
        // reads are not faulted
        assertThat(send(authed("/sandbox/platforms/x/posts")).statusCode()).isEqualTo(200);
    }

    @Test
    void rateLimitFaultAnswers429WithItsRetryAfterAndCountsIt() throws Exception {
        setFaults("{\"platform\":\"x\",\"rateLimitRate\":1.0,\"retryAfterSeconds\":7}");

        var post = post("x", body("a", "hi", null, "r"));
        assertError(post, 429, "rate_limited");
        assertThat(post.headers().firstValue("Retry-After")).hasValue("7");
        var upload = upload("x", new byte[] {1});
        assertError(upload, 429, "rate_limited");

        assertThat(records.injected429("x")).isEqualTo(2);
        assertThat(records.quota429("x")).isZero();
        assertThat(records.accepted("x")).isEmpty();
        assertThat(json(send(to("/sandbox/records?platform=x"))).get("injected429").asLong()).isEqualTo(2);
    }

    @Test
    void resetFaultDropsTheConnectionAndCommitsNothing() throws Exception {
        setFaults("{\"platform\":\"x\",\"resetRate\":1.0}");

        // a truncated response, not a timeout
        assertThatThrownBy(() -> post("x", body("a", "hi", null, "r")))
                .isInstanceOf(IOException.class).isNotInstanceOf(HttpTimeoutException.class);
        assertThatThrownBy(() -> upload("x", new byte[] {1, 2, 3}))
                .isInstanceOf(IOException.class).isNotInstanceOf(HttpTimeoutException.class);
        assertThat(records.accepted("x")).isEmpty();

        send(to("/sandbox/faults").DELETE());
        assertThat(post("x", body("a", "hi", null, "r")).statusCode()).isEqualTo(201);
    }

    @Test
    void timeoutAfterCommitRecordsThePostButHoldsTheAnswer() throws Exception {
        setFaults("{\"platform\":\"x\",\"timeoutAfterCommitRate\":1.0,\"hangMs\":1500}");

        HttpRequest impatient = postRequest("x", body("a", "hi", null, "r-timeout")).timeout(Duration.ofSeconds(1)).build();
        assertThatThrownBy(() -> http.send(impatient, HttpResponse.BodyHandlers.ofString())).isInstanceOf(HttpTimeoutException.class);
        assertThat(records.accepted("x")).extracting(RecordedPost::clientRef).containsExactly("r-timeout");

        long started = System.nanoTime();
        var patient = post("x", body("a", "hi", null, "r-patient"));
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(1500));
        assertThat(patient.statusCode()).isEqualTo(201);
        assertThat(records.accepted("x")).hasSize(2);
    }

    @Test
    void slowBodyFaultDeliversTheWholeBodyByteByByte() throws Exception {
        setFaults("{\"platform\":\"x\",\"slowBodyRate\":1.0,\"slowBodyByteDelayMs\":10}");

        long started = System.nanoTime();
        var response = post("x", body("a", "hi", null, "r-slow"));
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(response.statusCode()).isEqualTo(201);
        assertThat(response.headers().firstValue("X-RateLimit-Remaining")).hasValue("999");
        JsonNode created = json(response);
        assertThat(records.accepted("x")).extracting(RecordedPost::id).containsExactly(created.get("id").asString());
        assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(10L * (response.body().length() - 1)));
    }

    @Test
    void latencyFaultSlowsEveryPlatformEndpoint() throws Exception {
        setFaults("{\"platform\":\"x\",\"latencyMs\":400}");

        for (HttpRequest.Builder request : List.of(authed("/sandbox/platforms/x/posts"), postRequest("x", body("a", "hi", null, null)))) {
            long started = System.nanoTime();
            var response = send(request);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(400));
            assertThat(response.statusCode()).isBetween(200, 201);
        }
        long started = System.nanoTime();
        send(authed("/sandbox/platforms/youtube/posts"));
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(400));
    }

    @Test
    void faultDrawsAreReplayableFromTheSeed() throws Exception {
        String config = "{\"platform\":\"x\",\"errorRate\":0.5,\"seed\":7}";
        setFaults(config);
        List<Integer> firstRun = statuses(12);
        setFaults(config);
        List<Integer> secondRun = statuses(12);

        assertThat(firstRun).contains(201, 503).isEqualTo(secondRun);
    }

    @Test
    void faultsCanBeReadBackAndClearedButConfiguredFaultsStay() throws Exception {
        JsonNode stored = json(setFaults("{\"platform\":\"bluesky\",\"errorRate\":0.25}"));
        assertThat(stored.get("errorRate").asDouble()).isEqualTo(0.25);
        assertThat(stored.get("retryAfterSeconds").asInt()).isEqualTo(1);
        assertThat(stored.get("hangMs").asLong()).isEqualTo(30000);
        assertThat(stored.get("seed").asLong()).isEqualTo(42);

        JsonNode all = json(send(to("/sandbox/faults")));
        assertThat(all.get("bluesky").get("errorRate").asDouble()).isEqualTo(0.25);
        assertThat(all.get("flaky").get("errorRate").asDouble()).isEqualTo(1.0);

        assertThat(send(to("/sandbox/faults").DELETE()).statusCode()).isEqualTo(204);
        JsonNode cleared = json(send(to("/sandbox/faults")));
        assertThat(cleared.has("bluesky")).isFalse();
        // faults from settings apply from startup and survive a clear
        assertError(post("flaky", body("a", "hi", null, null)), 503, "unavailable");
    }

    @Test
    void invalidFaultConfigIsAProblem() throws Exception {
        var response = setFaults("{\"platform\":\"x\",\"errorRate\":1.5,\"latencyMs\":-1}");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        JsonNode problem = json(response);
        assertThat(problem.get("code").asString()).isEqualTo("validation_failed");
        assertThat(problem.get("errors").valueStream().map(e -> e.get("field").asString()))
                .containsExactlyInAnyOrder("errorRate", "latencyMs");

        var noPlatform = setFaults("{\"errorRate\":0.5}");
        assertThat(noPlatform.statusCode()).isEqualTo(400);
        assertThat(json(send(to("/sandbox/faults"))).has("x")).isFalse();
    }

    // ---- helpers

    private List<Integer> statuses(int n) throws Exception {
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            statuses.add(post("x", body("a", "post " + i, null, null)).statusCode());
        }
        return statuses;
    }

    private List<String> ids(String path) throws Exception {
        var response = send(authed(path));
        assertThat(response.statusCode()).isEqualTo(200);
        return json(response).get("data").valueStream().map(p -> p.get("id").asString()).toList();
    }

    private String uploadStatus(String platform, String uploadId) throws Exception {
        var response = send(authed("/sandbox/platforms/" + platform + "/uploads/" + uploadId));
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode status = json(response);
        assertThat(status.get("upload_id").asString()).isEqualTo(uploadId);
        return status.get("status").asString() + " " + status.get("progress").asInt();
    }

    private void assertError(HttpResponse<String> response, int status, String code) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(errorCode(response)).isEqualTo(code);
        assertThat(json(response).get("error").get("message").asString()).isNotBlank();
    }

    private String errorCode(HttpResponse<String> response) {
        return json(response).get("error").get("code").asString();
    }

    private HttpResponse<String> setFaults(String config) throws Exception {
        return send(to("/sandbox/faults").header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(config)));
    }

    private HttpResponse<String> post(String platform, String body) throws Exception {
        return send(postRequest(platform, body));
    }

    private HttpRequest.Builder postRequest(String platform, String body) {
        return authed("/sandbox/platforms/" + platform + "/posts").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
    }

    private HttpResponse<String> upload(String platform, byte[] bytes) throws Exception {
        return send(authed("/sandbox/platforms/" + platform + "/uploads").header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)));
    }

    private String body(String account, String text, @Nullable String uploadId, @Nullable String clientRef) {
        Map<String, @Nullable Object> body = new LinkedHashMap<>();
        body.put("account", account);
        body.put("text", text);
        body.put("upload_id", uploadId);
        body.put("client_ref", clientRef);
        return json.writeValueAsString(body);
    }

    private JsonNode json(HttpResponse<String> response) {
        return json.readTree(response.body());
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder authed(String path) {
        return to(path).header("Authorization", TOKEN);
    }

    private HttpRequest.Builder to(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(30));
    }

    private static String path(String url) {
        URI uri = URI.create(url);
        return uri.getRawPath();
    }

    /** {@code size} bytes from a seeded random, generated as they are read. */
    private static final class RandomBytes extends InputStream {
        private final Random random;
        private long left;

        RandomBytes(long size, long seed) {
            this.left = size;
            this.random = new Random(seed);
        }

        @Override
        public int read() {
            if (left == 0) {
                return -1;
            }
            left--;
            return random.nextInt(256);
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (left == 0) {
                return -1;
            }
            int n = (int) Math.min(len, left);
            byte[] chunk = new byte[n];
            random.nextBytes(chunk);
            System.arraycopy(chunk, 0, b, off, n);
            left -= n;
            return n;
        }
    }
}
