package dev.crosspost.publishing.adapter.instagram;

import dev.crosspost.publishing.NewPost;
import dev.crosspost.publishing.Posts;
import dev.crosspost.publishing.PublicationView;
import dev.crosspost.publishing.Publications;
import dev.crosspost.publishing.adapter.AdapterTestSupport;
import dev.crosspost.publishing.adapter.BytesMedia;
import dev.crosspost.publishing.adapter.EngineEndToEndTest;
import dev.crosspost.publishing.adapter.MediaRef;
import dev.crosspost.publishing.adapter.SandboxFaults;
import dev.crosspost.sandbox.SandboxRecords;
import dev.crosspost.system.SystemSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.util.List;
import java.util.UUID;

import static dev.crosspost.publishing.adapter.AdapterTestSupport.dataFile;
import static dev.crosspost.publishing.adapter.AdapterTestSupport.seededBytes;
import static org.assertj.core.api.Assertions.assertThat;

/** Reels through the engine: created as posts, published to the Instagram simulator exactly once, faults or not. */
@EngineEndToEndTest
class InstagramEndToEndIntegrationTests {

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

    private MediaRef video() {
        byte[] bytes = seededBytes(512 * 1024 + 3);
        System.arraycopy(BytesMedia.MP4_HEAD, 0, bytes, 0, BytesMedia.MP4_HEAD.length);
        return dataFile(system, "reel-" + UUID.randomUUID() + ".mp4", bytes, "video/mp4");
    }

    private Publications.Detail publishAndWait(String caption, List<MediaRef> media) {
        return AdapterTestSupport.publishAndWait(posts, publications, new NewPost.Target("instagram", ACCOUNT), caption, media);
    }

    @Test
    void aReelIsPublishedOnceWithItsMediaIdAndPermalink() {
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
    void throughErrorsResetsAndLostAnswersTheReelStillLandsExactlyOnce() {
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
