package dev.crosspost.intake;

import dev.crosspost.intake.internal.ContentIntake;
import dev.crosspost.intake.internal.Views;
import dev.crosspost.publishing.PostView;
import dev.crosspost.publishing.Posts;
import dev.crosspost.publishing.PublicationView;
import dev.crosspost.sandbox.RecordedPost;
import dev.crosspost.sandbox.SandboxRecords;
import dev.crosspost.support.CrosspostIntegrationTest;
import dev.crosspost.support.TestApi;
import dev.crosspost.system.Workspaces;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.io.ByteArrayInputStream;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The whole pipeline on one row: CSV import (its image on cdn.example.com, served by the sandbox), template captions, the offline product video, per-platform renditions,
 * publications on the simulators, and the CSV export with each platform's post id and URL.
 */
@CrosspostIntegrationTest
class PipelineEndToEndIntegrationTests {

    @Autowired ContentIntake intake;
    @Autowired Posts posts;
    @Autowired SandboxRecords records;
    @Autowired JdbcClient jdbc;
    @LocalServerPort int port;

    @Test
    void aCsvRowIsCaptionedRenderedPublishedAndExported() throws Exception {
        String id = "E2E-" + UUID.randomUUID().toString().substring(0, 8);
        String csv = CampaignImportIntegrationTests.HEADER + "\n"
                + id + ",Halo lamp,Warm light,59.99,EUR,https://shop.example.com/p/halo,https://cdn.example.com/img/halo.jpg,,instagram;tiktok;x,,,lamp\n";
        UUID campaign = intake.createCampaign(Workspaces.SANDBOX, "e2e", null).id();
        intake.importCsv(Workspaces.SANDBOX, campaign, new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)), null, "csv");
        intake.start(Workspaces.SANDBOX, campaign);

        Views.ContentRow row = await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofSeconds(1))
                .until(() -> intake.rows(Workspaces.SANDBOX, campaign, null, null, 10).data().getFirst(),
                        r -> List.of("published", "partial", "failed").contains(r.status()));
        assertThat(row.status()).as(row.error() + " " + row.results()).isEqualTo("published");

        PostView post = posts.find(Workspaces.SANDBOX, row.postId()).orElseThrow();
        for (PublicationView p : post.publications()) {
            assertThat(p.state()).isEqualTo("published");
        }
        assertThat(row.results()).extracting(Views.PlatformResult::platform).containsExactlyInAnyOrder("instagram", "tiktok", "x");

        // the row records the video it stored (so render progress reaches the campaign's stream), and the video
        // targets publish renditions made from exactly that asset
        UUID asset = jdbc.sql("SELECT asset_id FROM content_rows WHERE campaign_id = ?").param(campaign).query(UUID.class).single();
        assertThat(asset).as("content_rows.asset_id").isNotNull();
        assertThat(jdbc.sql("SELECT role FROM media_assets WHERE id = ? AND workspace_id = ?").param(asset).param(Workspaces.SANDBOX)
                .query(String.class).optional()).hasValue("original");
        List<UUID> published = jdbc.sql("""
                        SELECT CAST(substring(m ->> 'location' FROM 7) AS uuid) FROM publications p, jsonb_array_elements(p.media) m
                        WHERE p.post_id = ? AND p.platform IN ('instagram', 'tiktok')""").param(post.id()).query(UUID.class).list();
        assertThat(published).as("the video targets' media").hasSize(2).allSatisfy(rendition -> assertThat(
                jdbc.sql("SELECT source_id FROM media_assets WHERE id = ?").param(rendition).query(UUID.class).single()).isEqualTo(asset));

        HttpResponse<String> export = HttpClient.newHttpClient().send(
                TestApi.request(port, "/api/v1/campaigns/" + campaign + "/export").GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(export.statusCode()).isEqualTo(200);
        List<String> lines = export.body().lines().toList();
        for (Views.PlatformResult result : row.results()) {
            RecordedPost recorded = records.accepted(result.platform()).stream()
                    .filter(r -> r.id().equals(result.platformPostId())).findFirst().orElseThrow();
            assertThat(recorded.url()).isEqualTo(result.url());
            assertThat(lines).anySatisfy(l -> assertThat(l).startsWith(id + ",Halo lamp,published," + result.platform() + ",published,"
                    + recorded.id() + "," + recorded.url() + ","));
        }
    }
}
