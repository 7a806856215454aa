package dev.crosspost.publishing.adapter.tiktok;

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

/**
 * A post to TikTok through the engine: creator info, init, chunked upload and status polls against the simulator,
 * landing once, also when the last chunk's answer is lost and the engine has to reconcile.
 */
@CrosspostIntegrationTest
class TikTokPublishingIntegrationTests {

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
    void aVideoPostIsPublishedOnceWithItsPostIdAndUrl() throws Exception {
        publishOnce();
    }

    @Test
    void aLastChunkLostInTransitIsReconciledByPublishIdThenResumed() throws Exception {
        // draws: init and chunk 1 pass; the last chunk drops; the rest pass
        long seed = seedFor(0.5, false, false, true, false, false, false);
        new SandboxFaults(port).set("{\"platform\":\"tiktok\",\"resetRate\":0.5,\"seed\":" + seed + "}");

        UUID id = publishOnce();
        assertThat(publications.find(Workspaces.SANDBOX, id).orElseThrow().history())
                .extracting(Publications.HistoryEntry::outcome).containsSubsequence("unknown", "absent", "done");
    }

    private UUID publishOnce() throws Exception {
        Path file = system.dataDir().toAbsolutePath().resolve("tt-" + UUID.randomUUID() + ".mp4");
        Files.createDirectories(file.getParent());
        byte[] video = new byte[23 * 1024 * 1024 + 5];
        new Random().nextBytes(video);
        Files.write(file, video);
        MediaRef media = new MediaRef(file.toUri().toString(), "video/mp4", video.length);
        String caption = "Trail Runner 2 is here " + UUID.randomUUID();

        PostView post = posts.create(new NewPost(Workspaces.SANDBOX, null, caption, List.of(media),
                List.of(new NewPost.Target("tiktok", "acct-tt-" + UUID.randomUUID())), null, Priority.NOW));
        UUID id = post.publications().getFirst().id();
        await(id);

        PublicationView published = publications.find(Workspaces.SANDBOX, id).orElseThrow().publication();
        assertThat(published.state()).as(String.valueOf(published.error())).isEqualTo("published");
        List<RecordedPost> landed = records.accepted("tiktok").stream().filter(p -> caption.equals(p.text())).toList();
        assertThat(landed).hasSize(1);
        assertThat(published.platformPostId()).isEqualTo(landed.getFirst().id());
        assertThat(published.platformUrl()).isEqualTo("https://www.tiktok.com/@sandbox_creator/video/" + landed.getFirst().id());
        return id;
    }

    /** A seed whose draws fall under {@code rate} exactly where {@code faulted} says. */
    private static long seedFor(double rate, boolean... faulted) {
        for (long seed = 1; ; seed++) {
            Random random = new Random(seed);
            boolean fits = true;
            for (boolean f : faulted) {
                fits &= (random.nextDouble() < rate) == f;
            }
            if (fits) {
                return seed;
            }
        }
    }

    private void await(UUID id) {
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> publications.find(Workspaces.SANDBOX, id).orElseThrow().publication().state(),
                        s -> s.equals("published") || s.equals("failed") || s.equals("dead"));
    }
}
