package dev.crosspost.publishing;

import dev.crosspost.intake.internal.ContentIntake;
import dev.crosspost.intake.internal.RowChecker;
import dev.crosspost.media.AssetView;
import dev.crosspost.media.Assets;
import dev.crosspost.media.Renditions;
import dev.crosspost.media.internal.TestMedia;
import dev.crosspost.publishing.adapter.MediaRef;
import dev.crosspost.support.CrosspostIntegrationTest;
import dev.crosspost.support.TestApi;
import dev.crosspost.system.Workspaces;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Render progress (media's {@code RenderProgressed}, from real FFmpeg runs) on the post and campaign event streams
 * as transient {@code render} events, and never on another workspace's streams.
 */
@CrosspostIntegrationTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RenderProgressEventsIntegrationTests {

    private static final UUID WS = Workspaces.SANDBOX;
    private static final UUID OTHER_WS = UUID.fromString("00000000-0000-0000-0000-00000000beef");

    @LocalServerPort int port;
    @Autowired Posts posts;
    @Autowired Assets assets;
    @Autowired Renditions renditions;
    @Autowired ContentIntake intake;
    @Autowired JdbcClient jdbc;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final JsonMapper json = JsonMapper.builder().build();
    private Path source;

    @BeforeAll
    void media() throws Exception {
        // long enough for FFmpeg to report progress several times on its way to 100
        source = TestMedia.video(Files.createTempDirectory("render-progress"), "source.mp4", 640, 360, 8, 48000);
    }

    private AssetView upload(UUID workspace) throws Exception {
        try (InputStream in = Files.newInputStream(source)) {
            return assets.store(workspace, in, "video/mp4", "source.mp4");
        }
    }

    /** A post an hour away (so its stream stays open) whose media is {@code asset}. */
    private PostView post(UUID workspace, UUID campaign, AssetView asset) {
        var schedule = LocalSchedule.resolve(LocalDateTime.now(ZoneOffset.UTC).plusHours(1), ZoneOffset.UTC);
        return posts.create(new NewPost(workspace, campaign, "render progress", List.of(new MediaRef("asset:" + asset.id(), asset.contentType(),
                asset.sizeBytes())), List.of(new NewPost.Target("youtube", "sandbox-youtube")), schedule, Priority.SCHEDULED));
    }

    private SseClient stream(String path) throws Exception {
        SseClient client = SseClient.open(http, TestApi.request(port, path), null);
        assertThat(client.status()).as(path + ": " + client.errorBody()).isEqualTo(200);
        return client;
    }

    private List<JsonNode> renders(SseClient client, UUID asset) {
        return client.events("render").stream().map(e -> json.readTree(e.data()))
                .filter(d -> d.get("assetId").asString().equals(asset.toString())).toList();
    }

    private List<Integer> percents(SseClient client, UUID asset) {
        return renders(client, asset).stream().map(d -> d.get("percent").asInt()).toList();
    }

    private static void assertRisesTo100(List<Integer> percents) {
        assertThat(percents).as("percents").hasSizeGreaterThanOrEqualTo(3).isSorted().doesNotHaveDuplicates().endsWith(100);
    }

    @Test
    void theStreamsOfThePostAndItsCampaignGetRisingPercentsOfTheRender() throws Exception {
        UUID campaign = UUID.randomUUID();
        AssetView asset = upload(WS);
        PostView post = post(WS, campaign, asset);

        try (SseClient postStream = stream("/api/v1/posts/" + post.id() + "/events");
             SseClient campaignStream = stream("/api/v1/campaigns/" + campaign + "/events")) {
            renditions.render(WS, asset.id(), Set.of("tiktok", "youtube"));

            await().atMost(Duration.ofSeconds(20)).until(() -> percents(postStream, asset.id()).contains(100)
                    && percents(campaignStream, asset.id()).contains(100));
            assertRisesTo100(percents(postStream, asset.id()));
            assertRisesTo100(percents(campaignStream, asset.id()));
            assertThat(renders(postStream, asset.id())).allSatisfy(d -> assertThat(d.get("operation").asString()).isEqualTo("renditions"));
            // transient: no id, so a reconnect with Last-Event-ID never replays progress
            assertThat(postStream.events("render")).allSatisfy(e -> assertThat(e.id()).isNull());
        }
    }

    @Test
    void aPostWhoseMediaIsARenditionGetsTheProgressOfItsSource() throws Exception {
        AssetView asset = upload(WS);
        var set = renditions.render(WS, asset.id(), Set.of("x"));
        AssetView rendition = assets.get(WS, set.platforms().get("x").assetId());
        PostView post = post(WS, null, rendition);

        try (SseClient postStream = stream("/api/v1/posts/" + post.id() + "/events")) {
            HttpClient.newHttpClient().send(TestApi.request(port, "/api/v1/assets/" + asset.id() + "/scenes")
                    .POST(java.net.http.HttpRequest.BodyPublishers.noBody()).build(), java.net.http.HttpResponse.BodyHandlers.discarding());

            await().atMost(Duration.ofSeconds(30)).until(() -> percents(postStream, asset.id()).contains(100));
            assertThat(renders(postStream, asset.id())).allSatisfy(d -> assertThat(d.get("operation").asString()).isEqualTo("scenes"));
        }
    }

    @Test
    void aRenditionsJobThatOnlyReusesStoredOutputsStillEndsAt100() throws Exception {
        AssetView asset = upload(WS);
        renditions.render(WS, asset.id(), Set.of("x"));
        PostView post = post(WS, null, asset);

        try (SseClient postStream = stream("/api/v1/posts/" + post.id() + "/events")) {
            var accepted = http.send(TestApi.request(port, "/api/v1/assets/" + asset.id() + "/renditions").header("Content-Type", "application/json")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"platforms\":[\"x\"]}")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
            String location = accepted.headers().firstValue("Location").orElseThrow();

            JsonNode job = await().atMost(Duration.ofSeconds(30)).until(() -> json.readTree(http.send(TestApi.request(port, location).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()).body()), j -> !j.get("finishedAt").isNull());
            assertThat(job.get("status").asString()).isEqualTo("done");
            assertThat(job.get("percent").asInt()).isEqualTo(100);
            // nothing to render, so no FFmpeg progress: the stream still learns the end, once
            await().atMost(Duration.ofSeconds(10)).until(() -> percents(postStream, asset.id()).contains(100));
            assertThat(percents(postStream, asset.id())).containsExactly(100);
            assertThat(renders(postStream, asset.id())).singleElement().satisfies(d -> assertThat(d.get("operation").asString()).isEqualTo("renditions"));
        }
    }

    @Test
    void anIntakeCampaignStreamOpensBeforeItHasPostsAndGetsItsRowsRenders() throws Exception {
        UUID campaign = intake.createCampaign(WS, "render progress", null).id();
        String csv = String.join(",", RowChecker.COLUMNS) + "\nR-1,Lamp,Warm light,,,,,https://cdn.example.com/lamp.mp4,tiktok,,,\n";
        intake.importCsv(WS, campaign, new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)), null, "csv");
        AssetView asset = upload(WS);
        // what the hand-off records once it has stored the row's video, before rendering it
        assertThat(jdbc.sql("UPDATE content_rows SET asset_id = :a WHERE campaign_id = :c").param("a", asset.id()).param("c", campaign)
                .update()).isEqualTo(1);

        try (SseClient campaignStream = stream("/api/v1/campaigns/" + campaign + "/events")) {
            renditions.render(WS, asset.id(), Set.of("tiktok"));

            await().atMost(Duration.ofSeconds(20)).until(() -> percents(campaignStream, asset.id()).contains(100));
            assertRisesTo100(percents(campaignStream, asset.id()));
        }
    }

    @Test
    void anotherWorkspacesStreamsNeverSeeTheRenders() throws Exception {
        // the same campaign id in both workspaces, each with a post on its own asset
        UUID campaign = UUID.randomUUID();
        AssetView ours = upload(WS);
        AssetView theirs = upload(OTHER_WS);
        PostView ourPost = post(WS, campaign, ours);
        post(OTHER_WS, campaign, theirs);

        try (SseClient postStream = stream("/api/v1/posts/" + ourPost.id() + "/events");
             SseClient campaignStream = stream("/api/v1/campaigns/" + campaign + "/events")) {
            renditions.render(OTHER_WS, theirs.id(), Set.of("tiktok"));
            // ours renders after theirs, so once ours reached 100 any leaked event of theirs would have arrived before
            renditions.render(WS, ours.id(), Set.of("tiktok"));

            await().atMost(Duration.ofSeconds(20)).until(() -> percents(postStream, ours.id()).contains(100)
                    && percents(campaignStream, ours.id()).contains(100));
            assertThat(percents(postStream, theirs.id())).isEmpty();
            assertThat(percents(campaignStream, theirs.id())).isEmpty();
        }
    }
}
