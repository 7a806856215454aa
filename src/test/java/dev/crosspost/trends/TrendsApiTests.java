package dev.crosspost.trends;

import dev.crosspost.support.CrosspostIntegrationTest;
import dev.crosspost.support.TestApi;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@code /api/v1/trends} on the app whose own collector reads its own Jetstream simulator. */
@CrosspostIntegrationTest
@TestPropertySource(properties = "crosspost.trends.enabled=true")
class TrendsApiTests {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @LocalServerPort
    int port;

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HTTP.send(TestApi.request(port, path).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void listsTheSampleTagsMostFrequentFirst() {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            HttpResponse<String> response = get("/api/v1/trends?window=15m&kind=tags&limit=3");
            assertThat(response.statusCode()).isEqualTo(200);
            // #bluesky is the sample's most used tag
            assertThat(response.body()).startsWith("{\"window\":\"15m\",\"kind\":\"tags\",\"trends\":[{\"key\":\"bluesky\",\"count\":");
        });
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(get("/api/v1/trends?window=24h&kind=terms&limit=100").body()).contains("\"key\":\"sunset\"").doesNotContain("\"key\":\"the\""));
    }

    @Test
    void statusShowsTheCollector() throws Exception {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            String body = get("/api/v1/trends/status").body();
            assertThat(body).contains("\"enabled\":true", "\"connected\":true", "\"dropped\":0").containsPattern("\"cursor\":\\d+");
        });
    }

    @Test
    void refusesBadParametersWithProblems() throws Exception {
        for (String query : new String[] {"window=2h", "kind=people", "limit=0", "limit=101", "limit=ten"}) {
            HttpResponse<String> response = get("/api/v1/trends?" + query);
            assertThat(response.statusCode()).as(query).isEqualTo(400);
            assertThat(response.headers().firstValue("Content-Type")).as(query).hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
        }
        assertThat(get("/api/v1/trends?window=2h").body()).contains("invalid_window");
    }

    @Test
    void needsACaller() throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(TestApi.uri(port, "/api/v1/trends")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(401);
    }

    @Test
    void theDashboardPanelShowsTheTopTags() {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            HttpResponse<String> page = get("/app/trends?window=15m");
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body()).contains("Trending on Bluesky", "Hashtags, last 15m", "data-key=\"bluesky\"", "connected");
        });
    }

    @Test
    void exportsTheCollectorMetrics() {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            String metrics = get("/actuator/prometheus").body();
            assertThat(metrics).contains("crosspost_jetstream_dropped_total", "crosspost_jetstream_lag_seconds")
                    .containsPattern("crosspost_jetstream_received_total\\{[^}]*\\} [1-9]")
                    .containsPattern("crosspost_jetstream_processed_total\\{[^}]*\\} [1-9]");
        });
    }
}
