package dev.crosspost.publishing.adapter.generic;

import dev.crosspost.publishing.adapter.ErrorClass;
import dev.crosspost.publishing.adapter.MediaRef;
import dev.crosspost.publishing.adapter.MediaSource;
import dev.crosspost.publishing.adapter.PlatformAdapter;
import dev.crosspost.publishing.adapter.PublishRequest;
import dev.crosspost.publishing.adapter.ReconcileResult;
import dev.crosspost.publishing.adapter.Step;
import dev.crosspost.publishing.adapter.StepContext;
import dev.crosspost.publishing.adapter.StepResult;
import dev.crosspost.publishing.adapter.http.AdapterHttp;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Speaks the generic platform protocol of the sandbox simulator: upload media (effect), poll its processing
 * (query), create the post carrying the idempotency key as {@code client_ref} (effect). Reconcile looks the post
 * up by that marker; a re-upload is invisible to followers, so an upload in doubt is simply done again.
 */
public class GenericPlatformAdapter implements PlatformAdapter {

    private static final Step UPLOAD = Step.effect("upload");
    private static final Step PROCESS = Step.query("process");
    private static final Step PUBLISH = Step.publish("publish");

    private final String platform;
    private final Supplier<String> baseUrl;
    private final HttpClient http;
    private final MediaSource media;
    private final JsonMapper json;

    public GenericPlatformAdapter(String platform, Supplier<String> baseUrl, HttpClient http, MediaSource media, JsonMapper json) {
        this.platform = platform;
        this.baseUrl = baseUrl;
        this.http = http;
        this.media = media;
        this.json = json;
    }

    @Override
    public String platform() {
        return platform;
    }

    @Override
    public List<Step> steps(PublishRequest request) {
        return request.media().isEmpty() ? List.of(PUBLISH) : List.of(UPLOAD, PROCESS, PUBLISH);
    }

    @Override
    public StepResult run(Step step, PublishRequest request, StepContext context) {
        return switch (step.name()) {
            case "upload" -> upload(request, context);
            case "process" -> process(request, context);
            case "publish" -> publish(request, context);
            default -> throw new IllegalArgumentException("unknown step " + step.name());
        };
    }

    @Override
    public ReconcileResult reconcile(Step step, PublishRequest request, StepContext context) {
        if (!step.name().equals("publish")) {
            return new ReconcileResult.Absent();
        }
        String query = "/posts?account=" + enc(request.accountId()) + "&client_ref=" + enc(request.idempotencyKey()) + "&limit=1";
        try {
            HttpResponse<String> response = send(get(query, request, context), step);
            if (response.statusCode() != 200) {
                return new ReconcileResult.Unknown(platform + " lookup answered " + response.statusCode());
            }
            JsonNode data = json.readTree(response.body()).path("data");
            if (data.isArray() && !data.isEmpty()) {
                JsonNode post = data.get(0);
                return new ReconcileResult.Found(Map.of(StepResult.PLATFORM_POST_ID, post.path("id").asString(),
                        StepResult.PLATFORM_URL, post.path("url").asString()));
            }
            return new ReconcileResult.Absent();
        } catch (IOException e) {
            return new ReconcileResult.Unknown(platform + " lookup failed: " + e.getClass().getSimpleName());
        }
    }

    private StepResult upload(PublishRequest request, StepContext context) {
        MediaRef file = request.media().getFirst();
        try {
            HttpRequest upload = HttpRequest.newBuilder(uri("/uploads"))
                    .timeout(context.timeout())
                    .header("Authorization", "Bearer " + request.accessToken())
                    .header("Content-Type", "application/octet-stream")
                    .POST(AdapterHttp.file(media, file))
                    .build();
            HttpResponse<String> response = send(upload, UPLOAD);
            if (response.statusCode() == 201) {
                return StepResult.done(Map.of("upload_id", json.readTree(response.body()).path("upload_id").asString()));
            }
            return failure(response, UPLOAD);
        } catch (HttpTimeoutException e) {
            return new StepResult.OutcomeUnknown("upload to " + platform + " timed out");
        } catch (ConnectException e) {
            return new StepResult.RetryLater(ErrorClass.TRANSIENT, null, platform + " refused the connection", null);
        } catch (IOException e) {
            return new StepResult.OutcomeUnknown("upload to " + platform + " broke off: " + e.getClass().getSimpleName());
        }
    }

    private StepResult process(PublishRequest request, StepContext context) {
        try {
            HttpResponse<String> response = send(get("/uploads/" + enc(request.output("upload_id")), request, context), PROCESS);
            if (response.statusCode() != 200) {
                return failure(response, PROCESS);
            }
            JsonNode body = json.readTree(response.body());
            return switch (body.path("status").asString()) {
                case "ready" -> StepResult.done(Map.of());
                case "failed" -> new StepResult.Rejected("processing_failed",
                        platform + ": processing failed: " + body.path("error").asString("no reason given"), 200);
                default -> new StepResult.RetryLater(ErrorClass.PROCESSING, Duration.ofMillis(500),
                        "processing " + body.path("progress").asInt(0) + "%", 200);
            };
        } catch (HttpTimeoutException e) {
            return new StepResult.RetryLater(ErrorClass.TIMEOUT, null, "status check timed out", null);
        } catch (IOException e) {
            return new StepResult.RetryLater(ErrorClass.TRANSIENT, null, "status check failed: " + e.getClass().getSimpleName(), null);
        }
    }

    private StepResult publish(PublishRequest request, StepContext context) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("account", request.accountId());
        body.put("text", request.text());
        body.put("upload_id", request.outputs().get("upload_id"));
        body.put("client_ref", request.idempotencyKey());
        try {
            HttpRequest post = HttpRequest.newBuilder(uri("/posts"))
                    .timeout(context.timeout())
                    .header("Authorization", "Bearer " + request.accessToken())
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)))
                    .build();
            HttpResponse<String> response = send(post, PUBLISH);
            observeQuota(response, context);
            if (response.statusCode() == 201) {
                JsonNode created = json.readTree(response.body());
                return StepResult.done(Map.of(StepResult.PLATFORM_POST_ID, created.path("id").asString(),
                        StepResult.PLATFORM_URL, created.path("url").asString()));
            }
            JsonNode error = errorOf(response);
            if (response.statusCode() == 409 && "duplicate".equals(error.path("code").asString())) {
                // the platform already has this post (it dedupes by our key): that is our effect, landed
                return StepResult.done(Map.of(StepResult.PLATFORM_POST_ID, error.path("existing_id").asString(),
                        StepResult.PLATFORM_URL, error.path("existing_url").asString()));
            }
            return failure(response, PUBLISH);
        } catch (HttpTimeoutException e) {
            return new StepResult.OutcomeUnknown("publish to " + platform + " timed out");
        } catch (ConnectException e) {
            return new StepResult.RetryLater(ErrorClass.TRANSIENT, null, platform + " refused the connection", null);
        } catch (IOException e) {
            return new StepResult.OutcomeUnknown("publish to " + platform + " broke off: " + e.getClass().getSimpleName());
        }
    }

    /** Maps a non-success answer to the engine's classes, keeping the platform's own message. */
    private StepResult failure(HttpResponse<String> response, Step step) {
        int status = response.statusCode();
        JsonNode error = errorOf(response);
        String code = error.path("code").asString("http_" + status);
        String message = platform + ": " + error.path("message").asString("HTTP " + status + " on " + step.name());
        StepResult shared = AdapterHttp.throttledOrDown(response, message, null, Clock.systemUTC());
        if (shared != null) {
            return shared;
        }
        if (status == 409 && "media_not_ready".equals(code)) {
            return new StepResult.RetryLater(ErrorClass.PROCESSING, Duration.ofSeconds(1), message, status);
        }
        return new StepResult.Rejected(code, message, status);
    }

    private JsonNode errorOf(HttpResponse<String> response) {
        return AdapterHttp.body(json, response).path("error");
    }

    private static void observeQuota(HttpResponse<?> response, StepContext context) {
        var remaining = response.headers().firstValueAsLong("X-RateLimit-Remaining");
        var reset = response.headers().firstValueAsLong("X-RateLimit-Reset");
        if (remaining.isPresent() && reset.isPresent()) {
            context.quotaObserved(remaining.getAsLong(), Instant.ofEpochSecond(reset.getAsLong()));
        }
    }

    private HttpRequest get(String path, PublishRequest request, StepContext context) {
        return HttpRequest.newBuilder(uri(path)).timeout(context.timeout())
                .header("Authorization", "Bearer " + request.accessToken()).GET().build();
    }

    private HttpResponse<String> send(HttpRequest request, Step step) throws IOException {
        return AdapterHttp.send(http, request);
    }

    private URI uri(String path) {
        return URI.create(baseUrl.get() + path);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
