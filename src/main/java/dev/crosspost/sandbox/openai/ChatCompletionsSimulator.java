package dev.crosspost.sandbox.openai;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code POST /sandbox/openai/v1/chat/completions} as OpenAI answers it: Bearer auth, {@code {"error":{message,type,
 * param,code}}} errors, {@code x-ratelimit-*} headers (resets as durations) and 429 with {@code Retry-After} past
 * the per-key request limit. Its "model" reads the product JSON in the last user message and answers the way chat
 * models often do: the JSON in a code fence after a line of prose, with markdown emphasis inside the texts.
 * Tests queue exact replies or errors with {@code POST /sandbox/openai/script}.
 */
@RestController
@ConditionalOnBooleanProperty(name = "crosspost.sandbox.enabled", matchIfMissing = true)
@RequestMapping("/sandbox/openai")
class ChatCompletionsSimulator {

    static final int REQUESTS_PER_MINUTE = 60;
    private static final Duration WINDOW = Duration.ofMinutes(1);

    /** One scripted reply: an error {@code status} (with {@code retryAfter} seconds for 429), or 200 with {@code content}. */
    record Scripted(int status, @Nullable String content, @Nullable Integer retryAfter, @Nullable String message) {
    }

    private record Window(Instant start, int used) {
    }

    private final Clock clock;
    private final JsonMapper json = JsonMapper.builder().build();
    private final Deque<Scripted> script = new ArrayDeque<>();
    private final Map<String, Window> windows = new ConcurrentHashMap<>();
    private final AtomicInteger answered = new AtomicInteger();

    ChatCompletionsSimulator(Clock clock) {
        this.clock = clock;
    }

    @PostMapping(path = "/v1/chat/completions", produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<ObjectNode> complete(@RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) @Nullable String authorization,
                                        @RequestBody(required = false) @Nullable String raw) {
        String key = authorization != null && authorization.startsWith("Bearer ") ? authorization.substring(7).strip() : "";
        if (key.isEmpty()) {
            return error(HttpStatus.UNAUTHORIZED, "You didn't provide an API key. You need to provide your API key in an "
                    + "Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).", "invalid_request_error", null, null);
        }
        JsonNode body;
        try {
            body = json.readTree(raw == null ? "" : raw);
        } catch (RuntimeException e) {
            return error(HttpStatus.BAD_REQUEST, "We could not parse the JSON body of your request.", "invalid_request_error", null, null);
        }
        if (!body.path("model").isString() || body.path("model").asString().isBlank()) {
            return error(HttpStatus.BAD_REQUEST, "you must provide a model parameter", "invalid_request_error", null, null);
        }
        if (!body.path("messages").isArray() || body.path("messages").isEmpty()) {
            return error(HttpStatus.BAD_REQUEST, "[] is too short - 'messages'", "invalid_request_error", "messages", null);
        }
        if (body.path("stream").asBoolean(false)) {
            return error(HttpStatus.BAD_REQUEST, "This simulator does not stream; send stream=false.", "invalid_request_error", "stream", null);
        }
        HttpHeaders limits = new HttpHeaders();
        Window window = take(key);
        long resetMillis = Math.max(0, Duration.between(clock.instant(), window.start().plus(WINDOW)).toMillis());
        limits.set("x-ratelimit-limit-requests", Integer.toString(REQUESTS_PER_MINUTE));
        limits.set("x-ratelimit-remaining-requests", Integer.toString(Math.max(0, REQUESTS_PER_MINUTE - window.used())));
        limits.set("x-ratelimit-reset-requests", resetMillis >= 1000 ? (resetMillis / 1000) + "s" : resetMillis + "ms");
        if (window.used() > REQUESTS_PER_MINUTE) {
            limits.set(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, (resetMillis + 999) / 1000)));
            return error(HttpStatus.TOO_MANY_REQUESTS, "Rate limit reached for requests per min (RPM): Limit "
                    + REQUESTS_PER_MINUTE + ". Please try again later.", "requests", null, "rate_limit_exceeded", limits);
        }
        Scripted next;
        synchronized (script) {
            next = script.pollFirst();
        }
        if (next != null && next.status() != 200) {
            return scriptedError(next, limits);
        }
        String content = next != null && next.content() != null ? next.content() : answer(lastUserMessage(body));
        answered.incrementAndGet();
        ObjectNode reply = json.createObjectNode();
        reply.put("id", "chatcmpl-" + UUID.randomUUID().toString().replace("-", ""));
        reply.put("object", "chat.completion");
        reply.put("created", clock.instant().getEpochSecond());
        reply.put("model", body.path("model").asString());
        ObjectNode choice = reply.putArray("choices").addObject();
        choice.put("index", 0);
        choice.putObject("message").put("role", "assistant").put("content", content).putNull("refusal");
        choice.put("finish_reason", "stop");
        choice.putNull("logprobs");
        int prompt = raw.length() / 4;
        int completion = content.length() / 4;
        reply.putObject("usage").put("prompt_tokens", prompt).put("completion_tokens", completion).put("total_tokens", prompt + completion);
        reply.put("system_fingerprint", "fp_sandbox");
        return ResponseEntity.ok().headers(limits).body(reply);
    }

    /** Queues replies for the next requests, in order. */
    @PostMapping("/script")
    Map<String, Integer> script(@RequestBody List<Scripted> replies) {
        synchronized (script) {
            script.addAll(replies);
            return Map.of("queued", script.size());
        }
    }

    @DeleteMapping("/script")
    void clearScript() {
        synchronized (script) {
            script.clear();
        }
        windows.clear();
    }

    /** How many completions were answered with 200. */
    @GetMapping("/stats")
    Map<String, Integer> stats() {
        return Map.of("completions", answered.get());
    }

    private Window take(String key) {
        Instant now = clock.instant();
        return windows.compute(key, (k, w) -> w == null || !now.isBefore(w.start().plus(WINDOW)) ? new Window(now, 1)
                : new Window(w.start(), w.used() + 1));
    }

    private String lastUserMessage(JsonNode body) {
        String last = "";
        for (JsonNode m : body.path("messages")) {
            if (m.path("role").asString("").equals("user")) {
                last = m.path("content").isString() ? m.path("content").asString() : m.path("content").toString();
            }
        }
        return last;
    }

    /** A model's answer to the captions prompt; without product JSON, a plain sentence. */
    private String answer(String prompt) {
        int open = prompt.indexOf('{');
        JsonNode product = null;
        if (open >= 0) {
            try {
                product = json.readTree(prompt.substring(open));
            } catch (RuntimeException e) {
                product = null;
            }
        }
        if (product == null || !product.path("platforms").isObject()) {
            return "Here is a caption for you: a great product, worth a look!";
        }
        String title = product.path("title").asString("This product");
        String description = product.path("description").asString("");
        ObjectNode out = json.createObjectNode();
        ObjectNode captions = out.putObject("captions");
        for (String platform : product.path("platforms").propertyNames()) {
            ObjectNode entry = captions.putObject(platform);
            if (product.path("platforms").path(platform).has("maxTitleLength")) {
                entry.put("title", title + " | " + platform);
            }
            entry.put("text", "✨ **" + title + "** — " + description + " Tap to see more on " + platform + ".");
        }
        out.putArray("hashtags").add("NewIn").add("ShopSmall");
        return "Sure! Here are your captions:\n```json\n" + json.writerWithDefaultPrettyPrinter().writeValueAsString(out) + "\n```";
    }

    private ResponseEntity<ObjectNode> scriptedError(Scripted s, HttpHeaders limits) {
        HttpStatus status = HttpStatus.valueOf(s.status());
        if (status == HttpStatus.TOO_MANY_REQUESTS && s.retryAfter() != null) {
            limits.set(HttpHeaders.RETRY_AFTER, Integer.toString(s.retryAfter()));
        }
        String type = status == HttpStatus.TOO_MANY_REQUESTS ? "requests" : status.is5xxServerError() ? "server_error" : "invalid_request_error";
        String code = status == HttpStatus.TOO_MANY_REQUESTS ? "rate_limit_exceeded" : status == HttpStatus.UNAUTHORIZED ? "invalid_api_key" : null;
        String message = s.message() != null ? s.message() : status.is5xxServerError()
                ? "The server had an error while processing your request. Sorry about that!" : status.getReasonPhrase();
        return error(status, message, type, null, code, limits);
    }

    private ResponseEntity<ObjectNode> error(HttpStatus status, String message, String type, @Nullable String param, @Nullable String code) {
        return error(status, message, type, param, code, new HttpHeaders());
    }

    private ResponseEntity<ObjectNode> error(HttpStatus status, String message, String type, @Nullable String param,
                                             @Nullable String code, HttpHeaders headers) {
        ObjectNode body = json.createObjectNode();
        ObjectNode error = body.putObject("error");
        error.put("message", message);
        error.put("type", type);
        error.put("param", param);
        error.put("code", code);
        return ResponseEntity.status(status).headers(headers).contentType(MediaType.APPLICATION_JSON).body(body);
    }
}
