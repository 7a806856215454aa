package dev.crosspost.publishing;

import dev.crosspost.publishing.adapter.MediaRef;
import dev.crosspost.sandbox.RecordedPost;
import dev.crosspost.sandbox.SandboxRecords;
import dev.crosspost.support.CrosspostIntegrationTest;
import dev.crosspost.system.SystemSettings;
import dev.crosspost.system.Workspaces;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The engine and the generic HTTP adapter against the sandbox simulator over real HTTP, with the simulator
 * injecting the faults that cause duplicates elsewhere: timeout after commit, connection reset, 429, 503.
 */
@CrosspostIntegrationTest
@ActiveProfiles("sandbox-e2e")
class SandboxPublishingIntegrationTests {

    @LocalServerPort int port;
    @Autowired Posts posts;
    @Autowired Publications publications;
    @Autowired SandboxRecords records;
    @Autowired SystemSettings system;

    private final HttpClient http = HttpClient.newHttpClient();
    private static final UUID WS = Workspaces.SANDBOX;

    @BeforeEach
    @AfterEach
    void clearFaults() throws Exception {
        http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/sandbox/faults")).DELETE().build(),
                HttpResponse.BodyHandlers.discarding());
    }

    private void fault(String json) throws Exception {
        var response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/sandbox/faults"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }

    private PublicationView publish(String platform, String text, List<MediaRef> media) {
        PostView post = posts.create(new NewPost(WS, null, text, media, List.of(new NewPost.Target(platform, "acct-" + platform)), null, Priority.NOW));
        return post.publications().getFirst();
    }

    private Publications.Detail awaitState(UUID id, String state) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                .until(() -> publications.find(WS, id).orElseThrow().publication().state(), state::equals);
        return publications.find(WS, id).orElseThrow();
    }

    private List<RecordedPost> recorded(String platform, String key) {
        return records.accepted(platform).stream().filter(p -> key.equals(p.clientRef())).toList();
    }

    @Test
    void aTargetsOwnCaptionIsWhatThatPlatformReceives() {
        PostView post = posts.create(new NewPost(WS, null, "the post's text", List.of(), List.of(
                new NewPost.Target("acme", "acct-acme", "acme's own caption", null),
                new NewPost.Target("globex", "acct-globex")), null, Priority.NOW));
        var acme = post.publications().stream().filter(p -> p.platform().equals("acme")).findFirst().orElseThrow();
        var globex = post.publications().stream().filter(p -> p.platform().equals("globex")).findFirst().orElseThrow();

        awaitState(acme.id(), "published");
        awaitState(globex.id(), "published");

        assertThat(recorded("acme", acme.idempotencyKey())).singleElement().extracting(RecordedPost::text).isEqualTo("acme's own caption");
        assertThat(recorded("globex", globex.idempotencyKey())).singleElement().extracting(RecordedPost::text).isEqualTo("the post's text");
    }

    @Test
    void timeoutAfterCommitIsFoundByLookupAndNeverPostedTwice() throws Exception {
        fault("{\"platform\":\"acme\",\"timeoutAfterCommitRate\":1.0,\"hangMs\":4000}");
        PublicationView p = publish("acme", "acme timeout after commit", List.of());

        var detail = awaitState(p.id(), "published");

        assertThat(recorded("acme", p.idempotencyKey())).singleElement()
                .satisfies(r -> assertThat(detail.publication().platformPostId()).isEqualTo(r.id()));
        assertThat(detail.history()).extracting(Publications.HistoryEntry::outcome).contains("unknown", "found");
        assertThat(records.duplicates("acme")).isZero();
    }

    @Test
    void aResetConnectionIsProvenAbsentThenSentOnce() throws Exception {
        fault("{\"platform\":\"globex\",\"resetRate\":1.0}");
        PublicationView p = publish("globex", "globex reset", List.of());

        awaitState(p.id(), "reconciling");
        clearFaults();
        var detail = awaitState(p.id(), "published");

        assertThat(recorded("globex", p.idempotencyKey())).hasSize(1);
        assertThat(detail.history()).extracting(Publications.HistoryEntry::outcome).contains("absent");
    }

    @Test
    void a429WithRetryAfterWaitsExactlyThatLong() throws Exception {
        fault("{\"platform\":\"initech\",\"rateLimitRate\":1.0,\"retryAfterSeconds\":2}");
        PublicationView p = publish("initech", "initech 429", List.of());

        var waiting = awaitState(p.id(), "retry_wait");
        var last = waiting.history().getLast();
        assertThat(last.responseCode()).isEqualTo(429);
        assertThat(Duration.between(last.at(), waiting.publication().nextAttemptAt())).isBetween(Duration.ofMillis(1999), Duration.ofMillis(2001));
        clearFaults();

        awaitState(p.id(), "published");
        assertThat(recorded("initech", p.idempotencyKey())).hasSize(1);
    }

    @Test
    void videoIsStreamedUploadedProcessedAndPublished() throws Exception {
        Path dir = system.dataDir().resolve("media-test");
        Files.createDirectories(dir);
        Path video = dir.resolve("clip-" + UUID.randomUUID() + ".mp4");
        byte[] bytes = new byte[3 * 1024 * 1024 + 17];
        new java.util.Random(3).nextBytes(bytes);
        Files.write(video, bytes);
        PublicationView p = publish("umbrella", "pin with video",
                List.of(new MediaRef(video.toUri().toString(), "video/mp4", bytes.length)));

        var detail = awaitState(p.id(), "published");

        assertThat(recorded("umbrella", p.idempotencyKey())).singleElement()
                .satisfies(r -> assertThat(r.uploadId()).startsWith("up_"));
        assertThat(detail.history()).extracting(Publications.HistoryEntry::step).contains("upload", "process", "publish");
    }

    @Test
    void permanentErrorsCarryThePlatformsOwnMessage() {
        PublicationView p = publish("acme", "a".repeat(5001), List.of());

        var failed = awaitState(p.id(), "failed").publication();

        assertThat(failed.error().code()).isEqualTo("invalid_text");
        assertThat(failed.error().message()).startsWith("acme: ").contains("5000");
        assertThat(records.accepted("acme").stream().filter(r -> r.text().length() > 5000)).isEmpty();
    }
}
