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
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * A client for any OpenAI-compatible {@code POST /chat/completions} (OpenAI, OpenRouter, Ollama, vLLM): one
 * non-streaming request per call, the provider's error message kept, {@code Retry-After} honoured.
 */
final class ChatCompletions {

    /** What one call gave. */
    sealed interface Reply {
        record Answer(String content, String finishReason) implements Reply {
        }

        /**
         * @param retryable 429, 5xx, timeouts and broken connections; a 4xx means the request or key is wrong
         * @param retryAfter the provider's own wait, when it said one
         */
        record Failure(int status, String message, boolean retryable, @Nullable Duration retryAfter) implements Reply {
        }
    }

    private final HttpClient http;
    private final JsonMapper json;
    private final GenerationSettings.Captions settings;
    private final Environment env;

    ChatCompletions(HttpClient http, JsonMapper json, GenerationSettings.Captions settings, Environment env) {
        this.http = http;
        this.json = json;
        this.settings = settings;
        this.env = env;
    }

    String baseUrl() {
        if (settings.baseUrl() != null) {
            return settings.baseUrl().replaceAll("/+$", "");
        }
        return LocalOrigin.of(env) + "/sandbox/openai/v1";
    }

    /** {@code <model>@<base-url host>}: who wrote a caption. */
    String writer() {
        return settings.model() + "@" + URI.create(baseUrl()).getHost();
    }

    Reply complete(String system, String user) {
        ObjectNode body = json.createObjectNode();
        body.put("model", settings.model());
        body.put("temperature", settings.temperature());
        var messages = body.putArray("messages");
        messages.addObject().put("role", "system").put("content", system);
        messages.addObject().put("role", "user").put("content", user);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl() + "/chat/completions"))
                .timeout(settings.timeout())
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)));
        if (settings.apiKey() != null && !settings.apiKey().isBlank()) {
            request.header("Authorization", "Bearer " + settings.apiKey());
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            return new Reply.Failure(0, "the model API could not be reached (" + e.getClass().getSimpleName() + ")", true, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Reply.Failure(0, "interrupted", true, null);
        }
        return read(response);
    }

    private Reply read(HttpResponse<String> response) {
        int status = response.statusCode();
        JsonNode body;
        try {
            body = json.readTree(response.body());
        } catch (RuntimeException e) {
            body = json.createObjectNode();
        }
        if (status == 200) {
            JsonNode choice = body.path("choices").path(0);
            JsonNode content = choice.path("message").path("content");
            if (!content.isString()) {
                String refusal = choice.path("message").path("refusal").asString("");
                return new Reply.Failure(status, refusal.isBlank() ? "the model returned no text" : "the model refused: " + refusal, false, null);
            }
            return new Reply.Answer(content.asString(), choice.path("finish_reason").asString("stop"));
        }
        String message = body.path("error").path("message").asString("");
        if (message.isBlank()) {
            message = "HTTP " + status;
        }
        boolean retryable = status == 429 || status == 408 || status >= 500;
        return new Reply.Failure(status, message, retryable, retryAfter(response));
    }

    private static @Nullable Duration retryAfter(HttpResponse<?> response) {
        return response.headers().firstValue("Retry-After").map(v -> {
            try {
                return Duration.ofSeconds(Math.max(0, Long.parseLong(v.trim())));
            } catch (NumberFormatException e) {
                return null;
            }
        }).orElse(null);
    }
}
