package dev.crosspost.intake;

import dev.crosspost.intake.ContentPrepared;
import dev.crosspost.intake.internal.ContentIntake;
import dev.crosspost.intake.internal.Views;
import dev.crosspost.publishing.PostView;
import dev.crosspost.publishing.Posts;
import dev.crosspost.sandbox.SandboxRecords;
import dev.crosspost.support.TestApi;
import dev.crosspost.system.Workspaces;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.modulith.test.ApplicationModuleTest;
import org.springframework.test.context.ContextConfiguration;
import dev.crosspost.support.TestDataDir;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.test.context.event.ApplicationEvents;
import org.springframework.test.context.event.RecordApplicationEvents;
import org.springframework.transaction.support.TransactionTemplate;

import java.io.ByteArrayInputStream;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The hand-offs around generation: starting a campaign emits {@link ContentAccepted} per row; a
 * {@link ContentPrepared} (published here, as generation would) becomes one post with each platform's caption and
 * the row's local schedule; the settled post's outcome is written back to the row and shows in the export.
 */
// intake, what it depends on, sign-in and media, without generation: the test plays generation's part itself
@ApplicationModuleTest(mode = ApplicationModuleTest.BootstrapMode.ALL_DEPENDENCIES, extraIncludes = {"identity", "media"}, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ContextConfiguration(initializers = TestDataDir.class)
@RecordApplicationEvents
class ContentHandoffIntegrationTests {

    private static final UUID WS = Workspaces.SANDBOX;

    @LocalServerPort int port;
    @Autowired ContentIntake intake;
    @Autowired ApplicationEventPublisher events;
    @Autowired TransactionTemplate tx;
    @Autowired Posts posts;
    @Autowired SandboxRecords records;
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void aPreparedRowBecomesOnePostAndItsOutcomeIsWrittenBack(ApplicationEvents recorded) throws Exception {
        UUID campaign = intake.createCampaign(WS, "handoff", null).id();
        String csv = CampaignImportIntegrationTests.HEADER + "\n"
                + "H-1,\"=HYPERLINK(\"\"http://evil\"\")\",Now,10.00,USD,https://shop.example.com/p/h1,,,x;bluesky,,,now\n"
                + "H-2,Later,Scheduled,20.00,USD,,,,x,2099-12-01T09:00,Europe/Berlin,\n"
                + "H-3,Fails,Generation fails,5.00,USD,,,,bluesky,,,\n"
                + "H-4,Unreachable image,Fetched SSRF-safe,5.00,USD,,https://img.crosspost.invalid/h4.jpg,,bluesky,,,\n";
        intake.importCsv(WS, campaign, new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)), null, "csv");
        assertThat(recorded.stream(ContentAccepted.class)).isEmpty(); // a draft campaign only collects rows

        intake.start(WS, campaign);
        List<ContentAccepted> accepted = recorded.stream(ContentAccepted.class).toList();
        assertThat(accepted).extracting(ContentAccepted::externalId).containsExactly("H-1", "H-2", "H-3", "H-4");
        ContentAccepted h1 = accepted.get(0);
        assertThat(h1.platforms()).containsExactly("x", "bluesky");
        assertThat(h1.hashtags()).containsExactly("now");
        assertThat(accepted.get(1).publishAt()).isEqualTo(LocalDateTime.parse("2099-12-01T09:00"));
        assertThat(intake.campaign(WS, campaign).rows()).containsEntry("preparing", 4);

        String tag = UUID.randomUUID().toString().substring(0, 8);
        prepared(new ContentPrepared(WS, campaign, h1.contentId(), Map.of(
                "x", new ContentPrepared.Caption("X caption " + tag, "template"),
                "bluesky", new ContentPrepared.Caption("Bluesky caption " + tag, "template")), null, null));
        prepared(new ContentPrepared(WS, campaign, accepted.get(1).contentId(), Map.of("x", new ContentPrepared.Caption("later " + tag, "template")),
                null, null));
        prepared(new ContentPrepared(WS, campaign, accepted.get(2).contentId(), Map.of(), null, "out of credits"));
        // no video from generation: the row's own image is fetched through the SSRF-safe fetcher, which fails here
        prepared(new ContentPrepared(WS, campaign, accepted.get(3).contentId(), Map.of(), null, null));

        Views.ContentRow row = await().atMost(Duration.ofSeconds(60)).until(() -> intake.row(WS, campaign, h1.contentId()),
                r -> r.status().equals("published"));
        assertThat(row.results()).extracting(Views.PlatformResult::platform).containsExactlyInAnyOrder("x", "bluesky");
        assertThat(row.results()).allSatisfy(r -> {
            assertThat(r.state()).isEqualTo("published");
            assertThat(r.url()).isNotBlank();
            assertThat(r.platformPostId()).isNotBlank();
        });
        // each platform got its own caption
        assertThat(records.accepted("x")).anySatisfy(p -> assertThat(p.text()).isEqualTo("X caption " + tag));
        assertThat(records.accepted("bluesky")).anySatisfy(p -> assertThat(p.text()).isEqualTo("Bluesky caption " + tag));

        Views.ContentRow later = await().until(() -> intake.row(WS, campaign, accepted.get(1).contentId()), r -> r.postId() != null);
        PostView scheduled = posts.find(WS, later.postId()).orElseThrow();
        assertThat(scheduled.publishAt()).isEqualTo(Instant.parse("2099-12-01T08:00:00Z"));
        assertThat(scheduled.timezone()).isEqualTo("Europe/Berlin");
        assertThat(scheduled.campaignId()).isEqualTo(campaign);
        assertThat(later.status()).isEqualTo("publishing");

        Views.ContentRow failed = await().until(() -> intake.row(WS, campaign, accepted.get(2).contentId()), r -> r.status().equals("failed"));
        assertThat(failed.error()).contains("out of credits");
        assertThat(failed.postId()).isNull();
        Views.ContentRow unfetched = await().atMost(Duration.ofSeconds(60)).until(() -> intake.row(WS, campaign, accepted.get(3).contentId()),
                r -> r.status().equals("failed"));
        assertThat(unfetched.error()).contains("img.crosspost.invalid").contains("does not resolve");
        assertThat(unfetched.postId()).isNull();

        // a redelivered event makes no second post
        prepared(new ContentPrepared(WS, campaign, h1.contentId(), Map.of(), null, null));
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5))
                .until(() -> posts.list(WS, null, 100).data().stream().filter(p -> campaign.equals(p.campaignId())).count() == 2);

        HttpResponse<String> export = http.send(TestApi.request(port, "/api/v1/campaigns/" + campaign + "/export").GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(export.statusCode()).isEqualTo(200);
        assertThat(export.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/csv"));
        List<String> lines = export.body().lines().toList();
        assertThat(lines.getFirst()).isEqualTo("id,title,status,platform,state,platform_post_id,url,error,post_id");
        String xLine = lines.stream().filter(l -> l.startsWith("H-1,") && l.contains(",x,")).findFirst().orElseThrow();
        // the title would be a formula in a spreadsheet: it is exported neutralised with an apostrophe
        assertThat(xLine).startsWith("H-1,\"'=HYPERLINK(\"\"http://evil\"\")\",published,x,published,");
        assertThat(xLine).contains(row.results().stream().filter(r -> r.platform().equals("x")).findFirst().orElseThrow().url());
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("H-3,Fails,failed,bluesky,failed,,,generation failed: out of credits"));
    }

    private void prepared(ContentPrepared event) {
        tx.executeWithoutResult(s -> events.publishEvent(event));
    }
}
