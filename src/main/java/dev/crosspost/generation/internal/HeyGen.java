package dev.crosspost.generation.internal;

import dev.crosspost.system.LocalOrigin;
import dev.crosspost.generation.GenerationSettings;
import org.jspecify.annotations.Nullable;
import org.springframework.core.env.Environment;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** HeyGen v2: start an avatar video, then read its status. Every error keeps HeyGen's own code and message. */
final class HeyGen {

    /** What one call gave. */
    sealed interface Reply {
        record Started(String videoId) implements Reply {
        }

        /** @param status {@code pending}, {@code processing}, {@code waiting}, {@code completed} or {@code failed} */
        record Status(String status, @Nullable String videoUrl, @Nullable String error) implements Reply {
        }

        record Failure(int httpStatus, String message, boolean retryable, @Nullable Duration retryAfter) implements Reply {
        }
    }

    static final int MAX_SCRIPT = 1500;

    private final HttpClient http;
    private final JsonMapper json;
    private final GenerationSettings.HeyGen settings;
    private final Environment env;

    HeyGen(HttpClient http, JsonMapper json, GenerationSettings.HeyGen settings, Environment env) {
        this.http = http;
        this.json = json;
        this.settings = settings;
        this.env = env;
    }

    String baseUrl() {
        if (settings.baseUrl() != null) {
            return settings.baseUrl().replaceAll("/+$", "");
        }
        return LocalOrigin.of(env) + "/sandbox/heygen";
    }

    /** A vertical 1080×1920 avatar video reading {@code script}; {@code callbackId} names our content row. */
    Reply generate(String title, String script, String callbackId) {
        ObjectNode body = json.createObjectNode();
        ObjectNode input = body.putArray("video_inputs").addObject();
        input.putObject("character").put("type", "avatar").put("avatar_id", settings.avatarId()).put("avatar_style", "normal");
        input.putObject("voice").put("type", "text").put("input_text", script).put("voice_id", settings.voiceId()).put("speed", 1.0);
        body.putObject("dimension").put("width", 1080).put("height", 1920);
        body.put("title", title.length() > 100 ? title.substring(0, 100) : title);
        body.put("callback_id", callbackId);
        Object result = send(HttpRequest.newBuilder(URI.create(baseUrl() + "/v2/video/generate"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body))));
        if (result instanceof Reply.Failure f) {
            return f;
        }
        JsonNode data = ((JsonNode) result).path("data");
        String id = data.path("video_id").asString("");
        return id.isBlank() ? new Reply.Failure(200, "HeyGen answered without a video_id", true, null) : new Reply.Started(id);
    }

    Reply status(String videoId) {
        Object result = send(HttpRequest.newBuilder(URI.create(baseUrl() + "/v1/video_status.get?video_id="
                + URLEncoder.encode(videoId, StandardCharsets.UTF_8))).GET());
        if (result instanceof Reply.Failure f) {
            return f;
        }
        JsonNode data = ((JsonNode) result).path("data");
        JsonNode error = data.path("error");
        String why = null;
        if (error.isObject()) {
            why = join(error.path("code").asString(""), error.path("message").asString(error.path("detail").asString("")));
        } else if (error.isString() && !error.asString().isBlank()) {
            why = error.asString();
        }
        String url = data.path("video_url").isString() ? data.path("video_url").asString() : null;
        return new Reply.Status(data.path("status").asString("unknown"), url, why);
    }

    /** The parsed body of a 2xx, or a Failure in HeyGen's words. */
    private Object send(HttpRequest.Builder request) {
        request.timeout(settings.timeout()).header("Accept", "application/json").header("X-Api-Key", String.valueOf(settings.apiKey()));
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            return new Reply.Failure(0, "HeyGen could not be reached (" + e.getClass().getSimpleName() + ")", true, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Reply.Failure(0, "interrupted", true, null);
        }
        JsonNode body;
        try {
            body = json.readTree(response.body());
        } catch (RuntimeException e) {
            body = json.createObjectNode();
        }
        int status = response.statusCode();
        JsonNode error = body.path("error");
        if (status / 100 == 2 && (error.isNull() || error.isMissingNode())) {
            return body;
        }
        String message = error.isObject() ? join(error.path("code").asString(""), error.path("message").asString(""))
                : error.isString() ? error.asString() : "";
        if (message.isBlank()) {
            message = "HTTP " + status;
        }
        Duration retryAfter = response.headers().firstValue("Retry-After").map(v -> {
            try {
                return Duration.ofSeconds(Long.parseLong(v.trim()));
            } catch (NumberFormatException e) {
                return null;
            }
        }).orElse(null);
        return new Reply.Failure(status, message, status == 429 || status == 408 || status >= 500, retryAfter);
    }

    private static String join(String code, String message) {
        return code.isBlank() ? message : message.isBlank() ? code : code + ": " + message;
    }
}
