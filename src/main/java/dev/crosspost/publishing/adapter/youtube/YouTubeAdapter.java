package dev.crosspost.publishing.adapter.youtube;

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
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * YouTube Data API v3 with the resumable upload protocol: open a session (creates nothing visible), send the video
 * in 256 KiB-multiple chunks resuming from the server's {@code Range} after any drop, then poll processing. The
 * video carries a marker tag derived from the idempotency key, which YouTube shows back to the owner: reconcile
 * and {@code rejectionReason=duplicate} find the video that did land by it.
 */
@Component
public class YouTubeAdapter implements PlatformAdapter {

    // the quota is charged for the videos.insert call that opens the session, not for each resumed upload
    static final Step SESSION = Step.publish("session");
    static final Step UPLOAD = Step.effect("upload");
    static final Step PROCESS = Step.query("process");

    static final String UPLOAD_URL = "upload_url";
    static final String VIDEO_ID = "video_id";

    /** Google's resumable uploads want chunks in multiples of 256 KiB. */
    static final int CHUNK_UNIT = 256 * 1024;
    static final int DEFAULT_CHUNK = 32 * CHUNK_UNIT;
    static final int TITLE_MAX_CHARS = 100;
    static final int DESCRIPTION_MAX_BYTES = 5000;
    private static final int MAX_FAILURES = 5;
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);
    // a stalled chunk is resumed well before the step's whole-video budget runs out
    private static final Duration CHUNK_TIMEOUT = Duration.ofMinutes(5);
    private static final Duration PROCESSING_POLL = Duration.ofSeconds(5);
    private static final ZoneId QUOTA_ZONE = ZoneId.of("America/Los_Angeles");
    private static final Pattern RANGE = Pattern.compile("bytes=0-(\\d+)");

    private final Supplier<String> baseUrl;
    private final HttpClient http;
    private final MediaSource media;
    private final JsonMapper json;
    private final Clock clock;
    private final int chunkSize;
    private final VideoLimits videoLimits;

    @Autowired
    YouTubeAdapter(PlatformsSettings settings, Environment env, MediaSource media, JsonMapper json, Clock clock,
                   PlatformVideoLimits videoLimits) {
        this(PlatformBaseUrl.of(settings, env, "youtube", "/sandbox/youtube"),
                AdapterHttp.client(),
                media, json, clock, DEFAULT_CHUNK, videoLimits.of("youtube"));
    }

    /** An adapter outside the application context (tests, tools); {@code chunkSize} is a multiple of 256 KiB. */
    public YouTubeAdapter(Supplier<String> baseUrl, HttpClient http, MediaSource media, JsonMapper json, Clock clock, int chunkSize,
                          VideoLimits videoLimits) {
        if (chunkSize <= 0 || chunkSize % CHUNK_UNIT != 0) {
            throw new IllegalArgumentException("chunk size must be a positive multiple of 256 KiB");
        }
        this.baseUrl = baseUrl;
        this.http = http;
        this.media = media;
        this.json = json;
        this.clock = clock;
        this.chunkSize = chunkSize;
        this.videoLimits = videoLimits;
    }

    @Override
    public String platform() {
        return "youtube";
    }

    @Override
    public List<Step> steps(PublishRequest request) {
        return List.of(SESSION, UPLOAD, PROCESS);
    }

    @Override
    public StepResult run(Step step, PublishRequest request, StepContext context) {
        return switch (step.name()) {
            case "session" -> preflight(request).orElseGet(() -> session(request, context));
            case "upload" -> upload(request, context);
            case "process" -> process(request, context);
            default -> throw new IllegalArgumentException("unknown step " + step.name());
        };
    }

    @Override
    public ReconcileResult reconcile(Step step, PublishRequest request, StepContext context) {
        if (!step.name().equals(UPLOAD.name())) {
            // an upload session alone publishes nothing; processing is a query
            return new ReconcileResult.Absent();
        }
        MediaRef video = request.media().getFirst();
        try {
            Session session = query(request, request.output(UPLOAD_URL), video.sizeBytes(), requestTimeout(context));
            return switch (session) {
                case Session.Complete(String id) -> new ReconcileResult.Found(Map.of(VIDEO_ID, id));
                case Session.Partial p -> new ReconcileResult.Absent();
                case Session.Failed(StepResult.Rejected gone) -> {
                    // the session is gone (expired): look for the video by its marker instead
                    Optional<String> landed = findByMarker(request, null, requestTimeout(context));
                    yield landed.<ReconcileResult>map(id -> new ReconcileResult.Found(Map.of(VIDEO_ID, id)))
                            .orElseGet(ReconcileResult.Absent::new);
                }
                case Session.Failed(StepResult failure) -> new ReconcileResult.Unknown(reason(failure));
            };
        } catch (IOException | LookupFailed e) {
            return new ReconcileResult.Unknown("YouTube lookup failed: " + e.getMessage());
        }
    }

    @Override
    public Optional<StepResult.Rejected> check(PublishRequest request) {
        return preflight(request).map(StepResult.Rejected.class::cast);
    }

    /** The platform's own limits, checked before any call. */
    Optional<StepResult> preflight(PublishRequest request) {
        if (request.media().size() != 1) {
            return rejected("media_required", "YouTube: exactly one video is required; got " + request.media().size() + " media");
        }
        MediaRef video = request.media().getFirst();
        String type = video.contentType().toLowerCase(java.util.Locale.ROOT);
        if (!type.startsWith("video/") && !type.equals("application/octet-stream")) {
            return rejected("invalid_media_type", "YouTube: media type " + video.contentType() + " is not accepted; send video/* or application/octet-stream");
        }
        if (video.sizeBytes() <= 0) {
            return rejected("emptyFile", "YouTube: the video file is empty");
        }
        long maxSize = videoLimits.maxSize().toBytes();
        if (video.sizeBytes() > maxSize) {
            return rejected("fileTooLarge", "YouTube: the video is " + video.sizeBytes() + " bytes; the limit is " + maxSize + " bytes");
        }
        StepResult.Rejected limits = Preflight.video("YouTube", "a video", video, videoLimits);
        if (limits != null) {
            return Optional.of(limits);
        }
        String title = title(request.text());
        if (title.isEmpty()) {
            return rejected("invalidTitle", "YouTube: a title is required (the first line of the text)");
        }
        int titleChars = title.codePointCount(0, title.length());
        if (titleChars > TITLE_MAX_CHARS) {
            return rejected("invalidTitle", "YouTube: the title (first line) is " + titleChars + " characters; the limit is " + TITLE_MAX_CHARS);
        }
        int descriptionBytes = request.text().getBytes(StandardCharsets.UTF_8).length;
        if (descriptionBytes > DESCRIPTION_MAX_BYTES) {
            return rejected("invalidDescription", "YouTube: the description is " + descriptionBytes + " bytes; the limit is " + DESCRIPTION_MAX_BYTES + " bytes");
        }
        if (request.text().indexOf('<') >= 0 || request.text().indexOf('>') >= 0) {
            return rejected("invalidDescription", "YouTube: the title and description must not contain < or >");
        }
        return Optional.empty();
    }

    private StepResult session(PublishRequest request, StepContext context) {
        MediaRef video = request.media().getFirst();
        Map<String, Object> snippet = new LinkedHashMap<>();
        snippet.put("title", title(request.text()));
        snippet.put("description", request.text());
        snippet.put("tags", List.of(marker(request.idempotencyKey())));
        snippet.put("categoryId", "22");
        Map<String, Object> status = Map.of("privacyStatus", "public", "selfDeclaredMadeForKids", false);
        try {
            HttpRequest start = HttpRequest.newBuilder(uri("/upload/youtube/v3/videos?uploadType=resumable&part=" + enc("snippet,status")))
                    .timeout(requestTimeout(context))
                    .header("Authorization", "Bearer " + request.accessToken())
                    .header("Content-Type", "application/json; charset=UTF-8")
                    .header("X-Upload-Content-Length", Long.toString(video.sizeBytes()))
                    .header("X-Upload-Content-Type", video.contentType())
                    .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(Map.of("snippet", snippet, "status", status))))
                    .build();
            HttpResponse<String> response = AdapterHttp.send(http, start);
            Optional<String> location = response.headers().firstValue("Location");
            if (response.statusCode() == 200 && location.isPresent()) {
                return StepResult.done(Map.of(UPLOAD_URL, location.get()));
            }
            return failure(response, "starting the upload");
        } catch (IOException e) {
            // an orphaned session publishes nothing and expires: starting another one is always safe
            return new StepResult.RetryLater(ErrorClass.TRANSIENT, null, "YouTube upload session: " + describe(e), null);
        }
    }

    private StepResult upload(PublishRequest request, StepContext context) {
        MediaRef video = request.media().getFirst();
        long total = video.sizeBytes();
        String url = request.output(UPLOAD_URL);
        int failures = 0;
        long progress = -1;
        Session state;
        try {
            state = query(request, url, total, requestTimeout(context));
        } catch (IOException e) {
            return new StepResult.RetryLater(ErrorClass.TRANSIENT, null, "YouTube upload status: " + describe(e), null);
        }
        while (true) {
            switch (state) {
                case Session.Complete(String id) -> {
                    return StepResult.done(Map.of(VIDEO_ID, id));
                }
                case Session.Failed(StepResult failure) -> {
                    return failure;
                }
                case Session.Partial(long offset, String location) -> {
                    url = location == null ? url : location;
                    if (offset > progress) {
                        // the server got further: only failures without progress count against the limit
                        progress = offset;
                        failures = 0;
                    }
                    long length = Math.min(chunkSize, total - offset);
                    boolean last = offset + length == total;
                    try {
                        HttpRequest put = HttpRequest.newBuilder(URI.create(url))
                                .timeout(min(context.timeout(), CHUNK_TIMEOUT))
                                .header("Authorization", "Bearer " + request.accessToken())
                                .header("Content-Type", video.contentType())
                                .header("Content-Range", "bytes " + offset + "-" + (offset + length - 1) + "/" + total)
                                .PUT(AdapterHttp.range(media, video, offset, length))
                                .build();
                        HttpResponse<String> response = AdapterHttp.send(http, put);
                        if (response.statusCode() < 500) {
                            state = answer(response, url, total);
                            continue;
                        }
                    } catch (IOException e) {
                        // dropped: ask the server how far it got, below
                    }
                    if (++failures > MAX_FAILURES) {
                        return last ? new StepResult.OutcomeUnknown("YouTube upload broke off " + failures + " times in a row at the final chunk")
                                : new StepResult.RetryLater(ErrorClass.TRANSIENT, null, "YouTube upload broke off " + failures + " times in a row", null);
                    }
                    try {
                        state = query(request, url, total, requestTimeout(context));
                    } catch (IOException e) {
                        state = new Session.Failed(new StepResult.RetryLater(ErrorClass.TRANSIENT, null, "YouTube upload status: " + describe(e), null));
                    }
                    if (last && state instanceof Session.Failed(StepResult.RetryLater r)) {
                        // only the final chunk can have created the video, and the server would not say whether it did
                        return new StepResult.OutcomeUnknown("YouTube upload of the final chunk went unanswered; then " + r.reason());
                    }
                }
            }
        }
    }

    private StepResult process(PublishRequest request, StepContext context) {
        String id = request.output(VIDEO_ID);
        try {
            JsonNode items = videos(request, id, requestTimeout(context));
            if (items.isEmpty()) {
                return new StepResult.Rejected("deleted", "YouTube: video " + id + " no longer exists", 200);
            }
            JsonNode video = items.get(0);
            JsonNode status = video.path("status");
            return switch (status.path("uploadStatus").asString()) {
                case "processed" -> published(id);
                case "failed" -> new StepResult.Rejected(status.path("failureReason").asString("failed"),
                        "YouTube: processing failed: " + status.path("failureReason").asString("no reason given"), 200);
                case "rejected" -> {
                    String reason = status.path("rejectionReason").asString("rejected");
                    if (reason.equals("duplicate")) {
                        // our earlier upload landed (e.g. a lost session was started again): that one is the post
                        Optional<String> original = findByMarker(request, id, requestTimeout(context));
                        if (original.isPresent()) {
                            yield published(original.get());
                        }
                        yield new StepResult.Rejected("duplicate", "YouTube: Duplicate upload in the same channel", 200);
                    }
                    yield new StepResult.Rejected(reason, "YouTube: the video was rejected: " + reason, 200);
                }
                case "deleted" -> new StepResult.Rejected("deleted", "YouTube: the video was deleted", 200);
                default -> {
                    JsonNode progress = video.path("processingDetails").path("processingProgress");
                    String detail = progress.has("partsTotal")
                            ? " (" + progress.path("partsProcessed").asLong() + "/" + progress.path("partsTotal").asLong() + " parts)" : "";
                    yield new StepResult.RetryLater(ErrorClass.PROCESSING, PROCESSING_POLL, "YouTube is processing the video" + detail, 200);
                }
            };
        } catch (LookupFailed e) {
            return e.result;
        } catch (IOException e) {
            return AdapterHttp.ioFailure(e, "YouTube status check", false);
        }
    }

    private StepResult published(String id) {
        return StepResult.done(Map.of(VIDEO_ID, id, StepResult.PLATFORM_POST_ID, id,
                StepResult.PLATFORM_URL, "https://www.youtube.com/watch?v=" + id));
    }

    /** The session's state: {@code PUT} with {@code Content-Range: bytes *}{@code /total} and no body. */
    private Session query(PublishRequest request, String url, long total, Duration timeout) throws IOException {
        HttpRequest status = HttpRequest.newBuilder(URI.create(url))
                .timeout(timeout)
                .header("Authorization", "Bearer " + request.accessToken())
                .header("Content-Range", "bytes */" + total)
                .PUT(HttpRequest.BodyPublishers.noBody())
                .build();
        return answer(AdapterHttp.send(http, status), url, total);
    }

    private Session answer(HttpResponse<String> response, String url, long total) {
        int code = response.statusCode();
        if (code == 200 || code == 201) {
            return new Session.Complete(json.readTree(response.body()).path("id").asString());
        }
        if (code == 308) {
            // no Range: nothing kept; else continue after the last byte the server holds, not the last one sent
            long next = response.headers().firstValue("Range").map(RANGE::matcher).filter(Matcher::matches)
                    .map(m -> Long.parseLong(m.group(1)) + 1).orElse(0L);
            if (next >= total) {
                return new Session.Failed(new StepResult.RetryLater(ErrorClass.TRANSIENT, null,
                        "YouTube holds every byte but has not finished the upload", 308));
            }
            return new Session.Partial(next, response.headers().firstValue("Location").orElse(url));
        }
        return new Session.Failed(failure(response, "uploading"));
    }

    /** The upload session as the server reports it. */
    private sealed interface Session {
        record Complete(String videoId) implements Session {
        }

        record Partial(long offset, @Nullable String location) implements Session {
        }

        record Failed(StepResult failure) implements Session {
        }
    }

    /** The newest uploads of the channel carrying this publication's marker tag, other than {@code except}. */
    private Optional<String> findByMarker(PublishRequest request, @Nullable String except, Duration timeout) throws IOException {
        HttpResponse<String> search = AdapterHttp.send(http, get(request,
                "/youtube/v3/search?part=snippet&forMine=true&type=video&order=date&maxResults=25", timeout));
        if (search.statusCode() != 200) {
            throw new LookupFailed(failure(search, "listing recent uploads"));
        }
        List<String> ids = new java.util.ArrayList<>();
        json.readTree(search.body()).path("items").forEach(item -> ids.add(item.path("id").path("videoId").asString()));
        ids.remove(except);
        if (ids.isEmpty()) {
            return Optional.empty();
        }
        String marker = marker(request.idempotencyKey());
        for (JsonNode video : videos(request, String.join(",", ids), timeout)) {
            boolean ours = false;
            for (JsonNode tag : video.path("snippet").path("tags")) {
                ours |= marker.equals(tag.asString());
            }
            String state = video.path("status").path("uploadStatus").asString();
            if (ours && (state.equals("processed") || state.equals("uploaded"))) {
                return Optional.of(video.path("id").asString());
            }
        }
        return Optional.empty();
    }

    private JsonNode videos(PublishRequest request, String ids, Duration timeout) throws IOException {
        HttpResponse<String> response = AdapterHttp.send(http, get(request,
                "/youtube/v3/videos?part=" + enc("snippet,status,processingDetails") + "&id=" + enc(ids), timeout));
        if (response.statusCode() != 200) {
            throw new LookupFailed(failure(response, "checking the video"));
        }
        return json.readTree(response.body()).path("items");
    }

    /** A lookup answered with an error: carries the mapped result. */
    private static final class LookupFailed extends RuntimeException {
        final transient StepResult result;

        LookupFailed(StepResult result) {
            super(reason(result), null, false, false);
            this.result = result;
        }
    }

    private static String reason(StepResult result) {
        return switch (result) {
            case StepResult.RetryLater r -> r.reason();
            case StepResult.Rejected r -> r.reason();
            case StepResult.NeedsReconnect r -> r.reason();
            case StepResult.OutcomeUnknown r -> r.reason();
            case StepResult.Done d -> "done";
        };
    }

    /** Maps Google's error envelope {@code {"error":{"code","message","errors":[{"reason"}]}}}. */
    StepResult failure(HttpResponse<String> response, String doing) {
        int status = response.statusCode();
        JsonNode error = errorOf(response);
        String reason = error.path("errors").path(0).path("reason").asString(error.path("status").asString("http_" + status));
        String message = "YouTube: " + error.path("message").asString("HTTP " + status + " while " + doing);
        if (status == 401) {
            return new StepResult.NeedsReconnect(message);
        }
        if (reason.equals("quotaExceeded") || reason.equals("dailyLimitExceeded")) {
            // the daily quota resets at midnight Pacific Time
            ZonedDateTime now = ZonedDateTime.now(clock.withZone(QUOTA_ZONE));
            Duration untilReset = Duration.between(now, now.toLocalDate().plusDays(1).atStartOfDay(QUOTA_ZONE));
            return new StepResult.RetryLater(ErrorClass.RATE_LIMITED, untilReset, message, status);
        }
        if (reason.equals("uploadLimitExceeded")) {
            return new StepResult.RetryLater(ErrorClass.RATE_LIMITED, Duration.ofHours(24), message, status);
        }
        if (status == 429 || reason.equals("rateLimitExceeded") || reason.equals("userRateLimitExceeded")) {
            return new StepResult.RetryLater(ErrorClass.RATE_LIMITED, AdapterHttp.retryAfter(response, clock), message, status);
        }
        if (status >= 500) {
            return new StepResult.RetryLater(ErrorClass.TRANSIENT, AdapterHttp.retryAfter(response, clock), message, status);
        }
        if (reason.equals("insufficientPermissions") || reason.equals("authError")) {
            return new StepResult.NeedsReconnect(message);
        }
        return new StepResult.Rejected(reason, message, status);
    }

    private JsonNode errorOf(HttpResponse<String> response) {
        return AdapterHttp.body(json, response).path("error");
    }

    /** The title is the text's first non-blank line. */
    static String title(String text) {
        return text.strip().lines().findFirst().orElse("").strip();
    }

    /** A short tag naming the publication; YouTube shows tags back to the channel's owner, not in the video page. */
    static String marker(String idempotencyKey) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(idempotencyKey.getBytes(StandardCharsets.UTF_8));
            return "crosspost-" + HexFormat.of().formatHex(hash, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    private static Optional<StepResult> rejected(String code, String reason) {
        return Optional.of(new StepResult.Rejected(code, reason, null));
    }

    private HttpRequest get(PublishRequest request, String path, Duration timeout) {
        return HttpRequest.newBuilder(uri(path)).timeout(timeout)
                .header("Authorization", "Bearer " + request.accessToken()).GET().build();
    }

    private static Duration requestTimeout(StepContext context) {
        return min(context.timeout(), REQUEST_TIMEOUT);
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) < 0 ? a : b;
    }

    private static String describe(IOException e) {
        return e instanceof java.net.http.HttpTimeoutException ? "timed out" : "broke off (" + e.getClass().getSimpleName() + ")";
    }

    private URI uri(String path) {
        return URI.create(baseUrl.get() + path);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
