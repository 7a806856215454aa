package dev.crosspost.publishing.adapter.tiktok;

import dev.crosspost.publishing.PlatformsSettings;
import dev.crosspost.publishing.adapter.MetricsRequest;
import dev.crosspost.publishing.adapter.MetricsResult;
import dev.crosspost.publishing.adapter.http.AdapterHttp;
import dev.crosspost.publishing.adapter.http.HttpMetricsReader;
import dev.crosspost.publishing.adapter.http.MetricsHttp;
import dev.crosspost.publishing.adapter.http.PlatformBaseUrl;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * TikTok video query: {@code POST /v2/video/query/?fields=id,view_count,like_count,comment_count,share_count} with
 * {@code {"filters":{"video_ids":[…]}}}. TikTok leaves videos it does not know out of {@code data.videos}: gone.
 * Errors are {@code error.code}; {@code rate_limit_exceeded} waits a minute unless Retry-After says otherwise.
 */
@Component
public class TikTokMetricsReader extends HttpMetricsReader {

    static final String FIELDS = "id,view_count,like_count,comment_count,share_count";
    private static final Duration RATE_WINDOW = Duration.ofMinutes(1);
    private static final Map<String, String> NAMES = Map.of("view_count", "views", "like_count", "likes", "comment_count", "comments",
            "share_count", "shares");

    @Autowired
    TikTokMetricsReader(PlatformsSettings settings, Environment env, JsonMapper json, Clock clock) {
        this(PlatformBaseUrl.of(settings, env, "tiktok", "/sandbox/tiktok"), AdapterHttp.client(), json, clock);
    }

    /** Against {@code baseUrl} (a stub server in tests). */
    public TikTokMetricsReader(Supplier<String> baseUrl, HttpClient http, JsonMapper json, Clock clock) {
        super("tiktok", "TikTok", baseUrl, http, json, clock);
    }

    @Override
    public MetricsResult fetch(MetricsRequest request) {
        String id = request.platformPostId();
        String body = json.writeValueAsString(Map.of("filters", Map.of("video_ids", List.of(id))));
        HttpRequest post = bearer(baseUrl.get() + "/v2/video/query/?fields=" + FIELDS.replace(",", "%2C"), request)
                .header("Content-Type", "application/json; charset=UTF-8").POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return call(post, null, response -> {
            JsonNode root = AdapterHttp.body(json, response);
            JsonNode error = root.path("error");
            String code = error.path("code").asString("http_" + response.statusCode());
            String message = "TikTok: " + error.path("message").asString("HTTP " + response.statusCode());
            if (code.equals("rate_limit_exceeded")) {
                Duration retryAfter = AdapterHttp.retryAfter(response, clock);
                return new MetricsResult.RetryLater(message, retryAfter != null ? retryAfter : RATE_WINDOW);
            }
            if (response.statusCode() != 200 || !code.equals("ok")) {
                return MetricsHttp.refused("TikTok", response, code + ": " + message);
            }
            for (JsonNode video : root.path("data").path("videos")) {
                if (id.equals(video.path("id").asString())) {
                    return new MetricsResult.Metrics(counts(video, NAMES));
                }
            }
            return root.path("data").path("videos").isArray()
                    ? new MetricsResult.Gone("TikTok: the video " + id + " is not in the creator's videos (deleted or private)")
                    : new MetricsResult.RetryLater("TikTok answered without a list of videos", null);
        });
    }
}
