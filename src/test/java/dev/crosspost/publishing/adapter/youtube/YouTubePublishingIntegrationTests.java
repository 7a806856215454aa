package dev.crosspost.publishing.adapter.youtube;

import dev.crosspost.publishing.NewPost;
import dev.crosspost.publishing.PostView;
import dev.crosspost.publishing.Posts;
import dev.crosspost.publishing.Priority;
import dev.crosspost.publishing.PublicationView;
import dev.crosspost.publishing.Publications;
import dev.crosspost.publishing.adapter.MediaRef;
import dev.crosspost.publishing.adapter.SandboxFaults;
import dev.crosspost.sandbox.RecordedPost;
import dev.crosspost.sandbox.SandboxRecords;
import dev.crosspost.support.CrosspostIntegrationTest;
import dev.crosspost.system.SystemSettings;
import dev.crosspost.system.Workspaces;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A post to YouTube through the engine: session, chunked upload and processing against the simulator, landing once,
 * also when the final chunk's answer is lost and the engine has to reconcile.
 */
@CrosspostIntegrationTest
class YouTubePublishingIntegrationTests {

    @Autowired Posts posts;
    @Autowired Publications publications;
    @Autowired SandboxRecords records;
    @Autowired SystemSettings system;

    @LocalServerPort int port;

    @AfterEach
    void clearFaults() {
        new SandboxFaults(port).clear();
    }

    @Test
    void aVideoPostIsPublishedOnceWithItsVideoIdAndUrl() throws Exception {
        PublicationView published = publishAndWait();
        assertPublishedOnce(published);
    }

    @Test
    void aFinalChunkLostInTransitIsReconciledThroughTheSessionThenResumed() throws Exception {
        // draws: session start, first query, chunk 1 pass; the final chunk and the query after it drop; the rest pass
        long seed = YouTubeAdapterSimulatorTests.seedFor(0.3, false, false, false, true, true, false, false, false, false, false);
        new SandboxFaults(port).set("{\"platform\":\"youtube\",\"resetRate\":0.3,\"seed\":" + seed + "}");

        PublicationView published = publishAndWait();
        assertPublishedOnce(published);
        List<Publications.HistoryEntry> history = publications.find(Workspaces.SANDBOX, published.id()).orElseThrow().history();
        assertThat(history).extracting(Publications.HistoryEntry::outcome).containsSubsequence("unknown", "absent", "done");
    }

    private PublicationView publishAndWait() throws Exception {
        Path file = system.dataDir().toAbsolutePath().resolve("yt-" + UUID.randomUUID() + ".mp4");
        Files.createDirectories(file.getParent());
        byte[] video = new byte[9 * 1024 * 1024 + 123];
        new Random().nextBytes(video);
        Files.write(file, video);
        MediaRef media = new MediaRef(file.toUri().toString(), "video/mp4", video.length);

        PostView post = posts.create(new NewPost(Workspaces.SANDBOX, null, "Trail Runner 2\nOut now in every size.", List.of(media),
                List.of(new NewPost.Target("youtube", "acct-yt-" + UUID.randomUUID())), null, Priority.NOW));
        UUID id = post.publications().getFirst().id();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> publications.find(Workspaces.SANDBOX, id).orElseThrow().publication().state(),
                        s -> s.equals("published") || s.equals("failed") || s.equals("dead"));
        return publications.find(Workspaces.SANDBOX, id).orElseThrow().publication();
    }

    private void assertPublishedOnce(PublicationView published) {
        assertThat(published.state()).as(String.valueOf(published.error())).isEqualTo("published");
        List<RecordedPost> landed = records.accepted("youtube").stream()
                .filter(p -> YouTubeAdapter.marker(published.idempotencyKey()).equals(p.clientRef())).toList();
        assertThat(landed).hasSize(1);
        assertThat(published.platformPostId()).isEqualTo(landed.getFirst().id());
        assertThat(published.platformUrl()).isEqualTo("https://www.youtube.com/watch?v=" + landed.getFirst().id());
        assertThat(landed.getFirst().text()).isEqualTo("Trail Runner 2");
    }
}
