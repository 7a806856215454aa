package dev.crosspost.publishing.adapter;

import dev.crosspost.media.internal.TestMedia;
import dev.crosspost.sandbox.SandboxRecords;
import dev.crosspost.support.CrosspostIntegrationTest;
import dev.crosspost.support.TestApi;
import dev.crosspost.system.SystemSettings;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A post through the API naming an uploaded video: each platform's preflight judges the probed asset. */
@CrosspostIntegrationTest
@XBlueskyEndToEnd
class PreflightApiIntegrationTests {

    @LocalServerPort int port;
    @Autowired SystemSettings system;
    @Autowired SandboxRecords records;

    private final HttpClient http = HttpClient.newHttpClient();
    private final JsonMapper json = JsonMapper.builder().build();

    @Test
    void anAssetOverOnePlatformsLimitFailsThereInItsWordsWhileTheOthersPublish() throws Exception {
        // 4:1 is wider than X allows (3:1) and fine for Bluesky
        Path video = TestMedia.video(Files.createDirectories(system.dataDir().resolve("preflight-test")), "wide-" + UUID.randomUUID() + ".mp4",
                1280, 320, 2, 48_000);
        JsonNode asset = ok(http.send(TestApi.request(port, "/api/v1/assets?filename=wide.mp4").header("Content-Type", "video/mp4")
                .POST(HttpRequest.BodyPublishers.ofFile(video)).build(), HttpResponse.BodyHandlers.ofString()), 201);
        String text = "A wide teaser " + UUID.randomUUID();
        JsonNode post = ok(http.send(TestApi.request(port, "/api/v1/posts").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(json.createObjectNode().put("text", text)
                        .<tools.jackson.databind.node.ObjectNode>set("media", json.createArrayNode().add(asset.get("id").asString()))
                        .set("targets", json.createArrayNode().add(json.createObjectNode().put("platform", "x"))
                                .add(json.createObjectNode().put("platform", "bluesky"))))))
                .build(), HttpResponse.BodyHandlers.ofString()), 201);
        assertThat(post.get("warnings")).singleElement().satisfies(w -> {
            assertThat(w.get("platform").asString()).isEqualTo("x");
            assertThat(w.get("code").asString()).isEqualTo("media_aspect");
        });

        JsonNode settled = settled(post.get("id").asString());

        JsonNode x = publication(settled, "x");
        assertThat(x.get("state").asString()).isEqualTo("failed");
        assertThat(x.path("error").path("code").asString()).isEqualTo("media_aspect");
        assertThat(x.path("error").path("message").asString())
                .isEqualTo("X: video aspect ratio 4:1 is not allowed for a video post (allowed from 1:3 to 3:1)");
        assertThat(records.accepted("x")).noneSatisfy(r -> assertThat(r.text()).contains(text));
        JsonNode bluesky = publication(settled, "bluesky");
        assertThat(bluesky.get("state").asString()).isEqualTo("published");
        assertThat(bluesky.get("platformUrl").asString()).startsWith("https://bsky.app/");
    }

    @Test
    void theCreateAnswerWarnsOfEveryTargetItsPlatformWillRefuseInTheWordsItsPublicationFailsWith() throws Exception {
        // 290 characters: over X's 280, within Bluesky's 300; no video for the four video platforms
        String text = ("Launch day " + UUID.randomUUID() + " ").repeat(7).substring(0, 290);
        var targets = json.createArrayNode();
        for (String platform : new String[]{"x", "bluesky", "instagram", "youtube", "tiktok", "pinterest"}) {
            targets.add(json.createObjectNode().put("platform", platform));
        }
        JsonNode created = ok(http.send(TestApi.request(port, "/api/v1/posts").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(json.createObjectNode().put("text", text)
                        .set("targets", targets)))).build(), HttpResponse.BodyHandlers.ofString()), 201);

        assertThat(created.get("id").asString()).isNotBlank();
        assertThat(created.get("publications")).hasSize(6);
        java.util.Map<String, JsonNode> warnings = new java.util.TreeMap<>();
        created.get("warnings").forEach(w -> warnings.put(w.get("platform").asString(), w));
        assertThat(warnings).containsOnlyKeys("x", "instagram", "youtube", "tiktok", "pinterest");
        assertThat(warnings.get("x").get("code").asString()).isEqualTo("text_too_long");
        assertThat(warnings.get("x").get("message").asString()).isEqualTo("X: the text is 290 characters long (URLs count 23); the limit is 280");
        assertThat(warnings.get("x").get("accountId").asString()).isEqualTo("sandbox-x");

        JsonNode settled = settled(created.get("id").asString());
        warnings.forEach((platform, warning) -> {
            JsonNode p = publication(settled, platform);
            assertThat(p.get("state").asString()).as(platform).isEqualTo("failed");
            assertThat(p.path("error").path("code").asString()).as(platform).isEqualTo(warning.get("code").asString());
            assertThat(p.path("error").path("message").asString()).as(platform).isEqualTo(warning.get("message").asString());
        });
        assertThat(publication(settled, "bluesky").get("state").asString()).isEqualTo("published");
    }

    /** The post over the API once every platform has its outcome. */
    private JsonNode settled(String postId) throws Exception {
        String path = "/api/v1/posts/" + postId;
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> ok(http.send(TestApi.request(port, path).build(), HttpResponse.BodyHandlers.ofString()), 200)
                        .path("summary").path("settled").asBoolean());
        return ok(http.send(TestApi.request(port, path).build(), HttpResponse.BodyHandlers.ofString()), 200);
    }

    private JsonNode publication(JsonNode post, String platform) {
        for (JsonNode p : post.path("publications")) {
            if (platform.equals(p.path("platform").asString())) {
                return p;
            }
        }
        throw new AssertionError("no " + platform + " publication in " + post);
    }

    private JsonNode ok(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        return json.readTree(response.body());
    }
}
