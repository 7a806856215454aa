package dev.crosspost.publishing.adapter.pinterest;

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
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Pinterest pin analytics: {@code GET /v5/pins/{pin_id}/analytics?start_date=…&end_date=…&metric_types=…} over
 * Pinterest's longest window (90 days back to today); {@code all.lifetime_metrics} when given, else
 * {@code all.summary_metrics}. A 404 (pin deleted) is gone.
 */
@Component
public class PinterestMetricsReader extends HttpMetricsReader {

    static final String METRIC_TYPES = "IMPRESSION,SAVE,PIN_CLICK,OUTBOUND_CLICK";
    private static final int MAX_DAYS = 90;
    private static final Map<String, String> NAMES = Map.of("IMPRESSION", "impressions", "SAVE", "saves", "PIN_CLICK", "clicks",
            "OUTBOUND_CLICK", "outbound_clicks");

    @Autowired
    PinterestMetricsReader(PlatformsSettings settings, Environment env, JsonMapper json, Clock clock) {
        this(PlatformBaseUrl.of(settings, env, "pinterest", "/sandbox/pinterest"), AdapterHttp.client(), json, clock);
    }

    /** Against {@code baseUrl} (a stub server in tests). */
    public PinterestMetricsReader(Supplier<String> baseUrl, HttpClient http, JsonMapper json, Clock clock) {
        super("pinterest", "Pinterest", baseUrl, http, json, clock);
    }

    @Override
    public MetricsResult fetch(MetricsRequest request) {
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        String path = "/v5/pins/" + URLEncoder.encode(request.platformPostId(), StandardCharsets.UTF_8) + "/analytics?start_date="
                + today.minusDays(MAX_DAYS) + "&end_date=" + today + "&metric_types=" + METRIC_TYPES.replace(",", "%2C");
        HttpRequest get = bearer(baseUrl.get() + path, request).GET().build();
        return call(get, null, response -> {
            JsonNode body = AdapterHttp.body(json, response);
            if (response.statusCode() != 200) {
                return MetricsHttp.refused("Pinterest", response, body.path("message").asString(""));
            }
            JsonNode all = body.path("all");
            JsonNode metrics = all.path("lifetime_metrics").isObject() ? all.path("lifetime_metrics") : all.path("summary_metrics");
            return new MetricsResult.Metrics(counts(metrics, NAMES));
        });
    }
}
