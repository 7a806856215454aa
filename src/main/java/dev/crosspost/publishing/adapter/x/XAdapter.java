package dev.crosspost.publishing.adapter.x;

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
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Publishes to X through API v2: each media file is uploaded in chunks (initialize, append, finalize), videos are
 * polled until processed, then {@code POST /2/tweets}. X takes no idempotency key and shows no marker back, so a
 * post in doubt is found among the user's recent posts by its media keys, else by its text.
 */
@Component
public class XAdapter implements PlatformAdapter {

    static final String PLATFORM = "x";
    static final long IMAGE_MAX_BYTES = 5L * 1024 * 1024;
    static final long GIF_MAX_BYTES = 15L * 1024 * 1024;
    static final int MAX_IMAGES = 4;
    // APPEND takes at most 5 MB per segment and at most 1000 segments
    static final int DEFAULT_CHUNK_BYTES = 4 * 1024 * 1024;
    private static final Set<String> IMAGE_TYPES = Set.of("image/jpeg", "image/png", "image/webp");
    private static final Set<String> VIDEO_TYPES = Set.of("video/mp4", "video/quicktime");
    private static final Duration LOOKBACK = Duration.ofHours(24);
    private static final int PAGE_SIZE = 100;
    /** How far a reconcile pages back through the timeline before it gives up as Unknown. */
    static final int MAX_RECONCILE_PAGES = 50;

    private static final Step UPLOAD = Step.effect("upload");
    private static final Step PROCESS = Step.query("process");
    private static final Step PUBLISH = Step.publish("publish");

    static final String MEDIA_IDS = "x_media_ids";
    static final String MEDIA_KEYS = "x_media_keys";
    static final String PENDING = "x_media_pending";
    /** When the media upload began: the post in doubt was created after it. */
    static final String UPLOADED_AT = "x_uploaded_at";
    // our clock and X's may disagree a little
    private static final Duration CLOCK_SLACK = Duration.ofMinutes(5);

    private final Supplier<String> baseUrl;
    private final HttpClient http;
    private final MediaSource media;
    private final JsonMapper json;
    private final Clock clock;
    private final int chunkBytes;
    private final int pageSize;
    private final VideoLimits videoLimits;

    @Autowired
    public XAdapter(PlatformsSettings settings, Environment env, MediaSource media, JsonMapper json, Clock clock,
                    PlatformVideoLimits videoLimits) {
        this(PlatformBaseUrl.of(settings, env, PLATFORM, "/sandbox/x"),
                AdapterHttp.client(),
                media, json, clock, DEFAULT_CHUNK_BYTES, PAGE_SIZE, videoLimits.of(PLATFORM));
    }

    XAdapter(Supplier<String> baseUrl, HttpClient http, MediaSource media, JsonMapper json, Clock clock, int chunkBytes,
             VideoLimits videoLimits) {
        this(baseUrl, http, media, json, clock, chunkBytes, PAGE_SIZE, videoLimits);
    }

    /** {@code pageSize} (5–100) of the timeline when reconciling; tests page through few posts with small pages. */
    XAdapter(Supplier<String> baseUrl, HttpClient http, MediaSource media, JsonMapper json, Clock clock, int chunkBytes, int pageSize,
             VideoLimits videoLimits) {
        this.baseUrl = baseUrl;
        this.http = http;
        this.media = media;
        this.json = json;
        this.clock = clock;
        this.chunkBytes = chunkBytes;
        this.pageSize = pageSize;
        this.videoLimits = videoLimits;
    }

    @Override
    public String platform() {
        return PLATFORM;
    }

    @Override
    public List<Step> steps(PublishRequest request) {
        return request.media().isEmpty() ? List.of(PUBLISH) : List.of(UPLOAD, PROCESS, PUBLISH);
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
            case "upload" -> upload(request, context);
            case "process" -> process(request, context);
            case "publish" -> publish(request, context);
            default -> throw new IllegalArgumentException("unknown step " + step.name());
        };
    }

    @Override
    public ReconcileResult reconcile(Step step, PublishRequest request, StepContext context) {
        if (!step.equals(PUBLISH)) {
            // media nobody posted expires unseen on X: an upload in doubt is simply made again
            return new ReconcileResult.Absent();
        }
        return findRecent(request, context);
    }

    @Override
    public Optional<StepResult.Rejected> check(PublishRequest request) {
        return Optional.ofNullable(preflight(request, videoLimits));
    }

    /** The limits X states, checked before anything is sent; a video's come from {@code crosspost.media.platforms.x}. */
    static StepResult.@Nullable Rejected preflight(PublishRequest request, VideoLimits videoLimits) {
        int weighted = XText.weightedLength(request.text());
        if (weighted > XText.MAX_WEIGHTED_LENGTH) {
            return rejected("text_too_long", "the text is " + weighted + " characters long (URLs count "
                    + XText.URL_WEIGHT + "); the limit is " + XText.MAX_WEIGHTED_LENGTH);
        }
        List<MediaRef> files = request.media();
        if (request.text().isBlank() && files.isEmpty()) {
            return rejected("empty_post", "a post needs text or media");
        }
        long videos = files.stream().filter(m -> category(m) != Category.IMAGE).count();
        if (videos > 0 && files.size() > 1) {
            return rejected("too_many_media", "a post carries up to " + MAX_IMAGES + " photos, or 1 GIF, or 1 video; got "
                    + files.size() + " files including a video or GIF");
        }
        if (files.size() > MAX_IMAGES) {
            return rejected("too_many_media", "a post carries up to " + MAX_IMAGES + " photos; got " + files.size());
        }
        for (MediaRef file : files) {
            Category category = category(file);
            if (category == null) {
                return rejected("unsupported_media_type", "media type " + file.contentType()
                        + " is not supported; use JPEG, PNG, WebP, GIF, MP4 or MOV");
            }
            long maxBytes = category.maxBytes(videoLimits);
            if (file.sizeBytes() > maxBytes) {
                return rejected("media_too_large", category.label + " is " + file.sizeBytes() + " bytes; the limit is "
                        + maxBytes + " bytes (" + maxBytes / (1024 * 1024) + " MB)");
            }
            if (file.sizeBytes() <= 0) {
                return rejected("empty_media", "the " + category.label + " is empty");
            }
            if (category == Category.VIDEO) {
                StepResult.Rejected video = Preflight.video("X", "a video post", file, videoLimits);
                if (video != null) {
                    return video;
                }
            }
        }
        return null;
    }

    private StepResult upload(PublishRequest request, StepContext context) {
        Instant at = clock.instant();
        List<String> ids = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        List<String> pending = new ArrayList<>();
        try {
            for (MediaRef file : request.media()) {
                Category category = java.util.Objects.requireNonNull(category(file));
                ObjectNode init = json.createObjectNode().put("media_type", file.contentType())
                        .put("total_bytes", file.sizeBytes()).put("media_category", category.mediaCategory);
                HttpResponse<String> started = send(post("/2/media/upload/initialize", request, context)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(init))));
                if (started.statusCode() != 200) {
                    return failure(started);
                }
                String id = data(started).path("id").asString();
                for (long offset = 0, segment = 0; offset < file.sizeBytes(); offset += chunkBytes, segment++) {
                    HttpResponse<String> appended = append(request, context, file, id, segment, offset,
                            Math.min(chunkBytes, file.sizeBytes() - offset));
                    if (appended.statusCode() / 100 != 2) {
                        return failure(appended);
                    }
                }
                HttpResponse<String> finalized = send(post("/2/media/upload/" + enc(id) + "/finalize", request, context)
                        .POST(HttpRequest.BodyPublishers.noBody()));
                if (finalized.statusCode() != 200) {
                    return failure(finalized);
                }
                JsonNode data = data(finalized);
                StepResult processing = processingFailure(data);
                if (processing != null) {
                    return processing;
                }
                ids.add(id);
                keys.add(data.path("media_key").asString(""));
                String state = data.path("processing_info").path("state").asString("succeeded");
                if (!state.equals("succeeded")) {
                    pending.add(id);
                }
            }
        } catch (IOException e) {
            return AdapterHttp.ioFailure(e, "X media upload", true);
        }
        return StepResult.done(Map.of(MEDIA_IDS, String.join(",", ids), MEDIA_KEYS, String.join(",", keys),
                PENDING, String.join(",", pending), UPLOADED_AT, at.toString()));
    }

    private HttpResponse<String> append(PublishRequest request, StepContext context, MediaRef file, String id,
                                        long segment, long offset, long length) throws IOException {
        String boundary = "crosspost-" + UUID.randomUUID();
        String head = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"segment_index\"\r\n\r\n" + segment + "\r\n"
                + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"media\"; filename=\"media\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n";
        String tail = "\r\n--" + boundary + "--\r\n";
        HttpRequest.BodyPublisher body = HttpRequest.BodyPublishers.concat(HttpRequest.BodyPublishers.ofString(head),
                AdapterHttp.range(media, file, offset, length), HttpRequest.BodyPublishers.ofString(tail));
        return send(post("/2/media/upload/" + enc(id) + "/append", request, context)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary).POST(body));
    }

    private StepResult process(PublishRequest request, StepContext context) {
        String pending = request.outputs().getOrDefault(PENDING, "");
        for (String id : pending.isEmpty() ? List.<String>of() : Arrays.asList(pending.split(","))) {
            try {
                HttpResponse<String> status = send(HttpRequest.newBuilder(uri("/2/media/upload?command=STATUS&media_id=" + enc(id)))
                        .timeout(context.timeout()).header("Authorization", "Bearer " + request.accessToken()).GET());
                if (status.statusCode() != 200) {
                    return failure(status);
                }
                JsonNode data = data(status);
                StepResult failed = processingFailure(data);
                if (failed != null) {
                    return failed;
                }
                JsonNode info = data.path("processing_info");
                if (!info.path("state").asString("succeeded").equals("succeeded")) {
                    return new StepResult.RetryLater(ErrorClass.PROCESSING, Duration.ofSeconds(Math.max(1, info.path("check_after_secs").asLong(1))),
                            "X is processing the video (" + info.path("progress_percent").asInt(0) + "%)", 200);
                }
            } catch (IOException e) {
                return AdapterHttp.ioFailure(e, "X media status check", false);
            }
        }
        return StepResult.done(Map.of(PENDING, ""));
    }

    private StepResult publish(PublishRequest request, StepContext context) {
        ObjectNode body = json.createObjectNode();
        if (!request.text().isBlank()) {
            body.put("text", request.text());
        }
        String ids = request.outputs().getOrDefault(MEDIA_IDS, "");
        if (!ids.isEmpty()) {
            var mediaIds = body.putObject("media").putArray("media_ids");
            Arrays.stream(ids.split(",")).forEach(mediaIds::add);
        }
        try {
            HttpResponse<String> response = send(post("/2/tweets", request, context).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body))));
            observeQuota(response, context);
            if (response.statusCode() == 201) {
                return StepResult.done(posted(data(response).path("id").asString()));
            }
            if (response.statusCode() == 403 && message(response).contains("duplicate content")) {
                // X refuses a repeat of a recent post: if that post is ours (an earlier send that landed), it is done
                return switch (findRecent(request, context)) {
                    case ReconcileResult.Found(Map<String, String> outputs) -> StepResult.done(outputs);
                    case ReconcileResult.Absent() -> rejected("duplicate", message(response));
                    case ReconcileResult.Unknown(String reason) -> new StepResult.OutcomeUnknown("X refused a duplicate and " + reason);
                };
            }
            return failure(response);
        } catch (IOException e) {
            return AdapterHttp.ioFailure(e, "X post", true);
        }
    }

    /** Our post among the user's posts of the last day: by media key when it has media, else by its text. */
    private ReconcileResult findRecent(PublishRequest request, StepContext context) {
        String since = clock.instant().minus(LOOKBACK).truncatedTo(ChronoUnit.SECONDS).toString();
        String query = "/2/users/" + enc(request.platformUserId()) + "/tweets?max_results=" + pageSize + "&tweet.fields="
                + enc("created_at,attachments") + "&start_time=" + enc(since);
        Set<String> ourKeys = Arrays.stream(request.outputs().getOrDefault(MEDIA_KEYS, "").split(","))
                .filter(k -> !k.isBlank()).collect(Collectors.toSet());
        String ourText = normalized(request.text());
        String uploaded = request.outputs().get(UPLOADED_AT);
        @Nullable Instant uploadedSince = ourKeys.isEmpty() || uploaded == null ? null : Instant.parse(uploaded).minus(CLOCK_SLACK);
        @Nullable String next = null;
        try {
            // a busy user's day spans many pages: only a search that reached the end of the window, or (for a post
            // with media) posts created before our upload began, may say Absent; the timeline lists newest first
            for (int page = 0; page < MAX_RECONCILE_PAGES; page++) {
                HttpResponse<String> response = send(HttpRequest.newBuilder(uri(next == null ? query : query + "&pagination_token=" + enc(next)))
                        .timeout(context.timeout()).header("Authorization", "Bearer " + request.accessToken()).GET());
                if (response.statusCode() != 200) {
                    return new ReconcileResult.Unknown("the X lookup of recent posts answered " + response.statusCode() + ": " + message(response));
                }
                JsonNode body = json.readTree(response.body());
                boolean reachedOlder = false;
                for (JsonNode tweet : body.path("data")) {
                    boolean sameMedia = false;
                    for (JsonNode key : tweet.path("attachments").path("media_keys")) {
                        sameMedia |= ourKeys.contains(key.asString());
                    }
                    boolean match = ourKeys.isEmpty() ? normalized(tweet.path("text").asString("")).equals(ourText) : sameMedia;
                    if (match) {
                        return new ReconcileResult.Found(posted(tweet.path("id").asString()));
                    }
                    String created = tweet.path("created_at").asString("");
                    reachedOlder |= uploadedSince != null && !created.isEmpty() && Instant.parse(created).isBefore(uploadedSince);
                }
                JsonNode token = body.path("meta").path("next_token");
                if (reachedOlder || !token.isString() || token.asString().isEmpty()) {
                    return new ReconcileResult.Absent();
                }
                next = token.asString();
            }
            return new ReconcileResult.Unknown("the X lookup of recent posts stopped after " + MAX_RECONCILE_PAGES + " pages without the post");
        } catch (IOException e) {
            return new ReconcileResult.Unknown("the X lookup of recent posts failed: " + e.getClass().getSimpleName());
        } catch (RuntimeException e) {
            return new ReconcileResult.Unknown("the X lookup of recent posts answered unreadable JSON");
        }
    }

    // X shortens links to t.co and appends a media link to the text it shows back: compare without links
    private static String normalized(String text) {
        return text.replaceAll("https?://\\S+", "").replaceAll("\\s+", " ").trim();
    }

    private static Map<String, String> posted(String id) {
        return Map.of(StepResult.PLATFORM_POST_ID, id, StepResult.PLATFORM_URL, "https://x.com/i/web/status/" + id);
    }

    private @Nullable StepResult processingFailure(JsonNode data) {
        JsonNode info = data.path("processing_info");
        if (!info.path("state").asString("").equals("failed")) {
            return null;
        }
        JsonNode error = info.path("error");
        return rejected(error.path("name").asString("processing_failed"),
                "media processing failed: " + error.path("message").asString("no reason given"));
    }

    /** Maps a failed answer to the engine's classes, in X's own words. */
    private StepResult failure(HttpResponse<String> response) {
        int status = response.statusCode();
        String message = "X: " + message(response);
        StepResult shared = AdapterHttp.throttledOrDown(response, message, "x-rate-limit-reset", clock);
        return shared != null ? shared : new StepResult.Rejected(code(response), message, status);
    }

    private static StepResult.Rejected rejected(String code, String reason) {
        return Preflight.refused("X", code, reason);
    }

    /** The text of X's error: the specific {@code errors[0].message}, else the problem's {@code detail}, {@code message} or {@code title}. */
    private String message(HttpResponse<String> response) {
        JsonNode body = body(response);
        for (JsonNode candidate : List.of(body.path("errors").path(0).path("message"), body.path("detail"),
                body.path("message"), body.path("title"))) {
            if (candidate.isString() && !candidate.asString().isBlank()) {
                return candidate.asString();
            }
        }
        return "HTTP " + response.statusCode();
    }

    private String code(HttpResponse<String> response) {
        JsonNode body = body(response);
        String type = body.path("type").asString("");
        if (type.contains("/problems/")) {
            return type.substring(type.lastIndexOf('/') + 1);
        }
        JsonNode code = body.path("errors").path(0).path("code");
        return code.isMissingNode() ? "http_" + response.statusCode() : "x_" + code.asString();
    }

    private JsonNode body(HttpResponse<String> response) {
        return AdapterHttp.body(json, response);
    }

    private JsonNode data(HttpResponse<String> response) {
        return body(response).path("data");
    }

    private static void observeQuota(HttpResponse<?> response, StepContext context) {
        var remaining = response.headers().firstValueAsLong("x-rate-limit-remaining");
        var reset = response.headers().firstValueAsLong("x-rate-limit-reset");
        if (remaining.isPresent() && reset.isPresent()) {
            context.quotaObserved(remaining.getAsLong(), Instant.ofEpochSecond(reset.getAsLong()));
        }
    }

    private HttpRequest.Builder post(String path, PublishRequest request, StepContext context) {
        return HttpRequest.newBuilder(uri(path)).timeout(context.timeout()).header("Authorization", "Bearer " + request.accessToken());
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException {
        return AdapterHttp.send(http, request.build());
    }

    private URI uri(String path) {
        return URI.create(baseUrl.get() + path);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static @Nullable Category category(MediaRef file) {
        String type = file.contentType().toLowerCase(java.util.Locale.ROOT);
        if (type.equals("image/gif")) {
            return Category.GIF;
        }
        if (IMAGE_TYPES.contains(type)) {
            return Category.IMAGE;
        }
        return VIDEO_TYPES.contains(type) ? Category.VIDEO : null;
    }

    /** X's media kinds, with their {@code media_category} and size limit (a video's is a setting). */
    private enum Category {
        IMAGE("tweet_image", "the image"),
        GIF("tweet_gif", "the GIF"),
        VIDEO("tweet_video", "the video");

        final String mediaCategory;
        final String label;

        Category(String mediaCategory, String label) {
            this.mediaCategory = mediaCategory;
            this.label = label;
        }

        long maxBytes(VideoLimits video) {
            return switch (this) {
                case IMAGE -> IMAGE_MAX_BYTES;
                case GIF -> GIF_MAX_BYTES;
                case VIDEO -> video.maxSize().toBytes();
            };
        }
    }
}
