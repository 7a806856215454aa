package dev.crosspost.publishing.adapter.pinterest;

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
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Publishes video Pins through the Pinterest API v5: find the board, register the media, upload the video to the
 * returned S3 form, poll the media until {@code succeeded}, then create the Pin. Pinterest takes no idempotency
 * key, so the Pin carries the key in its private {@code note} (shown only to the owner) and a publish in doubt is
 * looked up among the board's Pins by that note.
 */
@Component
public class PinterestAdapter implements PlatformAdapter {

    static final String BOARD_ID = "board_id";
    static final String MEDIA_ID = "media_id";
    static final String UPLOAD_URL = "upload_url";
    static final String UPLOAD_PARAMETERS = "upload_parameters";
    /** When the media was registered: the Pin in doubt was created after it. */
    static final String REGISTERED_AT = "registered_at";
    /** Prefix of the idempotency marker in a Pin's note. */
    static final String MARKER = "crosspost:";

    private static final Step BOARD = Step.query("board");
    private static final Step REGISTER = Step.effect("register");
    private static final Step UPLOAD = Step.effect("upload");
    private static final Step PROCESS = Step.query("process");
    private static final Step PUBLISH = Step.publish("publish");
    private static final List<Step> STEPS = List.of(BOARD, REGISTER, UPLOAD, PROCESS, PUBLISH);
    private static final int PAGE_SIZE = 100;
    /** How far a reconcile pages back through the board before it gives up as Unknown. */
    static final int MAX_RECONCILE_PAGES = 50;
    // our clock and Pinterest's may disagree a little
    private static final Duration CLOCK_SLACK = Duration.ofMinutes(5);
    // Pinterest writes created_at in UTC without an offset (2026-01-01T10:00:00)
    private static final DateTimeFormatter PIN_TIME = DateTimeFormatter.ISO_LOCAL_DATE_TIME.withZone(ZoneOffset.UTC);

    private final Supplier<String> baseUrl;
    private final HttpClient http;
    private final MediaSource media;
    private final JsonMapper json;
    private final PinterestSettings settings;
    private final Clock clock;
    private final VideoLimits videoLimits;
    private final int pageSize;

    @Autowired
    PinterestAdapter(PlatformsSettings platforms, Environment env, MediaSource media, JsonMapper json,
                     PinterestSettings settings, Clock clock, PlatformVideoLimits videoLimits) {
        this(PlatformBaseUrl.of(platforms, env, "pinterest", "/sandbox/pinterest"),
                AdapterHttp.client(),
                media, json, settings, videoLimits.of("pinterest"), clock);
    }

    PinterestAdapter(Supplier<String> baseUrl, HttpClient http, MediaSource media, JsonMapper json,
                     PinterestSettings settings, VideoLimits videoLimits, Clock clock) {
        this(baseUrl, http, media, json, settings, videoLimits, clock, PAGE_SIZE);
    }

    /** {@code pageSize} of the board's Pins when reconciling; tests page through few Pins with small pages. */
    PinterestAdapter(Supplier<String> baseUrl, HttpClient http, MediaSource media, JsonMapper json,
                     PinterestSettings settings, VideoLimits videoLimits, Clock clock, int pageSize) {
        this.baseUrl = baseUrl;
        this.http = http;
        this.media = media;
        this.json = json;
        this.settings = settings;
        this.videoLimits = videoLimits;
        this.clock = clock;
        this.pageSize = pageSize;
    }

    @Override
    public String platform() {
        return "pinterest";
    }

    @Override
    public List<Step> steps(PublishRequest request) {
        return STEPS;
    }

    @Override
    public StepResult run(Step step, PublishRequest request, StepContext context) {
        return switch (step.name()) {
            case "board" -> board(request, context);
            case "register" -> register(request, context);
            case "upload" -> upload(request, context);
            case "process" -> process(request, context);
            case "publish" -> publish(request, context);
            default -> throw new IllegalArgumentException("unknown step " + step.name());
        };
    }

    @Override
    public ReconcileResult reconcile(Step step, PublishRequest request, StepContext context) {
        // registered media and uploads nobody pinned are invisible and unused: redo them
        if (!step.name().equals("publish")) {
            return new ReconcileResult.Absent();
        }
        String marker = marker(request);
        String registered = request.outputs().get(REGISTERED_AT);
        @Nullable Instant since = registered == null ? null : Instant.parse(registered).minus(CLOCK_SLACK);
        @Nullable String bookmark = null;
        try {
            // the Pin in doubt may sit on any page of a busy board: only a search that reached the end, or Pins
            // created before our media was registered (the board lists newest first), may say Absent
            for (int page = 0; page < MAX_RECONCILE_PAGES; page++) {
                String query = "/pins?page_size=" + pageSize + (bookmark == null ? "" : "&bookmark=" + URLEncoder.encode(bookmark, StandardCharsets.UTF_8));
                HttpResponse<String> response = send(api("/boards/" + segment(request.output(BOARD_ID)) + query, request, context).GET().build());
                if (response.statusCode() != 200) {
                    return new ReconcileResult.Unknown("Pinterest board lookup answered " + response.statusCode());
                }
                JsonNode body = json.readTree(response.body());
                boolean reachedOlder = false;
                for (JsonNode pin : body.path("items")) {
                    if (marker.equals(pin.path("note").asString(""))) {
                        return new ReconcileResult.Found(published(pin.path("id").asString()));
                    }
                    reachedOlder |= since != null && createdBefore(pin, since);
                }
                JsonNode next = body.path("bookmark");
                if (reachedOlder || !next.isString() || next.asString().isEmpty()) {
                    return new ReconcileResult.Absent();
                }
                bookmark = next.asString();
            }
            return new ReconcileResult.Unknown("Pinterest board lookup stopped after " + MAX_RECONCILE_PAGES + " pages without the Pin");
        } catch (IOException e) {
            return new ReconcileResult.Unknown("Pinterest lookup failed: " + e.getClass().getSimpleName());
        }
    }

    /** Whether the Pin's {@code created_at} is before {@code instant}; false when it has none to read. */
    private static boolean createdBefore(JsonNode pin, Instant instant) {
        String created = pin.path("created_at").asString("");
        try {
            return !created.isEmpty() && PIN_TIME.parse(created, Instant::from).isBefore(instant);
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    /** Checks the limits before any call, then finds the board to pin to. */
    private StepResult board(PublishRequest request, StepContext context) {
        StepResult refused = preflight(request);
        if (refused != null) {
            return refused;
        }
        try {
            HttpResponse<String> response = send(api("/boards?page_size=" + PAGE_SIZE, request, context).GET().build());
            if (response.statusCode() != 200) {
                return failure(response);
            }
            for (JsonNode board : json.readTree(response.body()).path("items")) {
                if (settings.board() == null || settings.board().equals(board.path("name").asString())) {
                    return StepResult.done(Map.of(BOARD_ID, board.path("id").asString()));
                }
            }
            return new StepResult.Rejected("board_missing", settings.board() == null
                    ? "Pinterest: the account has no board to pin to"
                    : "Pinterest: the account has no board named '" + settings.board() + "'", 200);
        } catch (IOException e) {
            return AdapterHttp.ioFailure(e, "listing the Pinterest boards", false);
        }
    }

    @Override
    public Optional<StepResult.Rejected> check(PublishRequest request) {
        return Optional.ofNullable(preflight(request));
    }

    private StepResult.@Nullable Rejected preflight(PublishRequest request) {
        StepResult.Rejected refused = Preflight.oneVideo("Pinterest", request, "a video Pin",
                "a Pin needs a video; text-only Pins are not possible", settings.videoTypes(), videoLimits);
        return refused != null ? refused
                : Preflight.textLength("Pinterest", "description_length", "description", request.text(), settings.maxDescriptionLength());
    }

    /** Registers a video upload; Pinterest answers with an S3 form to post the file to. */
    private StepResult register(PublishRequest request, StepContext context) {
        Instant at = clock.instant();
        try {
            HttpResponse<String> response = send(api("/media", request, context).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"media_type\":\"video\"}")).build());
            if (response.statusCode() != 201) {
                return failure(response);
            }
            JsonNode body = json.readTree(response.body());
            return StepResult.done(Map.of(MEDIA_ID, body.path("media_id").asString(), UPLOAD_URL, body.path("upload_url").asString(),
                    UPLOAD_PARAMETERS, json.writeValueAsString(body.path("upload_parameters")), REGISTERED_AT, at.toString()));
        } catch (IOException e) {
            return AdapterHttp.ioFailure(e, "registering the Pinterest media", true);
        }
    }

    /** Posts the S3 form: every upload parameter as a field, then the video streamed in the field {@code file}. */
    private StepResult upload(PublishRequest request, StepContext context) {
        MediaRef video = request.media().getFirst();
        String boundary = "crosspost-" + UUID.randomUUID();
        StringBuilder head = new StringBuilder();
        for (Map.Entry<String, JsonNode> field : json.readTree(request.output(UPLOAD_PARAMETERS)).properties()) {
            head.append("--").append(boundary).append("\r\nContent-Disposition: form-data; name=\"").append(field.getKey())
                    .append("\"\r\n\r\n").append(field.getValue().asString()).append("\r\n");
        }
        head.append("--").append(boundary).append("\r\nContent-Disposition: form-data; name=\"file\"; filename=\"video\"\r\nContent-Type: ")
                .append(video.contentType()).append("\r\n\r\n");
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII);
        try {
            HttpRequest upload = HttpRequest.newBuilder(URI.create(request.output(UPLOAD_URL))).timeout(context.timeout())
                    .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                    .POST(HttpRequest.BodyPublishers.concat(HttpRequest.BodyPublishers.ofByteArray(head.toString().getBytes(StandardCharsets.UTF_8)),
                            AdapterHttp.file(media, video), HttpRequest.BodyPublishers.ofByteArray(tail)))
                    .build();
            HttpResponse<String> response = send(upload);
            if (response.statusCode() / 100 == 2) {
                return StepResult.done(Map.of());
            }
            // S3 answers XML: <Error><Code>…</Code><Message>…</Message></Error>
            String message = "Pinterest: the video upload was refused: " + between(response.body(), "<Message>", "</Message>");
            if (response.statusCode() >= 500) {
                return new StepResult.RetryLater(ErrorClass.TRANSIENT, AdapterHttp.retryAfter(response, clock), message, response.statusCode());
            }
            return new StepResult.Rejected("upload_" + between(response.body(), "<Code>", "</Code>"), message, response.statusCode());
        } catch (IOException e) {
            return AdapterHttp.ioFailure(e, "uploading the video to Pinterest", true);
        }
    }

    private StepResult process(PublishRequest request, StepContext context) {
        try {
            HttpResponse<String> response = send(api("/media/" + segment(request.output(MEDIA_ID)), request, context).GET().build());
            if (response.statusCode() != 200) {
                return failure(response);
            }
            return switch (json.readTree(response.body()).path("status").asString()) {
                case "succeeded" -> StepResult.done(Map.of());
                case "failed" -> new StepResult.Rejected("media_failed", "Pinterest: the video could not be processed", 200);
                default -> new StepResult.RetryLater(ErrorClass.PROCESSING, Duration.ofSeconds(2), "Pinterest is processing the video", 200);
            };
        } catch (IOException e) {
            return AdapterHttp.ioFailure(e, "checking the Pinterest media", false);
        }
    }

    private StepResult publish(PublishRequest request, StepContext context) {
        ObjectNode pin = json.createObjectNode();
        pin.put("board_id", request.output(BOARD_ID));
        pin.put("description", request.text());
        pin.put("note", marker(request));
        ObjectNode source = pin.putObject("media_source");
        source.put("source_type", "video_id");
        source.put("media_id", request.output(MEDIA_ID));
        source.put("cover_image_key_frame_time", settings.coverFrameSeconds());
        try {
            HttpResponse<String> response = send(api("/pins", request, context).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(pin))).build());
            if (response.statusCode() != 201) {
                return failure(response);
            }
            return StepResult.done(published(json.readTree(response.body()).path("id").asString()));
        } catch (IOException e) {
            return AdapterHttp.ioFailure(e, "creating the Pin", true);
        }
    }

    /** One path segment: ids come from the platform, never spliced in raw. */
    private static String segment(String id) {
        return URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static Map<String, String> published(String pinId) {
        Map<String, String> outputs = new LinkedHashMap<>();
        outputs.put(StepResult.PLATFORM_POST_ID, pinId);
        outputs.put(StepResult.PLATFORM_URL, "https://www.pinterest.com/pin/" + pinId + "/");
        return outputs;
    }

    private static String marker(PublishRequest request) {
        return MARKER + request.idempotencyKey();
    }

    /** Maps Pinterest's {@code {"code","message"}} errors to the engine's classes. */
    private StepResult failure(HttpResponse<String> response) {
        int status = response.statusCode();
        JsonNode error = errorOf(response.body());
        String message = "Pinterest: " + error.path("message").asString("HTTP " + status);
        if (status == 401) {
            return new StepResult.NeedsReconnect(message);
        }
        if (status == 429) {
            return new StepResult.RetryLater(ErrorClass.RATE_LIMITED, AdapterHttp.retryAfter(response, clock), message, status);
        }
        if (status >= 500) {
            return new StepResult.RetryLater(ErrorClass.TRANSIENT, AdapterHttp.retryAfter(response, clock), message, status);
        }
        return new StepResult.Rejected("pinterest_" + (error.has("code") ? error.path("code").asString() : "http_" + status), message, status);
    }

    private JsonNode errorOf(String body) {
        try {
            return json.readTree(body);
        } catch (RuntimeException e) {
            return json.createObjectNode();
        }
    }

    private static String between(String text, String open, String close) {
        int start = text.indexOf(open);
        int end = start < 0 ? -1 : text.indexOf(close, start);
        return start < 0 || end < 0 ? "no details" : text.substring(start + open.length(), end);
    }

    private HttpRequest.Builder api(String path, PublishRequest request, StepContext context) {
        return HttpRequest.newBuilder(URI.create(baseUrl.get() + "/v5" + path)).timeout(context.timeout())
                .header("Authorization", "Bearer " + request.accessToken());
    }

    private HttpResponse<String> send(HttpRequest request) throws IOException {
        return AdapterHttp.send(http, request);
    }
}
