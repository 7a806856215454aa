package dev.crosspost.publishing.adapter.x;

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
import java.util.function.Supplier;

/**
 * X public metrics: {@code GET /2/tweets?ids=…&tweet.fields=public_metrics}. X answers an unknown or deleted id
 * with 200 and a {@code resource-not-found} entry in {@code errors[]}: that post is gone.
 */
@Component
public class XMetricsReader extends HttpMetricsReader {

    // X's public_metrics field -> Crosspost's name
    private static final Map<String, String> NAMES = Map.of("impression_count", "impressions", "like_count", "likes",
            "retweet_count", "reposts", "reply_count", "replies", "quote_count", "quotes", "bookmark_count", "bookmarks");

    @Autowired
    XMetricsReader(PlatformsSettings settings, Environment env, JsonMapper json, Clock clock) {
        this(PlatformBaseUrl.of(settings, env, XAdapter.PLATFORM, "/sandbox/x"), AdapterHttp.client(), json, clock);
    }

    /** Against {@code baseUrl} (a stub server in tests). */
    public XMetricsReader(Supplier<String> baseUrl, HttpClient http, JsonMapper json, Clock clock) {
        super(XAdapter.PLATFORM, "X", baseUrl, http, json, clock);
    }

    @Override
    public MetricsResult fetch(MetricsRequest request) {
        String id = request.platformPostId();
        HttpRequest get = bearer(baseUrl.get() + "/2/tweets?ids=" + enc(id) + "&tweet.fields=public_metrics", request).GET().build();
        return call(get, "x-rate-limit-reset", response -> {
            JsonNode body = json.readTree(response.body());
            if (response.statusCode() != 200) {
                return MetricsHttp.refused("X", response, body.path("detail").asString(body.path("title").asString("")));
            }
            for (JsonNode tweet : body.path("data")) {
                if (id.equals(tweet.path("id").asString())) {
                    return new MetricsResult.Metrics(counts(tweet.path("public_metrics"), NAMES));
                }
            }
            for (JsonNode error : body.path("errors")) {
                if (error.path("type").asString("").endsWith("/resource-not-found")) {
                    return new MetricsResult.Gone("X: " + error.path("detail").asString("the post was not found"));
                }
            }
            return new MetricsResult.RetryLater("X answered without the post or an error for it", null);
        });
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
