package dev.crosspost.publishing.adapter.bluesky;

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
import dev.crosspost.support.CrosspostIntegrationTest;
import dev.crosspost.support.TestApi;
import dev.crosspost.system.SystemSettings;
import dev.crosspost.system.Workspaces;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

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

/** Posts to Bluesky through the engine, the Bluesky adapter and the app's simulated PDS. */
@CrosspostIntegrationTest
@XBlueskyEndToEnd
class BlueskyPublishingIntegrationTests {

    @LocalServerPort int port;
    @Autowired Posts posts;
    @Autowired Publications publications;
    @Autowired SandboxRecords records;
    @Autowired SystemSettings system;

    private final HttpClient http = HttpClient.newHttpClient();
    private final JsonMapper json = JsonMapper.builder().build();

    @BeforeEach
    @AfterEach
    void clearFaults() {
        new SandboxFaults(port).clear();
    }

    @Test
    void anImagePostIsPublishedOnceUnderItsRecordKey() throws Exception {
        Path dir = Files.createDirectories(system.dataDir().resolve("media-test"));
        byte[] bytes = new byte[300_000];
        new Random(11).nextBytes(bytes);
        Path image = Files.write(dir.resolve("bsky-" + UUID.randomUUID() + ".jpg"), bytes);

        PublicationView p = publish("Trail Runner 2 on Bluesky", List.of(new MediaRef(image.toUri().toString(), "image/jpeg", bytes.length)));
        var detail = awaitState(p.id(), "published");

        String rkey = RecordKey.of(p.idempotencyKey());
        assertThat(posted(rkey)).singleElement().satisfies(r -> {
            assertThat(r.id()).isEqualTo("at://sandbox-bluesky/app.bsky.feed.post/" + rkey);
            assertThat(r.uploadId()).startsWith("bafkrei");
        });
        assertThat(detail.publication().platformPostId()).isEqualTo("at://sandbox-bluesky/app.bsky.feed.post/" + rkey);
        assertThat(detail.publication().platformUrl()).isEqualTo("https://bsky.app/profile/sandbox-bluesky/post/" + rkey);
    }

    @Test
    void aRecordWhoseAnswerNeverCameIsFoundByItsKeyAndNotRepeated() throws Exception {
        new SandboxFaults(port).set("{\"platform\":\"bluesky\",\"timeoutAfterCommitRate\":1.0,\"hangMs\":4000}");

        PublicationView p = publish("Bluesky timeout after commit", List.of());
        var detail = awaitState(p.id(), "published");

        assertThat(posted(RecordKey.of(p.idempotencyKey()))).hasSize(1);
        assertThat(detail.history()).extracting(Publications.HistoryEntry::outcome).contains("unknown", "found");
        assertThat(records.duplicates("bluesky")).isZero();
    }

    @Test
    void aConnectedAccountPostsAVideoToItsOwnPdsAsItsDid() throws Exception {
        HttpResponse<String> connected = http.send(TestApi.request(port, "/api/v1/accounts/bluesky").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"identifier\":\"dana.example.com\",\"appPassword\":\"abcd-efgh-ijkl-mnop\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(connected.statusCode()).as(connected.body()).isEqualTo(201);
        JsonNode account = json.readTree(connected.body());
        String did = account.path("externalId").asString();
        Path dir = Files.createDirectories(system.dataDir().resolve("media-test"));
        byte[] bytes = new byte[2 * 1024 * 1024];
        new Random(13).nextBytes(bytes);
        System.arraycopy(new byte[]{0, 0, 0, 0x18, 'f', 't', 'y', 'p', 'i', 's', 'o', 'm'}, 0, bytes, 0, 12);
        Path video = Files.write(dir.resolve("bsky-" + UUID.randomUUID() + ".mp4"), bytes);

        PublicationView p = posts.create(new NewPost(Workspaces.SANDBOX, null, "Trail Runner 2, the video", List.of(new MediaRef(video.toUri().toString(), "video/mp4", bytes.length)),
                List.of(new NewPost.Target("bluesky", account.path("id").asString())), null, Priority.NOW)).publications().getFirst();
        var detail = awaitState(p.id(), "published");

        String uri = "at://" + did + "/app.bsky.feed.post/" + RecordKey.of(p.idempotencyKey());
        assertThat(detail.publication().platformPostId()).isEqualTo(uri);
        assertThat(posted(RecordKey.of(p.idempotencyKey()))).singleElement().satisfies(r -> assertThat(r.account()).isEqualTo(did));
        assertThat(detail.history()).extracting(Publications.HistoryEntry::step).contains("upload", "process", "publish");
    }

    private PublicationView publish(String text, List<MediaRef> media) {
        PostView post = posts.create(new NewPost(Workspaces.SANDBOX, null, text, media,
                List.of(new NewPost.Target("bluesky", "sandbox-bluesky")), null, Priority.NOW));
        return post.publications().getFirst();
    }

    private Publications.Detail awaitState(UUID id, String state) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> publications.find(Workspaces.SANDBOX, id).orElseThrow().publication().state(), state::equals);
        return publications.find(Workspaces.SANDBOX, id).orElseThrow();
    }

    private List<RecordedPost> posted(String rkey) {
        return records.accepted("bluesky").stream().filter(r -> rkey.equals(r.clientRef())).toList();
    }
}
