package dev.crosspost.publishing.adapter.http;

import dev.crosspost.publishing.adapter.MetricsResult;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Function;

/** What every metrics reader shares: one GET or POST, the common error classes, and reading a count. */
public final class MetricsHttp {

    private MetricsHttp() {
    }

    /**
     * Sends the read and maps what all platforms share: an I/O failure, a 429 (waiting until {@code resetHeader}, an
     * epoch-seconds reset, when given, else {@code Retry-After}) or a 5xx is {@code RetryLater}, 404 and 410 are
     * {@code Gone}; every other answer goes to {@code read}, whose unreadable JSON is {@code RetryLater} too.
     */
    public static MetricsResult call(HttpClient http, HttpRequest request, String platform, @Nullable String resetHeader, Clock clock,
                                     Function<HttpResponse<String>, MetricsResult> read) {
        HttpResponse<String> response;
        try {
            response = AdapterHttp.send(http, request);
        } catch (IOException e) {
            return new MetricsResult.RetryLater(platform + " metrics lookup failed: " + e.getClass().getSimpleName(), null);
        }
        int status = response.statusCode();
        if (status == 429) {
            Duration wait = resetHeader != null ? AdapterHttp.untilEpochSeconds(response, resetHeader, clock) : null;
            return new MetricsResult.RetryLater(platform + " rate limit (HTTP 429)", wait != null ? wait : AdapterHttp.retryAfter(response, clock));
        }
        if (status >= 500) {
            return new MetricsResult.RetryLater(platform + " answered HTTP " + status, AdapterHttp.retryAfter(response, clock));
        }
        if (status == 404 || status == 410) {
            return new MetricsResult.Gone(platform + ": the post is gone (HTTP " + status + ")");
        }
        try {
            return read.apply(response);
        } catch (RuntimeException e) {
            return new MetricsResult.RetryLater(platform + " answered unreadable metrics (HTTP " + status + ")", null);
        }
    }

    /** Any other refusal (401, 403, 400): asked again with backoff, in the platform's words. */
    public static MetricsResult refused(String platform, HttpResponse<String> response, String message) {
        return new MetricsResult.RetryLater(platform + " refused the metrics lookup (HTTP " + response.statusCode() + "): " + message, null);
    }

    /** A count given as a number or as a numeric string (YouTube's), else 0. */
    public static long count(JsonNode node) {
        if (node.isNumber()) {
            return node.asLong();
        }
        if (node.isString()) {
            try {
                return Long.parseLong(node.asString().strip());
            } catch (NumberFormatException e) {
                return 0;
            }
        }
        return 0;
    }
}
