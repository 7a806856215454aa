package dev.crosspost.publishing.adapter.x;

import dev.crosspost.publishing.NewPost;
import dev.crosspost.publishing.PostView;
import dev.crosspost.publishing.Posts;
import dev.crosspost.publishing.Priority;
import dev.crosspost.publishing.PublicationView;
import dev.crosspost.publishing.Publications;
import dev.crosspost.publishing.adapter.MediaRef;
import dev.crosspost.publishing.adapter.SandboxFaults;
import dev.crosspost.publishing.adapter.XBlueskyEndToEnd;
import dev.crosspost.sandbox.RecordedPost;
import dev.crosspost.sandbox.SandboxRecords;
import dev.crosspost.sandbox.oauth.SandboxOAuth;
import dev.crosspost.support.CrosspostIntegrationTest;
import dev.crosspost.support.TestApi;
import dev.crosspost.system.SystemSettings;
import dev.crosspost.system.Workspaces;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Posts to X through the engine, the X adapter and the app's X simulator. */
@CrosspostIntegrationTest
@XBlueskyEndToEnd
class XPublishingIntegrationTests {

    @LocalServerPort int port;
    @Autowired Posts posts;
    @Autowired Publications publications;
    @Autowired SandboxRecords records;
    @Autowired SystemSettings system;
    @Autowired SandboxOAuth oauth;

    private final HttpClient http = HttpClient.newHttpClient();
    private final JsonMapper json = JsonMapper.builder().build();

    @BeforeEach
    @AfterEach
    void clearFaults() {
        new SandboxFaults(port).clear();
    }

    @Test
    void aVideoPostIsUploadedProcessedAndPublishedOnce() throws Exception {
        Path dir = Files.createDirectories(system.dataDir().resolve("media-test"));
        byte[] bytes = new byte[6 * 1024 * 1024 + 5];
        new Random(7).nextBytes(bytes);
        System.arraycopy(new byte[]{0, 0, 0, 0x18, 'f', 't', 'y', 'p', 'm', 'p', '4', '2'}, 0, bytes, 0, 12);
        Path video = Files.write(dir.resolve("x-" + UUID.randomUUID() + ".mp4"), bytes);
        String text = "Trail Runner 2 on X " + UUID.randomUUID();

        PublicationView p = publish(text, List.of(new MediaRef(video.toUri().toString(), "video/mp4", bytes.length)));
        var detail = awaitState(p.id(), "published");

        assertThat(posted(text)).hasSize(1);
        RecordedPost recorded = posted(text).getFirst();
        assertThat(detail.publication().platformPostId()).isEqualTo(recorded.id());
        assertThat(detail.publication().platformUrl()).isEqualTo("https://x.com/i/web/status/" + recorded.id());
        assertThat(detail.history()).extracting(Publications.HistoryEntry::step).contains("upload", "process", "publish");
    }

    @Test
    void aPostWhoseAnswerNeverCameIsFoundAndNotRepeated() throws Exception {
        new SandboxFaults(port).set("{\"platform\":\"x\",\"timeoutAfterCommitRate\":1.0,\"hangMs\":4000}");
        String text = "X timeout after commit " + UUID.randomUUID();

        var detail = awaitState(publish(text, List.of()).id(), "published");

        assertThat(posted(text)).singleElement().satisfies(r -> assertThat(detail.publication().platformPostId()).isEqualTo(r.id()));
        assertThat(detail.history()).extracting(Publications.HistoryEntry::outcome).contains("unknown", "found");
    }

    @Test
    void textOverXsLimitFailsWithTheLimitAndNothingIsSent() {
        String text = "é".repeat(281);
        var failed = awaitState(publish(text, List.of()).id(), "failed").publication();

        assertThat(failed.error().code()).isEqualTo("text_too_long");
        assertThat(failed.error().message()).isEqualTo("X: the text is 281 characters long (URLs count 23); the limit is 280");
        assertThat(posted(text)).isEmpty();
    }

    @Test
    void aConnectedAccountPublishesAsItsUserUntilItsGrantIsRevoked() throws Exception {
        HttpResponse<String> start = http.send(TestApi.request(port, "/api/v1/accounts/connect/x").POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(start.statusCode()).as(start.body()).isEqualTo(200);
        // the owner's browser approves as erin at the simulated X (reached on this test's port)
        URI authorize = URI.create(json.readTree(start.body()).path("authorizeUrl").asString());
        URI here = URI.create("http://127.0.0.1:" + port + authorize.getRawPath() + "?" + authorize.getRawQuery() + "&login_hint=erin");
        HttpResponse<String> approved = http.send(HttpRequest.newBuilder(here).GET().build(), HttpResponse.BodyHandlers.ofString());
        String callback = approved.headers().firstValue("Location").orElseThrow();
        HttpResponse<String> connected = http.send(TestApi.request(port, callback.substring(callback.indexOf("/api/"))).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(connected.statusCode()).as(connected.body()).isEqualTo(200);
        String account = json.readTree(connected.body()).path("id").asString();

        String text = "from erin " + UUID.randomUUID();
        var published = awaitState(publish(text, List.of(), account).id(), "published");
        assertThat(posted(text)).singleElement().satisfies(r -> {
            assertThat(r.account()).isEqualTo("user:erin");
            assertThat(r.id()).isEqualTo(published.publication().platformPostId());
        });

        oauth.revokeGrant("x", "erin");
        var refused = awaitState(publish("after revoking " + UUID.randomUUID(), List.of(), account).id(), "needs_reconnect");
        assertThat(refused.publication().error().message()).isEqualTo("X: Unauthorized");
    }

    private PublicationView publish(String text, List<MediaRef> media, String account) {
        PostView post = posts.create(new NewPost(Workspaces.SANDBOX, null, text, media, List.of(new NewPost.Target("x", account)), null, Priority.NOW));
        return post.publications().getFirst();
    }

    private PublicationView publish(String text, List<MediaRef> media) {
        PostView post = posts.create(new NewPost(Workspaces.SANDBOX, null, text, media, List.of(new NewPost.Target("x", "sandbox-x")), null, Priority.NOW));
        return post.publications().getFirst();
    }

    private Publications.Detail awaitState(UUID id, String state) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> publications.find(Workspaces.SANDBOX, id).orElseThrow().publication().state(), state::equals);
        return publications.find(Workspaces.SANDBOX, id).orElseThrow();
    }

    private List<RecordedPost> posted(String text) {
        return records.accepted("x").stream().filter(r -> r.text().equals(text)).toList();
    }
}
