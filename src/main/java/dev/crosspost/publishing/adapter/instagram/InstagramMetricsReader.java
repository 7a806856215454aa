package dev.crosspost.publishing.adapter.instagram;

import dev.crosspost.publishing.PlatformsSettings;
import dev.crosspost.publishing.adapter.MetricsRequest;
import dev.crosspost.publishing.adapter.MetricsResult;
import dev.crosspost.publishing.adapter.StepResult;
import dev.crosspost.publishing.adapter.http.AdapterHttp;
import dev.crosspost.publishing.adapter.http.HttpMetricsReader;
import dev.crosspost.publishing.adapter.http.MetricsHttp;
import dev.crosspost.publishing.adapter.http.PlatformBaseUrl;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Instagram media insights: {@code GET /{version}/{ig-media-id}/insights?metric=views,reach,likes,comments,shares,saved}.
 * Errors come in Graph's envelope: throttling (codes 4, 17, 32, 613, 80002) waits as the usage header says, an
 * unknown object (code 100, subcode 33) is gone.
 */
@Component
public class InstagramMetricsReader extends HttpMetricsReader {

    static final String METRICS = "views,reach,likes,comments,shares,saved";
    private static final int UNKNOWN_OBJECT_SUBCODE = 33;
    // Instagram's metric -> Crosspost's name
    private static final Map<String, String> NAMES = Map.of("views", "views", "reach", "reach", "likes", "likes",
            "comments", "comments", "shares", "shares", "saved", "saves");

    private final String graphVersion;
    private final GraphErrors errors;

    @Autowired
    InstagramMetricsReader(PlatformsSettings platforms, Environment env, JsonMapper json, Clock clock, InstagramSettings settings) {
        this(PlatformBaseUrl.of(platforms, env, "instagram", "/sandbox/instagram"), AdapterHttp.client(), json, clock, settings.graphVersion());
    }

    /** Against {@code baseUrl} (a stub server in tests), on Graph API {@code graphVersion} (e.g. {@code v21.0}). */
    public InstagramMetricsReader(Supplier<String> baseUrl, HttpClient http, JsonMapper json, Clock clock, String graphVersion) {
        super("instagram", "Instagram", baseUrl, http, json, clock);
        this.graphVersion = graphVersion;
        this.errors = new GraphErrors(json, clock);
    }

    @Override
    public MetricsResult fetch(MetricsRequest request) {
        String path = "/" + graphVersion + "/" + URLEncoder.encode(request.platformPostId(), StandardCharsets.UTF_8).replace("+", "%20")
                + "/insights?metric=" + URLEncoder.encode(METRICS, StandardCharsets.UTF_8)
                + "&access_token=" + URLEncoder.encode(request.accessToken(), StandardCharsets.UTF_8);
        HttpRequest get = HttpRequest.newBuilder(URI.create(baseUrl.get() + path)).timeout(request.timeout()).GET().build();
        return call(get, null, response -> {
            if (response.statusCode() != 200) {
                return failure(response);
            }
            Map<String, Long> counts = new LinkedHashMap<>();
            for (JsonNode metric : json.readTree(response.body()).path("data")) {
                String name = NAMES.get(metric.path("name").asString(""));
                if (name != null) {
                    JsonNode total = metric.path("total_value").path("value");
                    counts.put(name, MetricsHttp.count(total.isMissingNode() ? metric.path("values").path(0).path("value") : total));
                }
            }
            return new MetricsResult.Metrics(counts);
        });
    }

    private MetricsResult failure(java.net.http.HttpResponse<String> response) {
        JsonNode error = AdapterHttp.body(json, response).path("error");
        if (error.path("error_subcode").asInt(0) == UNKNOWN_OBJECT_SUBCODE) {
            return new MetricsResult.Gone("Instagram: " + error.path("message").asString("the media does not exist"));
        }
        return switch (errors.failure(response)) {
            case StepResult.RetryLater r -> new MetricsResult.RetryLater(r.reason(), r.retryAfter());
            case StepResult.NeedsReconnect r -> new MetricsResult.RetryLater(r.reason(), null);
            case StepResult.Rejected r -> new MetricsResult.RetryLater(r.reason(), null);
            case StepResult.Done d -> new MetricsResult.RetryLater("Instagram answered HTTP " + response.statusCode(), null);
            case StepResult.OutcomeUnknown u -> new MetricsResult.RetryLater(u.reason(), null);
        };
    }
}
