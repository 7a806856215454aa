package dev.crosspost.generation;

import dev.crosspost.intake.ContentPrepared;
import dev.crosspost.generation.internal.Credits;
import dev.crosspost.intake.ContentAccepted;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * From {@code ContentAccepted} to {@code ContentPrepared} against the OpenAI and HeyGen simulators: model captions
 * within limits, the cache, retries and fallbacks, HeyGen's errors in its own words, and credits reserved,
 * committed or refunded.
 */
@GenerationTestSetup
class GenerationIntegrationTests {

    @LocalServerPort int port;
    @Autowired ApplicationEventPublisher events;
    @Autowired TransactionTemplate tx;
    @Autowired JdbcClient jdbc;
    @Autowired Credits credits;
    @Autowired GenerationTestSetup.Prepared prepared;
    private final HttpClient http = HttpClient.newHttpClient();

    private UUID workspaceWith(long balance) {
        UUID workspace = UUID.randomUUID();
        if (balance > 0) {
            credits.grantOnce(workspace, balance, "test");
        }
        return workspace;
    }

    private ContentAccepted content(UUID workspace, String title, String videoUrl) {
        return new ContentAccepted(workspace, UUID.randomUUID(), UUID.randomUUID(), "P-" + title.hashCode(), title,
                "Lightweight trail shoe with a grippy outsole, 240 g per shoe.", new BigDecimal("129.00"), "USD",
                "https://shop.example.com/p/trail-runner-2", null, videoUrl, List.of("x", "instagram", "youtube", "bluesky"),
                List.of("running", "trail"), null, null);
    }

    private ContentPrepared accept(ContentAccepted content) {
        tx.executeWithoutResult(s -> events.publishEvent(content));
        await().atMost(Duration.ofSeconds(60)).until(() -> prepared.byContent.containsKey(content.contentId()));
        return prepared.byContent.get(content.contentId());
    }

    private String sandbox(String method, String path, String body) throws Exception {
        var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString()).body();
    }

    private int completions() throws Exception {
        return Integer.parseInt(sandbox("GET", "/sandbox/openai/stats", null).replaceAll("\\D", ""));
    }

    private List<String> ledgerKinds(UUID workspace) {
        return credits.ledger(workspace, null, 100).reversed().stream().map(m -> m.kind() + " " + m.amount()).toList();
    }

    @Test
    void modelCaptionsAndAnAvatarVideoAreMadeAndPaidFor() throws Exception {
        UUID workspace = workspaceWith(100);
        ContentPrepared result = accept(content(workspace, "Trail Runner " + UUID.randomUUID(), null));

        assertThat(result.failure()).isNull();
        assertThat(result.captions()).containsOnlyKeys("x", "instagram", "youtube", "bluesky");
        result.captions().values().forEach(c -> {
            assertThat(c.writer()).isEqualTo("sandbox-model@127.0.0.1");
            // the simulator answers in a code fence with markdown, like real models do
            assertThat(c.text()).doesNotContain("**", "```").contains("Trail Runner");
        });
        assertThat(result.captions().get("x").text()).contains("https://shop.example.com/p/trail-runner-2", "#running");
        assertThat(result.captions().get("youtube").text().lines().findFirst().orElseThrow()).endsWith("| youtube");

        ContentPrepared.Video video = result.video();
        assertThat(video).isNotNull();
        assertThat(video.maker()).isEqualTo("heygen");
        assertThat(video.contentType()).isEqualTo("video/mp4");
        Path file = Path.of(URI.create(video.location()));
        assertThat(Files.size(file)).isEqualTo(video.sizeBytes()).isPositive();
        assertThat(credits.balance(workspace)).isEqualTo(100 - 1 - 5);
        assertThat(ledgerKinds(workspace)).containsExactly("grant 100", "reserve -1", "commit 0", "reserve -5", "commit 0");
        assertThat(jdbc.sql("SELECT state FROM generation_jobs WHERE content_id = :id").param("id", result.contentId())
                .query(String.class).single()).isEqualTo("done");
    }

    @Test
    void identicalContentIsCaptionedFromTheCacheWithoutAModelCallOrCharge() throws Exception {
        String title = "Pour-Over " + UUID.randomUUID();
        UUID first = workspaceWith(100);
        accept(content(first, title, "https://cdn.example.com/v/pour-over.mp4"));
        int calls = completions();

        UUID second = workspaceWith(100);
        ContentPrepared again = accept(content(second, title, "https://cdn.example.com/v/pour-over.mp4"));

        assertThat(completions()).isEqualTo(calls);
        assertThat(again.captions().get("x").writer()).isEqualTo("sandbox-model@127.0.0.1");
        // the row's own video is used as it is: no HeyGen, no charge
        assertThat(again.video().maker()).isEqualTo("source");
        assertThat(again.video().location()).isEqualTo("https://cdn.example.com/v/pour-over.mp4");
        assertThat(credits.balance(second)).isEqualTo(100);
    }

    @Test
    void aRateLimitedModelIsRetriedAfterItsRetryAfter() throws Exception {
        sandbox("POST", "/sandbox/openai/script", "[{\"status\":429,\"retryAfter\":1}]");
        UUID workspace = workspaceWith(100);
        ContentPrepared result = accept(content(workspace, "Halo Lamp " + UUID.randomUUID(), "https://cdn.example.com/v/halo.mp4"));

        assertThat(result.captions().get("bluesky").writer()).isEqualTo("sandbox-model@127.0.0.1");
        assertThat(ledgerKinds(workspace)).containsExactly("grant 100", "reserve -1", "commit 0");
    }

    @Test
    void aFailingModelFallsBackToTheTemplateAndRefunds() throws Exception {
        sandbox("POST", "/sandbox/openai/script", "[{\"status\":500},{\"status\":503},{\"status\":500}]");
        UUID workspace = workspaceWith(100);
        ContentPrepared result = accept(content(workspace, "Beanie " + UUID.randomUUID(), "https://cdn.example.com/v/beanie.mp4"));

        assertThat(result.failure()).isNull();
        assertThat(result.captions().values()).allSatisfy(c -> assertThat(c.writer()).isEqualTo("template"));
        assertThat(credits.balance(workspace)).isEqualTo(100);
        assertThat(ledgerKinds(workspace)).containsExactly("grant 100", "reserve -1", "refund 1");
    }

    @Test
    void heygenRefusalsAreSurfacedInHeygensWordsAndRefunded() throws Exception {
        sandbox("POST", "/sandbox/heygen/script",
                "[{\"kind\":\"generate_error\",\"status\":400,\"code\":\"avatar_not_found\",\"message\":\"avatar look Daisy is not available\"}]");
        UUID workspace = workspaceWith(100);
        ContentPrepared refused = accept(content(workspace, "Bottle " + UUID.randomUUID(), null));

        assertThat(refused.failure()).isEqualTo("HeyGen refused the video: avatar_not_found: avatar look Daisy is not available");
        assertThat(refused.video()).isNull();
        assertThat(refused.captions()).containsKey("x");
        assertThat(credits.balance(workspace)).isEqualTo(100 - 1);

        sandbox("POST", "/sandbox/heygen/script", "[{\"kind\":\"render_failure\",\"code\":\"400140\",\"message\":\"voice could not be synthesised\"}]");
        UUID other = workspaceWith(100);
        ContentPrepared failed = accept(content(other, "Mat " + UUID.randomUUID(), null));

        assertThat(failed.failure()).isEqualTo("HeyGen could not render the video: 400140: voice could not be synthesised");
        assertThat(ledgerKinds(other)).containsExactly("grant 100", "reserve -1", "commit 0", "reserve -5", "refund 5");
    }

    @Test
    void aRateLimitedHeygenIsRetriedAndChargedOnce() throws Exception {
        sandbox("POST", "/sandbox/heygen/script", "[{\"kind\":\"generate_error\",\"status\":429,\"code\":\"rate_limit_exceeded\",\"message\":\"Too many requests\"}]");
        UUID workspace = workspaceWith(100);
        ContentPrepared result = accept(content(workspace, "Tent " + UUID.randomUUID(), null));

        assertThat(result.failure()).isNull();
        assertThat(result.video().maker()).isEqualTo("heygen");
        assertThat(ledgerKinds(workspace)).containsExactly("grant 100", "reserve -1", "commit 0", "reserve -5", "commit 0");
    }

    @Test
    void withoutCreditsNothingIsGeneratedAndTheReasonIsPublished() {
        UUID broke = workspaceWith(0);
        ContentPrepared result = accept(content(broke, "Kettle " + UUID.randomUUID(), null));

        assertThat(result.failure()).isEqualTo("out of credits: captions costs 1, the balance is 0");
        assertThat(result.captions()).isEmpty();
        assertThat(result.video()).isNull();
        assertThat(credits.ledger(broke, null, 10)).isEmpty();
    }

    @Test
    void theApiShowsEachCaptionsWriterOnlyToItsOwnWorkspace() throws Exception {
        ContentPrepared mine = accept(content(dev.crosspost.system.Workspaces.SANDBOX, "Lamp " + UUID.randomUUID(), "https://cdn.example.com/v/l.mp4"));
        ContentPrepared theirs = accept(content(workspaceWith(100), "Lamp " + UUID.randomUUID(), "https://cdn.example.com/v/l.mp4"));

        var json = tools.jackson.databind.json.JsonMapper.builder().build();
        var response = http.send(dev.crosspost.support.TestApi.request(port, "/api/v1/generations/" + mine.contentId()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        var view = json.readTree(response.body());
        assertThat(view.get("state").asString()).isEqualTo("done");
        assertThat(view.at("/captions/x/writer").asString()).isEqualTo("sandbox-model@127.0.0.1");
        assertThat(view.at("/captions/x/text").asString()).isEqualTo(mine.captions().get("x").text());
        assertThat(view.at("/video/maker").asString()).isEqualTo("source");

        var other = http.send(dev.crosspost.support.TestApi.request(port, "/api/v1/generations/" + theirs.contentId()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(other.statusCode()).isEqualTo(404);
        assertThat(other.body()).doesNotContain(theirs.captions().get("x").text());
    }

    @Test
    void aRedeliveredEventGeneratesOnce() {
        UUID workspace = workspaceWith(100);
        ContentAccepted content = content(workspace, "Socks " + UUID.randomUUID(), "https://cdn.example.com/v/socks.mp4");
        accept(content);
        tx.executeWithoutResult(s -> events.publishEvent(content));

        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).until(() -> credits.ledger(workspace, null, 100).size() == 3);
        assertThat(jdbc.sql("SELECT count(*) FROM generation_jobs WHERE content_id = :id").param("id", content.contentId())
                .query(Integer.class).single()).isEqualTo(1);
    }
}
