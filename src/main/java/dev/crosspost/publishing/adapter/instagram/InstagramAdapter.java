package dev.crosspost.publishing.adapter.instagram;

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
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Publishes Reels through the Instagram Graph API: create a resumable container, upload the video to it, poll the
 * container until {@code FINISHED}, then {@code media_publish} it and read its permalink. Instagram takes no
 * idempotency key; the container id is the handle: a container is published at most once, and a publish in doubt
 * is settled by the container's {@code status_code} and the account's recent media.
 */
@Component
public class InstagramAdapter implements PlatformAdapter {

    static final String CONTAINER_ID = "container_id";
    static final String UPLOAD_URI = "upload_uri";
    static final String CONTAINER_AT = "container_at";

    private static final Step CONTAINER = Step.effect("container");
    private static final Step UPLOAD = Step.effect("upload");
    private static final Step PROCESS = Step.query("process");
    private static final Step PUBLISH = Step.publish("publish");
    private static final Step PERMALINK = Step.query("permalink");
    private static final List<Step> STEPS = List.of(CONTAINER, UPLOAD, PROCESS, PUBLISH, PERMALINK);

    // a publish and its recent-media entry may carry slightly different clocks
    private static final Duration LOOKUP_SLACK = Duration.ofMinutes(5);
    private static final Duration FULL_QUOTA_RECHECK = Duration.ofHours(1);
    private static final int PAGE_SIZE = 50;
    /** How far a lookup pages back through the account's media before it gives up. */
    static final int MAX_LOOKUP_PAGES = 50;
    // Graph writes offsets without a colon (2025-01-31T12:00:00+0000)
    private static final DateTimeFormatter GRAPH_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssZ");

    private final Supplier<String> baseUrl;
    private final HttpClient http;
    private final MediaSource media;
    private final JsonMapper json;
    private final InstagramSettings settings;
    private final Clock clock;
    private final VideoLimits videoLimits;
    private final GraphErrors errors;
    private final int pageSize;

    @Autowired
    InstagramAdapter(PlatformsSettings platforms, Environment env, MediaSource media, JsonMapper json,
                     InstagramSettings settings, Clock clock, PlatformVideoLimits videoLimits) {
        this(PlatformBaseUrl.of(platforms, env, "instagram", "/sandbox/instagram"),
                AdapterHttp.client(),
                media, json, settings, videoLimits.of("instagram"), clock);
    }

    InstagramAdapter(Supplier<String> baseUrl, HttpClient http, MediaSource media, JsonMapper json,
                     InstagramSettings settings, VideoLimits videoLimits, Clock clock) {
        this(baseUrl, http, media, json, settings, videoLimits, clock, PAGE_SIZE);
    }

    /** {@code pageSize} of the account's media when looking up a publish; tests page through few with small pages. */
    InstagramAdapter(Supplier<String> baseUrl, HttpClient http, MediaSource media, JsonMapper json,
                     InstagramSettings settings, VideoLimits videoLimits, Clock clock, int pageSize) {
        this.baseUrl = baseUrl;
        this.http = http;
        this.media = media;
        this.json = json;
        this.settings = settings;
        this.videoLimits = videoLimits;
        this.clock = clock;
        this.errors = new GraphErrors(json, clock);
        this.pageSize = pageSize;
    }

    @Override
    public String platform() {
        return "instagram";
    }

    @Override
    public List<Step> steps(PublishRequest request) {
        return STEPS;
    }

    @Override
    public StepResult run(Step step, PublishRequest request, StepContext context) {
        return switch (step.name()) {
            case "container" -> container(request, context);
            case "upload" -> upload(request, context);
            case "process" -> process(request, context);
            case "publish" -> publish(request, context);
            case "permalink" -> permalink(request, context);
            default -> throw new IllegalArgumentException("unknown step " + step.name());
        };
    }

    @Override
    public ReconcileResult reconcile(Step step, PublishRequest request, StepContext context) {
        // an unpublished container or a repeated upload is invisible to followers and expires in 24 h: redo them
        if (!step.name().equals("publish")) {
            return new ReconcileResult.Absent();
        }
        try {
            HttpResponse<String> response = send(get("/" + segment(request.output(CONTAINER_ID)), Map.of("fields", "status_code,status"), request, context));
            if (response.statusCode() != 200) {
                return new ReconcileResult.Unknown("Instagram container check answered " + response.statusCode());
            }
            if (!"PUBLISHED".equals(json.readTree(response.body()).path("status_code").asString())) {
                return new ReconcileResult.Absent();
            }
            Map<String, String> found = findPublished(request, context);
            return found == null ? new ReconcileResult.Unknown("the container is published but its media is not listed yet")
                    : new ReconcileResult.Found(found);
        } catch (IOException e) {
            return new ReconcileResult.Unknown("Instagram lookup failed: " + e.getClass().getSimpleName());
        }
    }

    /** Checks the limits before anything is sent, then opens a resumable Reels container with the caption. */
    private StepResult container(PublishRequest request, StepContext context) {
        StepResult refused = preflight(request);
        if (refused != null) {
            return refused;
        }
        Map<String, String> form = new LinkedHashMap<>();
        form.put("media_type", "REELS");
        form.put("upload_type", "resumable");
        form.put("caption", request.text());
        Instant at = clock.instant();
        try {
            HttpResponse<String> response = send(post("/" + segment(request.platformUserId()) + "/media", form, request, context));
            if (response.statusCode() != 200) {
                return errors.failure(response);
            }
            JsonNode body = json.readTree(response.body());
            return StepResult.done(Map.of(CONTAINER_ID, body.path("id").asString(), UPLOAD_URI, body.path("uri").asString(),
                    CONTAINER_AT, at.toString()));
        } catch (IOException e) {
            return AdapterHttp.ioFailure(e, "creating the Instagram container", true);
        }
    }

    @Override
    public Optional<StepResult.Rejected> check(PublishRequest request) {
        return Optional.ofNullable(preflight(request));
    }

    private StepResult.@Nullable Rejected preflight(PublishRequest request) {
        StepResult.Rejected refused = Preflight.oneVideo("Instagram", request, "a Reel",
                "a Reel needs exactly one video; text-only posts are not possible", settings.videoTypes(), videoLimits);
        return refused != null ? refused
                : Preflight.textLength("Instagram", "caption_length", "caption", request.text(), settings.maxCaptionLength());
    }

    /** Streams the video to the container's upload URI in one resumable request from offset 0. */
    private StepResult upload(PublishRequest request, StepContext context) {
        MediaRef video = request.media().getFirst();
        try {
            HttpRequest upload = HttpRequest.newBuilder(URI.create(request.output(UPLOAD_URI)))
                    .timeout(context.timeout())
                    .header("Authorization", "OAuth " + request.accessToken())
                    .header("offset", "0")
                    .header("file_size", Long.toString(video.sizeBytes()))
                    .POST(AdapterHttp.file(media, video))
                    .build();
            HttpResponse<String> response = send(upload);
            if (response.statusCode() == 200 && json.readTree(response.body()).path("success").asBoolean(false)) {
                return StepResult.done(Map.of());
            }
            return errors.uploadFailure(response);
        } catch (IOException e) {
            return AdapterHttp.ioFailure(e, "uploading the video to Instagram", true);
        }
    }

    private StepResult process(PublishRequest request, StepContext context) {
        try {
            HttpResponse<String> response = send(get("/" + segment(request.output(CONTAINER_ID)), Map.of("fields", "status_code,status"), request, context));
            if (response.statusCode() != 200) {
                return errors.failure(response);
            }
            JsonNode body = json.readTree(response.body());
            String status = body.path("status").asString("");
            return switch (body.path("status_code").asString()) {
                case "FINISHED", "PUBLISHED" -> StepResult.done(Map.of());
                case "ERROR" -> new StepResult.Rejected("container_error", "Instagram: the video could not be processed: "
                        + (status.isBlank() ? "no reason given" : status), 200);
                case "EXPIRED" -> new StepResult.Rejected("container_expired",
                        "Instagram: the container expired before it was published (24 hours)", 200);
                default -> new StepResult.RetryLater(ErrorClass.PROCESSING, Duration.ofSeconds(2), "Instagram is processing the video", 200);
            };
        } catch (IOException e) {
            return AdapterHttp.ioFailure(e, "checking the Instagram container", false);
        }
    }

    /**
     * Publishes the container once: a container already {@code PUBLISHED} is looked up instead, and a full
     * publishing quota ({@code content_publishing_limit}) waits instead of collecting an error.
     */
    private StepResult publish(PublishRequest request, StepContext context) {
        String container = request.output(CONTAINER_ID);
        try {
            HttpResponse<String> status = send(get("/" + segment(container), Map.of("fields", "status_code"), request, context));
            if (status.statusCode() != 200) {
                return errors.failure(status);
            }
            if ("PUBLISHED".equals(json.readTree(status.body()).path("status_code").asString())) {
                Map<String, String> found = findPublished(request, context);
                return found != null ? StepResult.done(found)
                        : new StepResult.OutcomeUnknown("the Instagram container is already published but its media is not listed yet");
            }
            StepResult full = checkQuota(request, context);
            if (full != null) {
                return full;
            }
        } catch (IOException e) {
            return AdapterHttp.ioFailure(e, "checking the Instagram container", false);
        }
        try {
            HttpResponse<String> response = send(post("/" + segment(request.platformUserId()) + "/media_publish",
                    Map.of("creation_id", container), request, context));
            if (response.statusCode() != 200) {
                return errors.failure(response);
            }
            return StepResult.done(Map.of(StepResult.PLATFORM_POST_ID, json.readTree(response.body()).path("id").asString()));
        } catch (IOException e) {
            return AdapterHttp.ioFailure(e, "publishing to Instagram", true);
        }
    }

    private @Nullable StepResult checkQuota(PublishRequest request, StepContext context) throws IOException {
        Instant now = clock.instant();
        HttpResponse<String> response = send(get("/" + segment(request.platformUserId()) + "/content_publishing_limit",
                Map.of("fields", "quota_usage,config", "since", Long.toString(now.minus(Duration.ofDays(1)).getEpochSecond())), request, context));
        if (response.statusCode() != 200) {
            return errors.failure(response);
        }
        JsonNode limit = json.readTree(response.body()).path("data").path(0);
        if (limit.isMissingNode()) {
            return null;
        }
        long usage = limit.path("quota_usage").asLong(0);
        long total = limit.path("config").path("quota_total").asLong(Long.MAX_VALUE);
        if (usage < total) {
            context.quotaObserved(total - usage, now.plusSeconds(limit.path("config").path("quota_duration").asLong(86_400)));
            return null;
        }
        // the window is rolling and Instagram does not say when a slot frees up: look again in a while
        context.quotaObserved(0, now.plus(FULL_QUOTA_RECHECK));
        return new StepResult.RetryLater(ErrorClass.RATE_LIMITED, FULL_QUOTA_RECHECK,
                "Instagram: " + usage + " of " + total + " posts published in the last 24 hours", 200);
    }

    private StepResult permalink(PublishRequest request, StepContext context) {
        try {
            HttpResponse<String> response = send(get("/" + segment(request.output(StepResult.PLATFORM_POST_ID)), Map.of("fields", "permalink"), request, context));
            if (response.statusCode() != 200) {
                return errors.failure(response);
            }
            return StepResult.done(Map.of(StepResult.PLATFORM_URL, json.readTree(response.body()).path("permalink").asString()));
        } catch (IOException e) {
            return AdapterHttp.ioFailure(e, "reading the Instagram permalink", false);
        }
    }

    /**
     * The account's media with our caption, published after our container was made (oldest such). Pages back
     * newest first until the media are older than the container; null when not found or the search stopped early.
     */
    private @Nullable Map<String, String> findPublished(PublishRequest request, StepContext context) throws IOException {
        Instant after = Instant.parse(request.output(CONTAINER_AT)).minus(LOOKUP_SLACK);
        JsonNode match = null;
        @Nullable String cursor = null;
        for (int page = 0; page < MAX_LOOKUP_PAGES; page++) {
            Map<String, String> query = new LinkedHashMap<>(Map.of("fields", "id,caption,permalink,timestamp", "limit", Integer.toString(pageSize)));
            if (cursor != null) {
                query.put("after", cursor);
            }
            HttpResponse<String> response = send(get("/" + segment(request.platformUserId()) + "/media", query, request, context));
            if (response.statusCode() != 200) {
                return null;
            }
            JsonNode body = json.readTree(response.body());
            boolean passedContainer = false;
            for (JsonNode m : body.path("data")) {
                Instant at = timestamp(m);
                passedContainer |= at.isBefore(after);
                if (request.text().equals(m.path("caption").asString("")) && !at.isBefore(after)) {
                    match = m;
                }
            }
            JsonNode paging = body.path("paging");
            JsonNode next = paging.path("cursors").path("after");
            // Graph leaves paging.next out on the last page
            if (passedContainer || !paging.path("next").isString() || !next.isString()) {
                break;
            }
            if (page == MAX_LOOKUP_PAGES - 1) {
                // stopped early: an older match may still exist, so nothing is claimed
                return null;
            }
            cursor = next.asString();
        }
        if (match == null) {
            return null;
        }
        Map<String, String> outputs = new LinkedHashMap<>();
        outputs.put(StepResult.PLATFORM_POST_ID, match.path("id").asString());
        String permalink = match.path("permalink").asString("");
        if (!permalink.isBlank()) {
            outputs.put(StepResult.PLATFORM_URL, permalink);
        }
        return outputs;
    }

    private static Instant timestamp(JsonNode media) {
        String t = media.path("timestamp").asString("");
        try {
            return OffsetDateTime.parse(t, GRAPH_TIME).toInstant();
        } catch (DateTimeParseException e) {
            return Instant.EPOCH;
        }
    }

    private HttpRequest get(String path, Map<String, String> query, PublishRequest request, StepContext context) {
        Map<String, String> params = new LinkedHashMap<>(query);
        params.put("access_token", request.accessToken());
        return HttpRequest.newBuilder(uri(path + "?" + form(params))).timeout(context.timeout()).GET().build();
    }

    private HttpRequest post(String path, Map<String, String> fields, PublishRequest request, StepContext context) {
        Map<String, String> params = new LinkedHashMap<>(fields);
        params.put("access_token", request.accessToken());
        return HttpRequest.newBuilder(uri(path)).timeout(context.timeout())
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form(params))).build();
    }

    private HttpResponse<String> send(HttpRequest request) throws IOException {
        return AdapterHttp.send(http, request);
    }

    private URI uri(String path) {
        return URI.create(baseUrl.get() + "/" + settings.graphVersion() + path);
    }

    /** One path segment: ids come from the account and the platform, never spliced in raw. */
    private static String segment(String id) {
        return URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String form(Map<String, String> params) {
        return params.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }
}
