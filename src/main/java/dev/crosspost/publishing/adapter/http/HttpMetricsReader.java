package dev.crosspost.publishing.adapter.http;

import dev.crosspost.publishing.adapter.MetricsRequest;
import dev.crosspost.publishing.adapter.MetricsResult;
import dev.crosspost.publishing.adapter.PostMetricsReader;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/** What the platforms' metrics readers share: where they call, how, and how a platform's counts get Crosspost's names. */
public abstract class HttpMetricsReader implements PostMetricsReader {

    protected final Supplier<String> baseUrl;
    protected final JsonMapper json;
    protected final Clock clock;
    private final String platform;
    private final String label;
    private final HttpClient http;

    /** @param label the platform's name in messages, e.g. {@code YouTube} */
    protected HttpMetricsReader(String platform, String label, Supplier<String> baseUrl, HttpClient http, JsonMapper json, Clock clock) {
        this.platform = platform;
        this.label = label;
        this.baseUrl = baseUrl;
        this.http = http;
        this.json = json;
        this.clock = clock;
    }

    @Override
    public String platform() {
        return platform;
    }

    /** A request to {@code url} with the account's bearer token and the call's timeout. */
    protected static HttpRequest.Builder bearer(String url, MetricsRequest request) {
        return HttpRequest.newBuilder(URI.create(url)).timeout(request.timeout()).header("Authorization", "Bearer " + request.accessToken());
    }

    /** Sends it, mapping the shared answers ({@link MetricsHttp#call}); {@code read} judges the rest. */
    protected MetricsResult call(HttpRequest request, @Nullable String resetHeader, Function<HttpResponse<String>, MetricsResult> read) {
        return MetricsHttp.call(http, request, label, resetHeader, clock, read);
    }

    /** The fields of {@code node} named in {@code names} (the platform's name to Crosspost's), those present. */
    protected static Map<String, Long> counts(JsonNode node, Map<String, String> names) {
        Map<String, Long> counts = new LinkedHashMap<>();
        names.forEach((field, name) -> {
            if (node.has(field)) {
                counts.put(name, MetricsHttp.count(node.path(field)));
            }
        });
        return counts;
    }
}
