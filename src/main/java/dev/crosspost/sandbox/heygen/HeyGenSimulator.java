package dev.crosspost.sandbox.heygen;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.core.io.ClassPathResource;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
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
 * HeyGen as its API answers: {@code POST /v2/video/generate} (X-Api-Key, {@code video_inputs} validated the way
 * HeyGen words it), {@code GET /v1/video_status.get} moving by the clock from {@code pending} through
 * {@code processing} to {@code completed} with a temporary signed {@code video_url}, and errors as
 * {@code {"data":null,"error":{"code","message"}}}. Tests queue errors or render failures with {@code POST /script}.
 */
@RestController
@ConditionalOnBooleanProperty(name = "crosspost.sandbox.enabled", matchIfMissing = true)
@RequestMapping("/sandbox/heygen")
class HeyGenSimulator {

    static final Duration PENDING = Duration.ofMillis(300);
    static final Duration RENDERING = Duration.ofSeconds(1);
    private static final int MAX_INPUT_TEXT = 5000;

    /**
     * One scripted outcome for the next generate: {@code kind} {@code generate_error} answers it with
     * {@code status}/{@code code}/{@code message}; {@code render_failure} accepts it and later reports {@code failed}.
     */
    record Scripted(String kind, @Nullable Integer status, @Nullable String code, @Nullable String message) {
    }

    private record Video(String id, Instant created, @Nullable String callbackId, @Nullable Scripted failure) {
    }

    private final Clock clock;
    private final JsonMapper json = JsonMapper.builder().build();
    private final Map<String, Video> videos = new ConcurrentHashMap<>();
    private final Deque<Scripted> script = new ArrayDeque<>();
    private final AtomicInteger generated = new AtomicInteger();

    HeyGenSimulator(Clock clock) {
        this.clock = clock;
    }

    @PostMapping(path = "/v2/video/generate", produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<ObjectNode> generate(@RequestHeader(name = "X-Api-Key", required = false) @Nullable String key,
                                        @RequestBody(required = false) @Nullable String raw) {
        if (key == null || key.isBlank()) {
            return error(HttpStatus.UNAUTHORIZED, "authentication_failed", "Unauthorized: the X-Api-Key header is missing or invalid");
        }
        JsonNode body;
        try {
            body = json.readTree(raw == null ? "" : raw);
        } catch (RuntimeException e) {
            return error(HttpStatus.BAD_REQUEST, "invalid_parameter", "body is invalid: expected a JSON object");
        }
        String invalid = validate(body);
        if (invalid != null) {
            return error(HttpStatus.BAD_REQUEST, "invalid_parameter", invalid);
        }
        Scripted next;
        synchronized (script) {
            next = script.pollFirst();
        }
        if (next != null && next.kind().equals("generate_error")) {
            HttpStatus status = HttpStatus.valueOf(next.status() == null ? 400 : next.status());
            ResponseEntity<ObjectNode> e = error(status, next.code() == null ? "invalid_parameter" : next.code(),
                    next.message() == null ? status.getReasonPhrase() : next.message());
            return status == HttpStatus.TOO_MANY_REQUESTS ? ResponseEntity.status(status).header(HttpHeaders.RETRY_AFTER, "1").body(e.getBody()) : e;
        }
        String id = UUID.randomUUID().toString().replace("-", "");
        videos.put(id, new Video(id, clock.instant(), body.path("callback_id").isString() ? body.path("callback_id").asString() : null,
                next != null && next.kind().equals("render_failure") ? next : null));
        generated.incrementAndGet();
        ObjectNode ok = json.createObjectNode();
        ok.putNull("error");
        ok.putObject("data").put("video_id", id);
        return ResponseEntity.ok(ok);
    }

    @GetMapping(path = "/v1/video_status.get", produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<ObjectNode> status(@RequestHeader(name = "X-Api-Key", required = false) @Nullable String key,
                                      @RequestParam(name = "video_id", required = false) @Nullable String videoId,
                                      HttpServletRequest request) {
        if (key == null || key.isBlank()) {
            return error(HttpStatus.UNAUTHORIZED, "authentication_failed", "Unauthorized: the X-Api-Key header is missing or invalid");
        }
        Video video = videoId == null ? null : videos.get(videoId);
        if (video == null) {
            return error(HttpStatus.NOT_FOUND, "video_not_found", "Video not found: " + videoId);
        }
        Duration age = Duration.between(video.created(), clock.instant());
        String status = age.compareTo(PENDING) < 0 ? "pending" : age.compareTo(RENDERING) < 0 ? "processing"
                : video.failure() != null ? "failed" : "completed";
        ObjectNode body = json.createObjectNode();
        body.put("code", 100);
        body.put("message", "Success");
        ObjectNode data = body.putObject("data");
        data.put("id", video.id());
        data.put("status", status);
        data.put("callback_id", video.callbackId());
        data.put("created_at", video.created().getEpochSecond());
        if (status.equals("completed")) {
            String base = request.getScheme() + "://" + request.getServerName() + ":" + request.getServerPort() + "/sandbox/heygen/files/";
            long expires = clock.instant().plus(Duration.ofDays(7)).getEpochSecond();
            data.put("video_url", base + video.id() + ".mp4?Expires=" + expires + "&Signature=sandbox");
            data.put("thumbnail_url", base + video.id() + ".jpg?Expires=" + expires + "&Signature=sandbox");
            data.put("duration", 1.0);
            data.putNull("error");
        } else {
            data.putNull("video_url");
            data.putNull("thumbnail_url");
            data.putNull("duration");
            if (status.equals("failed")) {
                data.putObject("error").put("code", video.failure().code() == null ? "render_failed" : video.failure().code())
                        .put("message", video.failure().message() == null ? "Rendering failed" : video.failure().message())
                        .put("detail", video.failure().message());
            } else {
                data.putNull("error");
            }
        }
        return ResponseEntity.ok(body);
    }

    /** The rendered file; only a completed video has one. */
    @GetMapping("/files/{id}.mp4")
    ResponseEntity<byte[]> file(@PathVariable String id) throws IOException {
        Video video = videos.get(id);
        if (video == null || video.failure() != null || Duration.between(video.created(), clock.instant()).compareTo(RENDERING) < 0) {
            return ResponseEntity.status(HttpStatus.FORBIDDEN).contentType(MediaType.APPLICATION_XML)
                    .body("<Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>".getBytes());
        }
        try (InputStream in = new ClassPathResource("sandbox/heygen/avatar-sample.mp4").getInputStream()) {
            return ResponseEntity.ok().contentType(MediaType.parseMediaType("video/mp4")).body(in.readAllBytes());
        }
    }

    @PostMapping("/script")
    Map<String, Integer> script(@RequestBody List<Scripted> outcomes) {
        synchronized (script) {
            script.addAll(outcomes);
            return Map.of("queued", script.size());
        }
    }

    @DeleteMapping("/script")
    void clearScript() {
        synchronized (script) {
            script.clear();
        }
    }

    @GetMapping("/stats")
    Map<String, Integer> stats() {
        return Map.of("generated", generated.get());
    }

    private static @Nullable String validate(JsonNode body) {
        JsonNode inputs = body.path("video_inputs");
        if (!inputs.isArray() || inputs.isEmpty()) {
            return "video_inputs is invalid: field required";
        }
        for (int i = 0; i < inputs.size(); i++) {
            JsonNode character = inputs.get(i).path("character");
            String type = character.path("type").asString("");
            if (!type.equals("avatar") && !type.equals("talking_photo")) {
                return "video_inputs." + i + ".character.type is invalid: must be 'avatar' or 'talking_photo'";
            }
            String idField = type.equals("avatar") ? "avatar_id" : "talking_photo_id";
            if (character.path(idField).asString("").isBlank()) {
                return "video_inputs." + i + ".character." + idField + " is invalid: field required";
            }
            JsonNode voice = inputs.get(i).path("voice");
            if (voice.path("type").asString("").equals("text")) {
                String text = voice.path("input_text").asString("");
                if (text.isBlank()) {
                    return "video_inputs." + i + ".voice.input_text is invalid: field required";
                }
                if (text.length() > MAX_INPUT_TEXT) {
                    return "video_inputs." + i + ".voice.input_text is invalid: ensure this value has at most " + MAX_INPUT_TEXT + " characters";
                }
                if (voice.path("voice_id").asString("").isBlank()) {
                    return "video_inputs." + i + ".voice.voice_id is invalid: field required";
                }
            } else if (!voice.path("type").asString("").equals("audio")) {
                return "video_inputs." + i + ".voice.type is invalid: must be 'text' or 'audio'";
            }
        }
        JsonNode dimension = body.path("dimension");
        if (!dimension.isMissingNode()) {
            int w = dimension.path("width").asInt(0);
            int h = dimension.path("height").asInt(0);
            if (w < 128 || h < 128 || w > 4096 || h > 4096) {
                return "dimension is invalid: width and height must be between 128 and 4096";
            }
        }
        return null;
    }

    private ResponseEntity<ObjectNode> error(HttpStatus status, String code, String message) {
        ObjectNode body = json.createObjectNode();
        body.putNull("data");
        body.putObject("error").put("code", code).put("message", message);
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON).body(body);
    }
}
