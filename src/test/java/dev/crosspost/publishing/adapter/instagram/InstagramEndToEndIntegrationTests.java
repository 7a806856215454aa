package dev.crosspost.publishing.adapter.instagram;

import dev.crosspost.publishing.NewPost;
import dev.crosspost.publishing.Posts;
import dev.crosspost.publishing.Priority;
import dev.crosspost.publishing.PublicationView;
import dev.crosspost.publishing.Publications;
import dev.crosspost.publishing.adapter.BytesMedia;
import dev.crosspost.publishing.adapter.EngineEndToEndTest;
import dev.crosspost.publishing.adapter.MediaRef;
import dev.crosspost.publishing.adapter.SandboxFaults;
import dev.crosspost.sandbox.SandboxRecords;
import dev.crosspost.system.SystemSettings;
import dev.crosspost.system.Workspaces;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Reels through the engine: created as posts, published to the Instagram simulator exactly once, faults or not. */
@EngineEndToEndTest
class InstagramEndToEndIntegrationTests {

    private static final UUID WS = Workspaces.SANDBOX;
    private static final Set<String> ENDS = Set.of("published", "failed", "dead");
    private static final String ACCOUNT = "17841400000000001";

    @LocalServerPort int port;
    @Autowired Posts posts;
    @Autowired Publications publications;
    @Autowired SandboxRecords records;
    @Autowired SystemSettings system;
    private SandboxFaults faults;

    @BeforeEach
    @AfterEach
    void clearFaults() {
        faults = new SandboxFaults(port);
        faults.clear();
    }

    private MediaRef video() throws Exception {
        Path video = system.dataDir().resolve("media-test").resolve("reel-" + UUID.randomUUID() + ".mp4");
        Files.createDirectories(video.getParent());
        byte[] bytes = new byte[512 * 1024 + 3];
        new Random(7).nextBytes(bytes);
        System.arraycopy(BytesMedia.MP4_HEAD, 0, bytes, 0, BytesMedia.MP4_HEAD.length);
        Files.write(video, bytes);
        return new MediaRef(video.toUri().toString(), "video/mp4", bytes.length);
    }

    private Publications.Detail publishAndWait(String caption, List<MediaRef> media) {
        UUID id = posts.create(new NewPost(WS, null, caption, media, List.of(new NewPost.Target("instagram", ACCOUNT)), null, Priority.NOW))
                .publications().getFirst().id();
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200))
                .until(() -> publications.find(WS, id).orElseThrow().publication().state(), ENDS::contains);
        return publications.find(WS, id).orElseThrow();
    }

    @Test
    void aReelIsPublishedOnceWithItsMediaIdAndPermalink() throws Exception {
        String caption = "Trail Runner 2 is here " + UUID.randomUUID();

        Publications.Detail detail = publishAndWait(caption, List.of(video()));

        PublicationView p = detail.publication();
        assertThat(p.state()).as("%s", p.error()).isEqualTo("published");
        assertThat(p.platformPostId()).matches("\\d+");
        assertThat(p.platformUrl()).startsWith("https://www.instagram.com/reel/");
        assertThat(detail.history()).extracting(Publications.HistoryEntry::step).contains("container", "upload", "process", "publish", "permalink");
        assertThat(records.accepted("instagram")).filteredOn(r -> r.text().equals(caption)).singleElement()
                .satisfies(r -> {
                    assertThat(r.id()).isEqualTo(p.platformPostId());
                    assertThat(r.account()).isEqualTo(ACCOUNT);
                });
    }

    @Test
    void throughErrorsResetsAndLostAnswersTheReelStillLandsExactlyOnce() throws Exception {
        faults.set("{\"platform\":\"instagram\",\"errorRate\":0.15,\"resetRate\":0.15,\"timeoutAfterCommitRate\":0.2,\"hangMs\":3000,\"seed\":11}");
        String caption = "Trail Runner 2, through the storm " + UUID.randomUUID();

        Publications.Detail detail = publishAndWait(caption, List.of(video()));

        assertThat(detail.publication().state()).as("%s", detail.publication().error()).isEqualTo("published");
        assertThat(detail.history()).extracting(Publications.HistoryEntry::outcome).containsAnyOf("retry", "unknown");
        assertThat(records.accepted("instagram")).filteredOn(r -> r.text().equals(caption)).singleElement()
                .satisfies(r -> assertThat(r.id()).isEqualTo(detail.publication().platformPostId()));
    }

    @Test
    void aTextOnlyPostFailsWithInstagramsRuleBeforeAnyCall() {
        String caption = "just words " + UUID.randomUUID();

        Publications.Detail detail = publishAndWait(caption, List.of());

        assertThat(detail.publication().state()).isEqualTo("failed");
        assertThat(detail.publication().error()).isNotNull()
                .satisfies(e -> assertThat(e.message()).isEqualTo("Instagram: a Reel needs exactly one video; text-only posts are not possible"));
        assertThat(records.accepted("instagram")).noneMatch(r -> r.text().equals(caption));
    }
}
