package dev.crosspost.publishing.adapter.bluesky;

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
 * Bluesky like and repost counts: {@code GET /xrpc/app.bsky.feed.getPosts?uris=at://…}, asked of the account's
 * PDS (which proxies it to the AppView) when it has one. A post the AppView does not know is left out of
 * {@code posts}: gone. A 429 waits until {@code RateLimit-Reset}.
 */
@Component
public class BlueskyMetricsReader extends HttpMetricsReader {

    private static final Map<String, String> NAMES = Map.of("likeCount", "likes", "repostCount", "reposts", "replyCount", "replies",
            "quoteCount", "quotes");

    @Autowired
    BlueskyMetricsReader(PlatformsSettings settings, Environment env, JsonMapper json, Clock clock) {
        this(PlatformBaseUrl.of(settings, env, "bluesky", "/sandbox/bluesky"), AdapterHttp.client(), json, clock);
    }

    /** Against {@code baseUrl} (a stub server in tests). */
    public BlueskyMetricsReader(Supplier<String> baseUrl, HttpClient http, JsonMapper json, Clock clock) {
        super("bluesky", "Bluesky", baseUrl, http, json, clock);
    }

    @Override
    public MetricsResult fetch(MetricsRequest request) {
        String uri = request.platformPostId();
        String service = (request.serviceUrl() != null ? request.serviceUrl() : baseUrl.get()).replaceAll("/+$", "");
        HttpRequest get = bearer(service + "/xrpc/app.bsky.feed.getPosts?uris=" + URLEncoder.encode(uri, StandardCharsets.UTF_8), request).GET().build();
        return call(get, "RateLimit-Reset", response -> {
            JsonNode body = AdapterHttp.body(json, response);
            if (response.statusCode() != 200) {
                return MetricsHttp.refused("Bluesky", response, body.path("error").asString("") + " " + body.path("message").asString(""));
            }
            for (JsonNode post : body.path("posts")) {
                if (uri.equals(post.path("uri").asString())) {
                    return new MetricsResult.Metrics(counts(post, NAMES));
                }
            }
            return body.path("posts").isArray() ? new MetricsResult.Gone("Bluesky: the post " + uri + " was not found (deleted)")
                    : new MetricsResult.RetryLater("Bluesky answered without a list of posts", null);
        });
    }
}
