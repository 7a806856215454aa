package dev.crosspost.trends.web;

import dev.crosspost.system.CrosspostException;
import dev.crosspost.trends.CollectorStatus;
import dev.crosspost.trends.Trend;
import dev.crosspost.trends.TrendKind;
import dev.crosspost.trends.TrendWindow;
import dev.crosspost.trends.Trends;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;
import java.util.Map;

/** {@code /api/v1/trends}: trending Bluesky tags or terms over a window, and {@code /status} of the collector. */
@RestController
class TrendsController {

    private final Trends trends;

    TrendsController(Trends trends) {
        this.trends = trends;
    }

    /** One answer: the window and kind asked for, and the trends, most frequent first. */
    record TrendList(String window, String kind, List<Trend> trends) {
    }

    @GetMapping("/api/v1/trends")
    @Operation(summary = "Trending hashtags or terms on Bluesky over a sliding window, with counts and a score against the 24 h rate")
    TrendList list(@Parameter(description = "15m, 1h or 24h") @RequestParam(defaultValue = "1h") String window,
                   @Parameter(description = "tags or terms") @RequestParam(defaultValue = "tags") String kind,
                   @RequestParam(defaultValue = "20") @Min(1) @Max(Trends.MAX_LIMIT) int limit) {
        TrendWindow w = TrendWindow.of(window).orElseThrow(() -> invalid("window", window, "15m, 1h or 24h"));
        TrendKind k = TrendKind.of(kind).orElseThrow(() -> invalid("kind", kind, "tags or terms"));
        return new TrendList(w.label(), k.label(), trends.top(w, k, limit));
    }

    @GetMapping("/api/v1/trends/status")
    @Operation(summary = "Whether the Jetstream collector is connected, its cursor, event counts and lag")
    CollectorStatus status() {
        return trends.status();
    }

    private static CrosspostException invalid(String param, String value, String allowed) {
        String shown = value.length() > 20 ? value.substring(0, 20) + "…" : value;
        return new CrosspostException(CrosspostException.Kind.INVALID, "invalid_" + param,
                param + " must be " + allowed + ", not '" + shown + "'", Map.of("param", param));
    }
}
