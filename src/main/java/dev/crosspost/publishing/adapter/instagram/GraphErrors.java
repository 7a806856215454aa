package dev.crosspost.publishing.adapter.instagram;

import dev.crosspost.publishing.adapter.ErrorClass;
import dev.crosspost.publishing.adapter.StepResult;
import dev.crosspost.publishing.adapter.http.AdapterHttp;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;

/** Reads Instagram's error answers (Graph and rupload) into the engine's classes, keeping Instagram's own words. */
final class GraphErrors {

    // Graph error codes of throttling: app, user, page, custom, Instagram account (BUC)
    private static final Set<Integer> THROTTLE_CODES = Set.of(4, 17, 32, 613, 80002);
    private static final int INVALID_TOKEN = 190;
    private static final int NOT_READY_SUBCODE = 2207027;
    private static final int PUBLISH_LIMIT_SUBCODE = 2207042;

    private final JsonMapper json;
    private final Clock clock;

    GraphErrors(JsonMapper json, Clock clock) {
        this.json = json;
        this.clock = clock;
    }

    /** Maps a Graph error ({@code {"error":{"message","code","error_subcode","is_transient",…}}}) to the engine's classes. */
    StepResult failure(HttpResponse<String> response) {
        int status = response.statusCode();
        JsonNode error = errorOf(response.body()).path("error");
        int code = error.path("code").asInt(0);
        int subcode = error.path("error_subcode").asInt(0);
        String userMessage = error.path("error_user_msg").asString("");
        String message = "Instagram: " + (!userMessage.isBlank() ? userMessage : error.path("message").asString("HTTP " + status));
        if (code == INVALID_TOKEN || status == 401) {
            return new StepResult.NeedsReconnect(message);
        }
        if (THROTTLE_CODES.contains(code) || subcode == PUBLISH_LIMIT_SUBCODE || status == 429) {
            return new StepResult.RetryLater(ErrorClass.RATE_LIMITED, regainAccess(response), message, status);
        }
        if (subcode == NOT_READY_SUBCODE) {
            return new StepResult.RetryLater(ErrorClass.PROCESSING, Duration.ofSeconds(2), message, status);
        }
        if (status >= 500 || error.path("is_transient").asBoolean(false) || code == 1 || code == 2 || code == -1 || code == -2) {
            return new StepResult.RetryLater(ErrorClass.TRANSIENT, AdapterHttp.retryAfter(response, clock), message, status);
        }
        return new StepResult.Rejected(subcode != 0 ? "ig_" + subcode : "ig_" + (error.isMissingNode() ? "http_" + status : code), message, status);
    }

    /** rupload answers {@code {"debug_info":{"retriable","type","message"}}}. */
    StepResult uploadFailure(HttpResponse<String> response) {
        int status = response.statusCode();
        if (status == 401 || status == 403) {
            return new StepResult.NeedsReconnect("Instagram: the upload was not authorized (HTTP " + status + ")");
        }
        JsonNode info = errorOf(response.body()).path("debug_info");
        String message = "Instagram: upload failed: " + info.path("message").asString("HTTP " + status);
        if (status == 429) {
            return new StepResult.RetryLater(ErrorClass.RATE_LIMITED, AdapterHttp.retryAfter(response, clock), message, status);
        }
        if (status >= 500 || info.path("retriable").asBoolean(false)) {
            return new StepResult.RetryLater(ErrorClass.TRANSIENT, AdapterHttp.retryAfter(response, clock), message, status);
        }
        return new StepResult.Rejected("upload_" + info.path("type").asString("failed"), message, status);
    }

    /** The longest {@code estimated_time_to_regain_access} (minutes) in {@code X-Business-Use-Case-Usage}. */
    private @Nullable Duration regainAccess(HttpResponse<String> response) {
        var header = response.headers().firstValue("X-Business-Use-Case-Usage");
        if (header.isEmpty()) {
            return AdapterHttp.retryAfter(response, clock);
        }
        long minutes = 0;
        for (JsonNode entries : errorOf(header.get())) {
            for (JsonNode entry : entries) {
                minutes = Math.max(minutes, entry.path("estimated_time_to_regain_access").asLong(0));
            }
        }
        return minutes > 0 ? Duration.ofMinutes(minutes) : AdapterHttp.retryAfter(response, clock);
    }

    private JsonNode errorOf(String body) {
        try {
            return json.readTree(body);
        } catch (RuntimeException e) {
            return json.createObjectNode();
        }
    }
}
