package dev.crosspost.publishing.adapter.youtube;

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

import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * YouTube video statistics: {@code GET /youtube/v3/videos?part=statistics&id=…}; the counts come as strings. A
 * deleted or unknown video is simply missing from {@code items}: gone. Quota errors (403 {@code quotaExceeded},
 * {@code rateLimitExceeded}) wait like a 429.
 */
@Component
public class YouTubeMetricsReader extends HttpMetricsReader {

    private static final Map<String, String> NAMES = Map.of("viewCount", "views", "likeCount", "likes", "commentCount", "comments");
    private static final Set<String> QUOTA_REASONS = Set.of("quotaExceeded", "rateLimitExceeded", "userRateLimitExceeded");

    @Autowired
    YouTubeMetricsReader(PlatformsSettings settings, Environment env, JsonMapper json, Clock clock) {
        this(PlatformBaseUrl.of(settings, env, "youtube", "/sandbox/youtube"), AdapterHttp.client(), json, clock);
    }

    /** Against {@code baseUrl} (a stub server in tests). */
    public YouTubeMetricsReader(Supplier<String> baseUrl, HttpClient http, JsonMapper json, Clock clock) {
        super("youtube", "YouTube", baseUrl, http, json, clock);
    }

    @Override
    public MetricsResult fetch(MetricsRequest request) {
        String id = request.platformPostId();
        HttpRequest get = bearer(baseUrl.get() + "/youtube/v3/videos?part=statistics&id=" + URLEncoder.encode(id, StandardCharsets.UTF_8), request)
                .GET().build();
        return call(get, null, response -> {
            JsonNode body = AdapterHttp.body(json, response);
            if (response.statusCode() != 200) {
                JsonNode error = body.path("error");
                String message = error.path("message").asString("HTTP " + response.statusCode());
                if (QUOTA_REASONS.contains(error.path("errors").path(0).path("reason").asString(""))) {
                    return new MetricsResult.RetryLater("YouTube: " + message, AdapterHttp.retryAfter(response, clock));
                }
                return MetricsHttp.refused("YouTube", response, message);
            }
            for (JsonNode item : body.path("items")) {
                if (id.equals(item.path("id").asString())) {
                    return new MetricsResult.Metrics(counts(item.path("statistics"), NAMES));
                }
            }
            // only a list that was read and lacks the video says it is gone; an unreadable answer is asked again
            return body.path("items").isArray() ? new MetricsResult.Gone("YouTube: the video " + id + " is not listed (deleted or private)")
                    : new MetricsResult.RetryLater("YouTube answered without a list of videos", null);
        });
    }
}
