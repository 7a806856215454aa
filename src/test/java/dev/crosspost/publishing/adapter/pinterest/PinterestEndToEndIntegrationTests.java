package dev.crosspost.publishing.adapter.pinterest;

import dev.crosspost.publishing.NewPost;
import dev.crosspost.publishing.PostView;
import dev.crosspost.publishing.Posts;
import dev.crosspost.publishing.Priority;
import dev.crosspost.publishing.PublicationView;
import dev.crosspost.publishing.Publications;
import dev.crosspost.publishing.adapter.EngineEndToEndTest;
import dev.crosspost.publishing.adapter.MediaRef;
import dev.crosspost.sandbox.SandboxRecords;
import dev.crosspost.system.SystemSettings;
import dev.crosspost.system.Workspaces;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A video Pin through the engine: created as a post, pinned on the Pinterest simulator exactly once. */
@EngineEndToEndTest
class PinterestEndToEndIntegrationTests {

    private static final UUID WS = Workspaces.SANDBOX;
    private static final Set<String> ENDS = Set.of("published", "failed", "dead");

    @Autowired Posts posts;
    @Autowired Publications publications;
    @Autowired SandboxRecords records;
    @Autowired SystemSettings system;

    @Test
    void aVideoPinIsCreatedOnceWithItsIdAndUrl() throws Exception {
        Path video = system.dataDir().resolve("media-test").resolve("pin-" + UUID.randomUUID() + ".mp4");
        Files.createDirectories(video.getParent());
        byte[] bytes = new byte[512 * 1024 + 3];
        new Random(7).nextBytes(bytes);
        Files.write(video, bytes);
        String caption = "Trail Runner 2 is here " + UUID.randomUUID();

        PostView post = posts.create(new NewPost(WS, null, caption, List.of(new MediaRef(video.toUri().toString(), "video/mp4", bytes.length)),
                List.of(new NewPost.Target("pinterest", "acct-pinterest-e2e")), null, Priority.NOW));
        UUID id = post.publications().getFirst().id();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> publications.find(WS, id).orElseThrow().publication().state(), ENDS::contains);

        Publications.Detail detail = publications.find(WS, id).orElseThrow();
        PublicationView p = detail.publication();
        assertThat(p.state()).as("%s", p.error()).isEqualTo("published");
        assertThat(p.platformPostId()).matches("\\d+");
        assertThat(p.platformUrl()).isEqualTo("https://www.pinterest.com/pin/" + p.platformPostId() + "/");
        assertThat(detail.history()).extracting(Publications.HistoryEntry::step).contains("board", "register", "upload", "process", "publish");
        assertThat(records.accepted("pinterest")).filteredOn(r -> p.idempotencyKey().equals(r.clientRef())).singleElement()
                .satisfies(r -> {
                    assertThat(r.id()).isEqualTo(p.platformPostId());
                    assertThat(r.text()).isEqualTo(caption);
                });
    }
}
