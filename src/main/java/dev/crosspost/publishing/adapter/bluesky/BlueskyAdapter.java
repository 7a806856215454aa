package dev.crosspost.publishing.adapter.bluesky;

import dev.crosspost.publishing.PlatformsSettings;
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
import dev.crosspost.publishing.adapter.http.PlatformBaseUrl;
import dev.crosspost.publishing.adapter.http.PlatformVideoLimits;
import dev.crosspost.publishing.adapter.http.Preflight;
import dev.crosspost.publishing.adapter.http.VideoLimits;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.text.BreakIterator;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Publishes to Bluesky through the account's PDS: images become blobs ({@code uploadBlob}); a video goes to the video
 * service with a service token from the PDS and is polled until its blob is ready; then {@code createRecord} writes
 * the post under a record key derived from the idempotency key, so a repeat is refused by the PDS and a post in
 * doubt is looked up by that key ({@code getRecord}).
 */
@Component
public class BlueskyAdapter implements PlatformAdapter {

    static final String PLATFORM = "bluesky";
    static final String COLLECTION = "app.bsky.feed.post";
    static final int MAX_GRAPHEMES = 300;
    static final int MAX_TEXT_BYTES = 3000;
    static final int MAX_IMAGES = 4;
    static final long IMAGE_MAX_BYTES = 2_000_000;
    static final String VIDEO_SERVICE = "https://video.bsky.app";
    // a service token covering a long upload: the PDS default of 60 s is too short, 30 min is recommended
    static final Duration SERVICE_TOKEN_TTL = Duration.ofMinutes(30);
    // every record created costs 3 of the account's write points
    static final int POINTS_PER_POST = 3;
    private static final Set<String> IMAGE_TYPES = Set.of("image/jpeg", "image/png", "image/webp", "image/gif");
    private static final Set<String> ACCOUNT_ERRORS = Set.of("ExpiredToken", "InvalidToken", "AccountTakedown",
            "AuthenticationRequired", "AccountDeactivated");

    static final String BLOBS = "bluesky_blobs";
    static final String VIDEO_JOB = "bluesky_video_job";
    private static final Step UPLOAD = Step.effect("upload");
    private static final Step PROCESS = Step.query("process");
    private static final Step PUBLISH = Step.publish("publish");

    private final Supplier<String> baseUrl;
    private final Supplier<String> videoService;
    private final HttpClient http;
    private final MediaSource media;
    private final JsonMapper json;
    private final Clock clock;
    private final VideoLimits videoLimits;

    @Autowired
    public BlueskyAdapter(PlatformsSettings settings, Environment env, MediaSource media, JsonMapper json, Clock clock,
                          PlatformVideoLimits videoLimits) {
        this(PlatformBaseUrl.of(settings, env, PLATFORM, "/sandbox/bluesky"),
                // the real video service with a real PDS; the simulator serves both
                configuredBaseUrl(settings) ? () -> VIDEO_SERVICE : PlatformBaseUrl.of(settings, env, PLATFORM, "/sandbox/bluesky"),
                AdapterHttp.client(),
                media, json, clock, videoLimits.of(PLATFORM));
    }

    BlueskyAdapter(Supplier<String> baseUrl, Supplier<String> videoService, HttpClient http, MediaSource media, JsonMapper json, Clock clock,
                   VideoLimits videoLimits) {
        this.baseUrl = baseUrl;
        this.videoService = videoService;
        this.http = http;
        this.media = media;
        this.json = json;
        this.clock = clock;
        this.videoLimits = videoLimits;
    }

    @Override
    public String platform() {
        return PLATFORM;
    }

    @Override
    public List<Step> steps(PublishRequest request) {
        if (request.media().isEmpty()) {
            return List.of(PUBLISH);
        }
        return request.media().stream().anyMatch(BlueskyAdapter::isVideo) ? List.of(UPLOAD, PROCESS, PUBLISH) : List.of(UPLOAD, PUBLISH);
    }

    @Override
    public StepResult run(Step step, PublishRequest request, StepContext context) {
        if (step.equals(steps(request).getFirst())) {
            StepResult.Rejected refused = preflight(request, videoLimits);
            if (refused != null) {
                return refused;
            }
        }
        return switch (step.name()) {
            case "upload" -> request.media().stream().anyMatch(BlueskyAdapter::isVideo) ? uploadVideo(request, context) : upload(request, context);
            case "process" -> process(request, context);
            case "publish" -> publish(request, context);
            default -> throw new IllegalArgumentException("unknown step " + step.name());
        };
    }

    @Override
    public ReconcileResult reconcile(Step step, PublishRequest request, StepContext context) {
        if (!step.equals(PUBLISH)) {
            // a blob no record points to is garbage-collected, and the video service answers a repeat with the
            // earlier blob: uploading again is harmless
            return new ReconcileResult.Absent();
        }
        String rkey = RecordKey.of(request.idempotencyKey());
        String query = "/xrpc/com.atproto.repo.getRecord?repo=" + enc(request.platformUserId()) + "&collection=" + COLLECTION
                + "&rkey=" + rkey;
        try {
            HttpResponse<String> response = AdapterHttp.send(http, HttpRequest.newBuilder(uri(request, query))
                    .timeout(context.timeout()).header("Authorization", "Bearer " + request.accessToken()).GET().build());
            if (response.statusCode() == 200) {
                return new ReconcileResult.Found(posted(body(response).path("uri").asString(), request.platformUserId(), rkey));
            }
            if (response.statusCode() == 400 && "RecordNotFound".equals(body(response).path("error").asString())) {
                return new ReconcileResult.Absent();
            }
            return new ReconcileResult.Unknown("the Bluesky record lookup answered " + response.statusCode() + ": " + message(response));
        } catch (IOException e) {
            return new ReconcileResult.Unknown("the Bluesky record lookup failed: " + e.getClass().getSimpleName());
        }
    }

    @Override
    public Optional<StepResult.Rejected> check(PublishRequest request) {
        return Optional.ofNullable(preflight(request, videoLimits));
    }

    /** The limits of the post lexicon and the PDS, checked before anything is sent; a video's are settings. */
    static StepResult.@Nullable Rejected preflight(PublishRequest request, VideoLimits videoLimits) {
        String text = request.text();
        int graphemes = graphemes(text);
        if (graphemes > MAX_GRAPHEMES) {
            return rejected("text_too_long", "the text is " + graphemes + " characters (graphemes) long; the limit is " + MAX_GRAPHEMES);
        }
        int bytes = text.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_TEXT_BYTES) {
            return rejected("text_too_long", "the text is " + bytes + " bytes long in UTF-8; the limit is " + MAX_TEXT_BYTES);
        }
        List<MediaRef> files = request.media();
        if (text.isBlank() && files.isEmpty()) {
            return rejected("empty_post", "a post needs text or media");
        }
        long videos = files.stream().filter(BlueskyAdapter::isVideo).count();
        if (videos > 0 && files.size() > 1) {
            return rejected("too_many_media", "a post embeds either up to " + MAX_IMAGES + " images or 1 video; got " + files.size() + " files");
        }
        if (files.size() > MAX_IMAGES) {
            return rejected("too_many_media", "a post embeds up to " + MAX_IMAGES + " images; got " + files.size());
        }
        for (MediaRef file : files) {
            String type = file.contentType().toLowerCase(Locale.ROOT);
            if (isVideo(file) ? !type.equals("video/mp4") : !IMAGE_TYPES.contains(type)) {
                return rejected("unsupported_media_type", "media type " + file.contentType() + " is not supported; use JPEG, PNG, WebP, GIF or MP4");
            }
            long max = isVideo(file) ? videoLimits.maxSize().toBytes() : IMAGE_MAX_BYTES;
            if (file.sizeBytes() > max) {
                return rejected("media_too_large", (isVideo(file) ? "the video" : "an image") + " is " + file.sizeBytes()
                        + " bytes; the limit is " + max + " bytes");
            }
            if (file.sizeBytes() <= 0) {
                return rejected("empty_media", "a media file is empty");
            }
            StepResult.Rejected video = isVideo(file) ? Preflight.video("Bluesky", "a video post", file, videoLimits) : null;
            if (video != null) {
                return video;
            }
        }
        return null;
    }

    private StepResult upload(PublishRequest request, StepContext context) {
        ArrayNode blobs = json.createArrayNode();
        try {
            for (MediaRef file : request.media()) {
                HttpResponse<String> response = AdapterHttp.send(http, HttpRequest.newBuilder(uri(request, "/xrpc/com.atproto.repo.uploadBlob"))
                        .timeout(context.timeout()).header("Authorization", "Bearer " + request.accessToken())
                        .header("Content-Type", file.contentType()).POST(AdapterHttp.file(media, file)).build());
                if (response.statusCode() != 200) {
                    return failure(response);
                }
                blobs.add(body(response).path("blob"));
            }
        } catch (IOException e) {
            return AdapterHttp.ioFailure(e, "Bluesky blob upload", true);
        }
        return StepResult.done(Map.of(BLOBS, json.writeValueAsString(blobs)));
    }

    /** A service token from the PDS, then the video to the video service: its job id is what the process step polls. */
    private StepResult uploadVideo(PublishRequest request, StepContext context) {
        MediaRef video = request.media().getFirst();
        URI pds = uri(request, "");
        String query = "/xrpc/com.atproto.server.getServiceAuth?aud=" + enc("did:web:" + pds.getHost()) + "&lxm=com.atproto.repo.uploadBlob&exp="
                + clock.instant().plus(SERVICE_TOKEN_TTL).getEpochSecond();
        try {
            HttpResponse<String> auth = AdapterHttp.send(http, HttpRequest.newBuilder(uri(request, query)).timeout(context.timeout())
                    .header("Authorization", "Bearer " + request.accessToken()).GET().build());
            if (auth.statusCode() != 200) {
                return failure(auth);
            }
            String serviceToken = body(auth).path("token").asString();
            String upload = videoService.get().replaceAll("/+$", "") + "/xrpc/app.bsky.video.uploadVideo?did=" + enc(request.platformUserId())
                    + "&name=" + RecordKey.of(request.idempotencyKey()) + ".mp4";
            HttpResponse<String> response = AdapterHttp.send(http, HttpRequest.newBuilder(URI.create(upload)).timeout(context.timeout())
                    .header("Authorization", "Bearer " + serviceToken).header("Content-Type", "video/mp4")
                    .POST(AdapterHttp.file(media, video)).build());
            if (response.statusCode() != 200) {
                return failure(response);
            }
            JsonNode body = body(response);
            // the lexicon wraps the job in jobStatus; the official tutorial reads jobId off the body itself
            JsonNode job = body.has("jobStatus") ? body.path("jobStatus") : body;
            return StepResult.done(Map.of(VIDEO_JOB, job.path("jobId").asString()));
        } catch (IOException e) {
            return AdapterHttp.ioFailure(e, "Bluesky video upload", true);
        }
    }

    /** Polls the video job until its blob is there; a repeat of a processed video is answered with the earlier blob. */
    private StepResult process(PublishRequest request, StepContext context) {
        String status = videoService.get().replaceAll("/+$", "") + "/xrpc/app.bsky.video.getJobStatus?jobId=" + enc(request.output(VIDEO_JOB));
        try {
            HttpResponse<String> response = AdapterHttp.send(http, HttpRequest.newBuilder(URI.create(status)).timeout(context.timeout()).GET().build());
            if (response.statusCode() != 200) {
                return failure(response);
            }
            JsonNode job = body(response).path("jobStatus");
            if (job.path("blob").isObject()) {
                return StepResult.done(Map.of(BLOBS, json.writeValueAsString(json.createArrayNode().add(job.path("blob")))));
            }
            String state = job.path("state").asString("");
            if (state.equals("JOB_STATE_FAILED")) {
                return new StepResult.Rejected(job.path("failureCode").asString(job.path("error").asString("video_failed")),
                        "Bluesky: video processing failed: " + job.path("message").asString(job.path("error").asString("no reason given")), 200);
            }
            return new StepResult.RetryLater(ErrorClass.PROCESSING, Duration.ofSeconds(1),
                    "Bluesky is processing the video (" + state + ", " + job.path("progress").asInt(0) + "%)", 200);
        } catch (IOException e) {
            return AdapterHttp.ioFailure(e, "Bluesky video status check", false);
        }
    }

    private StepResult publish(PublishRequest request, StepContext context) {
        String rkey = RecordKey.of(request.idempotencyKey());
        ObjectNode record = json.createObjectNode().put("$type", COLLECTION).put("text", request.text())
                .put("createdAt", clock.instant().truncatedTo(ChronoUnit.MILLIS).toString());
        String blobs = request.outputs().get(BLOBS);
        if (blobs != null) {
            JsonNode uploaded = json.readTree(blobs);
            if (request.media().stream().anyMatch(BlueskyAdapter::isVideo)) {
                record.putObject("embed").put("$type", "app.bsky.embed.video").set("video", uploaded.get(0));
            } else {
                ArrayNode images = record.putObject("embed").put("$type", "app.bsky.embed.images").putArray("images");
                uploaded.forEach(blob -> images.addObject().put("alt", "").set("image", blob));
            }
        }
        ObjectNode body = json.createObjectNode().put("repo", request.platformUserId()).put("collection", COLLECTION).put("rkey", rkey);
        body.set("record", record);
        try {
            HttpResponse<String> response = AdapterHttp.send(http, HttpRequest.newBuilder(uri(request, "/xrpc/com.atproto.repo.createRecord"))
                    .timeout(context.timeout()).header("Authorization", "Bearer " + request.accessToken())
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body))).build());
            observeQuota(response, context);
            if (response.statusCode() == 200) {
                return StepResult.done(posted(body(response).path("uri").asString(), request.platformUserId(), rkey));
            }
            if (response.statusCode() == 400 && message(response).contains("already exists")) {
                // our record key is taken: an earlier send of this very publication landed
                return switch (reconcile(PUBLISH, request, context)) {
                    case ReconcileResult.Found(Map<String, String> outputs) -> StepResult.done(outputs);
                    case ReconcileResult.Absent() -> failure(response);
                    case ReconcileResult.Unknown(String reason) -> new StepResult.OutcomeUnknown("the record key is taken and " + reason);
                };
            }
            return failure(response);
        } catch (IOException e) {
            return AdapterHttp.ioFailure(e, "Bluesky createRecord", true);
        }
    }

    private static Map<String, String> posted(String uri, String did, String rkey) {
        return Map.of(StepResult.PLATFORM_POST_ID, uri, StepResult.PLATFORM_URL, "https://bsky.app/profile/" + did + "/post/" + rkey);
    }

    /** Maps a failed XRPC answer ({@code {"error","message"}}) to the engine's classes, in Bluesky's words. */
    private StepResult failure(HttpResponse<String> response) {
        int status = response.statusCode();
        String error = body(response).path("error").asString("http_" + status);
        String message = "Bluesky: " + message(response);
        StepResult shared = AdapterHttp.throttledOrDown(response, message, "RateLimit-Reset", clock);
        if (shared != null) {
            return shared;
        }
        return ACCOUNT_ERRORS.contains(error) ? new StepResult.NeedsReconnect(message) : new StepResult.Rejected(error, message, status);
    }

    private static void observeQuota(HttpResponse<?> response, StepContext context) {
        var remaining = response.headers().firstValueAsLong("RateLimit-Remaining");
        var reset = response.headers().firstValueAsLong("RateLimit-Reset");
        if (remaining.isPresent() && reset.isPresent()) {
            context.quotaObserved(remaining.getAsLong() / POINTS_PER_POST, Instant.ofEpochSecond(reset.getAsLong()));
        }
    }

    private String message(HttpResponse<String> response) {
        JsonNode body = body(response);
        String message = body.path("message").asString("");
        if (!message.isBlank()) {
            return message;
        }
        return body.path("error").asString("HTTP " + response.statusCode());
    }

    private JsonNode body(HttpResponse<String> response) {
        return AdapterHttp.body(json, response);
    }

    // the account's own PDS when it has one, else the platform's base URL
    private URI uri(PublishRequest request, String path) {
        String pds = request.serviceUrl() != null ? request.serviceUrl() : baseUrl.get();
        return URI.create(pds.replaceAll("/+$", "") + path);
    }

    private static boolean configuredBaseUrl(PlatformsSettings settings) {
        return settings.platforms().containsKey(PLATFORM) && settings.platform(PLATFORM).baseUrl() != null;
    }

    private static boolean isVideo(MediaRef file) {
        return file.contentType().toLowerCase(Locale.ROOT).startsWith("video/");
    }

    private static int graphemes(String text) {
        BreakIterator it = BreakIterator.getCharacterInstance();
        it.setText(text);
        int count = 0;
        while (it.next() != BreakIterator.DONE) {
            count++;
        }
        return count;
    }

    private static StepResult.Rejected rejected(String code, String reason) {
        return Preflight.refused("Bluesky", code, reason);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
