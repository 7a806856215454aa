package dev.crosspost.intake;

import dev.crosspost.intake.internal.ContentIntake;
import dev.crosspost.intake.internal.Views;
import dev.crosspost.sandbox.RecordedPost;
import dev.crosspost.sandbox.SandboxRecords;
import dev.crosspost.support.CrosspostIntegrationTest;
import dev.crosspost.system.Workspaces;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A first start with the sandbox on imports the bundled products as a running campaign, its cdn.example.com media
 * served by the sandbox, and every row lands on all its platforms: video-only platforms get the rendition of the
 * offline product video (or of the row's own video), x and bluesky the image.
 */
@CrosspostIntegrationTest
@TestPropertySource(properties = "crosspost.intake.demo.enabled=true")
class DemoCampaignIntegrationTests {

    private static final List<String> PLATFORMS = List.of("x", "instagram", "youtube", "pinterest", "tiktok", "bluesky");

    @Autowired ContentIntake intake;
    @Autowired SandboxRecords records;

    @Test
    void theBundledProductsArePublishedToAllSixPlatforms() throws Exception {
        List<Views.Campaign> campaigns = intake.campaigns(Workspaces.SANDBOX, null, 10).data();
        assertThat(campaigns).singleElement().satisfies(c -> assertThat(c.name()).isEqualTo("Demo: products.csv"));
        var campaign = campaigns.getFirst().id();
        List<Views.ContentRow> imported = intake.rows(Workspaces.SANDBOX, campaign, null, null, 50).data();
        assertThat(imported).extracting(Views.ContentRow::externalId).containsExactly("P-1001", "P-1002", "P-1003", "P-1004", "P-1005");
        // the CSV's own media links, which the sandbox answers offline
        assertThat(imported).allSatisfy(r -> {
            assertThat(r.imageUrl()).startsWith("https://cdn.example.com/img/");
            assertThat(r.publishAt()).isNull();
        });
        assertThat(imported).extracting(Views.ContentRow::videoUrl).containsExactly(null, null, null, null, "https://cdn.example.com/vid/earbuds.mp4");
        assertThat(imported.get(2).title()).isEqualTo("Desk Lamp \"Halo\"");
        assertThat(imported.get(3).description()).isEqualTo("Soft 100% merino wool.\nMachine washable, one size.");

        await().atMost(Duration.ofMinutes(8)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() ->
                assertThat(intake.rows(Workspaces.SANDBOX, campaign, null, null, 50).data())
                        .allSatisfy(r -> assertThat(r.status()).as(r.externalId() + ": " + r.error()).isIn("published", "partial", "failed"))
        );
        List<Views.ContentRow> rows = intake.rows(Workspaces.SANDBOX, campaign, null, null, 50).data();
        Map<String, RecordedPost> recorded = PLATFORMS.stream().flatMap(p -> records.accepted(p).stream())
                .collect(Collectors.toMap(RecordedPost::id, Function.identity()));
        int publications = 0;
        for (Views.ContentRow row : rows) {
            assertThat(row.status()).as(row.externalId() + ": " + row.error() + " " + row.results()).isEqualTo("published");
            assertThat(row.results()).extracting(Views.PlatformResult::platform).containsExactlyInAnyOrderElementsOf(row.platforms());
            for (Views.PlatformResult result : row.results()) {
                assertThat(result.state()).isEqualTo("published");
                assertThat(recorded).containsKey(result.platformPostId());
                assertThat(result.url()).isEqualTo(recorded.get(result.platformPostId()).url());
                publications++;
            }
        }
        assertThat(PLATFORMS).allSatisfy(p -> assertThat(records.accepted(p)).as(p).isNotEmpty());
        // exactly one simulator record per publication: nothing posted twice, nothing extra
        assertThat(recorded).hasSize(publications);
        assertThat(PLATFORMS).allSatisfy(p -> assertThat(records.duplicates(p)).isZero());
    }
}
