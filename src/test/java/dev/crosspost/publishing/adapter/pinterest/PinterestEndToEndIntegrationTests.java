package dev.crosspost.publishing.adapter.pinterest;

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

/** Video Pins through the engine: created as posts, pinned on the Pinterest simulator exactly once, faults or not. */
@EngineEndToEndTest
class PinterestEndToEndIntegrationTests {

    private static final String ACCOUNT = "acct-pinterest-e2e";

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
        return dataFile(system, "pin-" + UUID.randomUUID() + ".mp4", bytes, "video/mp4");
    }

    private Publications.Detail publishAndWait(String caption, List<MediaRef> media) {
        return AdapterTestSupport.publishAndWait(posts, publications, new NewPost.Target("pinterest", ACCOUNT), caption, media);
    }

    @Test
    void aVideoPinIsCreatedOnceWithItsIdAndUrl() {
        String caption = "Trail Runner 2 is here " + UUID.randomUUID();

        Publications.Detail detail = publishAndWait(caption, List.of(video()));

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

    @Test
    void throughErrorsResetsAndLostAnswersThePinStillLandsExactlyOnce() {
        faults.set("{\"platform\":\"pinterest\",\"errorRate\":0.15,\"resetRate\":0.15,\"timeoutAfterCommitRate\":0.2,\"hangMs\":3000,\"seed\":11}");
        String caption = "Trail Runner 2, through the storm " + UUID.randomUUID();

        Publications.Detail detail = publishAndWait(caption, List.of(video()));

        assertThat(detail.publication().state()).as("%s", detail.publication().error()).isEqualTo("published");
        assertThat(detail.history()).extracting(Publications.HistoryEntry::outcome).containsAnyOf("retry", "unknown");
        assertThat(records.accepted("pinterest")).filteredOn(r -> detail.publication().idempotencyKey().equals(r.clientRef())).singleElement()
                .satisfies(r -> assertThat(r.id()).isEqualTo(detail.publication().platformPostId()));
        assertThat(records.duplicates("pinterest")).isZero();
    }

    @Test
    void aTextOnlyPostFailsWithPinterestsRuleBeforeAnyCall() {
        String caption = "just words " + UUID.randomUUID();

        Publications.Detail detail = publishAndWait(caption, List.of());

        assertThat(detail.publication().state()).isEqualTo("failed");
        assertThat(detail.publication().error()).isNotNull()
                .satisfies(e -> assertThat(e.message()).isEqualTo("Pinterest: a Pin needs a video; text-only Pins are not possible"));
        assertThat(records.accepted("pinterest")).noneMatch(r -> r.text().equals(caption));
    }
}
