package dev.crosspost.publishing.adapter.tiktok;

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
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * TikTok Content Posting API, Direct Post with {@code FILE_UPLOAD}: read the creator's options, init the post
 * (which counts against the posting caps), send the video in chunks, then poll the status until TikTok shows the
 * public post id. TikTok has no idempotency key: a post in doubt is looked up by its stored {@code publish_id},
 * never initialised again.
 */
@Component
public class TikTokAdapter implements PlatformAdapter {

    static final Step CREATOR = Step.query("creator_info");
    static final Step INIT = Step.publish("init");
    static final Step UPLOAD = Step.effect("upload");
    static final Step STATUS = Step.query("status");

    static final String PRIVACY = "privacy_level";
    static final String USERNAME = "creator_username";
    static final String PUBLISH_ID = "publish_id";
    static final String UPLOAD_URL = "upload_url";

    static final long MB = 1024 * 1024;
    /** Chunks are 5–64 MB; a file under 5 MB goes whole. */
    static final long MIN_CHUNK = 5 * MB;
    static final long MAX_CHUNK = 64 * MB;
    static final int MAX_CHUNKS = 1000;
    static final long DEFAULT_CHUNK = 10 * MB;
    /** TikTok's own pages disagree (1–10 GB); its processing-time table stops at 4 GB. */
    static final int CAPTION_MAX_UTF16 = 2200;
    static final Set<String> TYPES = Set.of("video/mp4", "video/quicktime", "video/webm");
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration CHUNK_TIMEOUT = Duration.ofMinutes(5);
    private static final Duration PROCESSING_POLL = Duration.ofSeconds(5);
    private static final Duration MODERATION_POLL = Duration.ofSeconds(30);
    // per-token limits are counted per minute; TikTok sends no reset time
    private static final Duration RATE_WINDOW = Duration.ofMinutes(1);

    private final Supplier<String> baseUrl;
    private final HttpClient http;
    private final MediaSource media;
    private final JsonMapper json;
    private final Clock clock;
    private final long chunkSize;
    private final VideoLimits videoLimits;

    @Autowired
    TikTokAdapter(PlatformsSettings settings, Environment env, MediaSource media, JsonMapper json, Clock clock,
                  PlatformVideoLimits videoLimits) {
        this(PlatformBaseUrl.of(settings, env, "tiktok", "/sandbox/tiktok"),
                AdapterHttp.client(),
                media, json, clock, DEFAULT_CHUNK, videoLimits.of("tiktok"));
    }

    TikTokAdapter(Supplier<String> baseUrl, HttpClient http, MediaSource media, JsonMapper json, Clock clock, long chunkSize,
                  VideoLimits videoLimits) {
        if (chunkSize < MIN_CHUNK || chunkSize > MAX_CHUNK) {
            throw new IllegalArgumentException("TikTok chunks are 5 to 64 MB");
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
        return "tiktok";
    }

    @Override
    public List<Step> steps(PublishRequest request) {
        return List.of(CREATOR, INIT, UPLOAD, STATUS);
    }

    @Override
    public StepResult run(Step step, PublishRequest request, StepContext context) {
        return switch (step.name()) {
            case "creator_info" -> preflight(request).orElseGet(() -> creatorInfo(request, context));
            case "init" -> init(request, context);
            case "upload" -> upload(request, context);
            case "status" -> status(request, context);
            default -> throw new IllegalArgumentException("unknown step " + step.name());
        };
    }

    @Override
    public ReconcileResult reconcile(Step step, PublishRequest request, StepContext context) {
        if (!step.name().equals(UPLOAD.name())) {
            // an init that got no bytes never becomes a post; the other steps are queries
            return new ReconcileResult.Absent();
        }
        try {
            Reply reply = call(request, "/v2/post/publish/status/fetch/", Map.of(PUBLISH_ID, request.output(PUBLISH_ID)), context);
            if (reply.failure() != null) {
                return new ReconcileResult.Unknown("TikTok status check answered " + reply.response().statusCode());
            }
            String status = reply.data().path("status").asString();
            long uploaded = reply.data().path("uploaded_bytes").asLong(0);
            // TikTok takes the post over once every byte is there: the upload went through
            boolean complete = !status.equals("PROCESSING_UPLOAD") || uploaded >= request.media().getFirst().sizeBytes();
            return complete ? new ReconcileResult.Found(Map.of()) : new ReconcileResult.Absent();
        } catch (IOException e) {
            return new ReconcileResult.Unknown("TikTok status check failed: " + e.getClass().getSimpleName());
        }
    }

    @Override
    public Optional<StepResult.Rejected> check(PublishRequest request) {
        return preflight(request).map(StepResult.Rejected.class::cast);
    }

    /** The platform's limits, checked before any call. */
    Optional<StepResult> preflight(PublishRequest request) {
        if (request.media().size() != 1) {
            return rejected("media_required", "TikTok: exactly one video is required; got " + request.media().size() + " media");
        }
        MediaRef video = request.media().getFirst();
        if (!TYPES.contains(video.contentType().toLowerCase(Locale.ROOT))) {
            return rejected("invalid_file_upload", "TikTok: media type " + video.contentType() + " is not accepted; send MP4, MOV or WebM");
        }
        if (video.sizeBytes() <= 0) {
            return rejected("invalid_file_upload", "TikTok: the video file is empty");
        }
        long maxSize = videoLimits.maxSize().toBytes();
        if (video.sizeBytes() > maxSize) {
            return rejected("invalid_file_upload", "TikTok: the video is " + video.sizeBytes() + " bytes; the limit is " + maxSize + " bytes");
        }
        StepResult.Rejected limits = Preflight.video("TikTok", "a TikTok video", video, videoLimits);
        if (limits != null) {
            return Optional.of(limits);
        }
        if (request.text().length() > CAPTION_MAX_UTF16) {
            return rejected("invalid_params", "TikTok: the caption is " + request.text().length() + " UTF-16 units; the limit is " + CAPTION_MAX_UTF16);
        }
        return Optional.empty();
    }

    private StepResult creatorInfo(PublishRequest request, StepContext context) {
        try {
            Reply reply = call(request, "/v2/post/publish/creator_info/query/", null, context);
            if (reply.failure() != null) {
                return reply.failure();
            }
            // the creator's own cap may be below the platform's
            long creatorMax = reply.data().path("max_video_post_duration_sec").asLong(0);
            if (creatorMax > 0) {
                StepResult.Rejected tooLong = Preflight.video("TikTok", "this creator's video", request.media().getFirst(),
                        videoLimits.withMaxDuration(Duration.ofSeconds(creatorMax)));
                if (tooLong != null) {
                    return tooLong;
                }
            }
            List<String> options = new java.util.ArrayList<>();
            reply.data().path("privacy_level_options").forEach(o -> options.add(o.asString()));
            if (options.isEmpty()) {
                return new StepResult.Rejected("privacy_level_option_mismatch", "TikTok: the creator offers no privacy level to post with", 200);
            }
            // public when the creator may post publicly; unaudited clients are offered SELF_ONLY only
            String privacy = options.contains("PUBLIC_TO_EVERYONE") ? "PUBLIC_TO_EVERYONE" : options.getFirst();
            return StepResult.done(Map.of(PRIVACY, privacy, USERNAME, reply.data().path("creator_username").asString("")));
        } catch (IOException e) {
            return AdapterHttp.ioFailure(e, "TikTok creator info", false);
        }
    }

    private StepResult init(PublishRequest request, StepContext context) {
        long size = request.media().getFirst().sizeBytes();
        Chunks chunks = Chunks.of(size, chunkSize);
        Map<String, Object> postInfo = new LinkedHashMap<>();
        postInfo.put("title", request.text());
        postInfo.put("privacy_level", request.output(PRIVACY));
        postInfo.put("disable_duet", false);
        postInfo.put("disable_comment", false);
        postInfo.put("disable_stitch", false);
        postInfo.put("video_cover_timestamp_ms", 1000);
        Map<String, Object> sourceInfo = Map.of("source", "FILE_UPLOAD", "video_size", size,
                "chunk_size", chunks.size(), "total_chunk_count", chunks.count());
        try {
            Reply reply = call(request, "/v2/post/publish/video/init/", Map.of("post_info", postInfo, "source_info", sourceInfo), context);
            if (reply.failure() != null) {
                return reply.failure();
            }
            return StepResult.done(Map.of(PUBLISH_ID, reply.data().path("publish_id").asString(),
                    UPLOAD_URL, reply.data().path("upload_url").asString()));
        } catch (IOException e) {
            // an init whose answer was lost gets no bytes, so it never becomes a post: initialising again is safe
            return new StepResult.RetryLater(ErrorClass.TRANSIENT, null, "TikTok init: " + describe(e), null);
        }
    }

    private StepResult upload(PublishRequest request, StepContext context) {
        MediaRef video = request.media().getFirst();
        Chunks chunks = Chunks.of(video.sizeBytes(), chunkSize);
        int from;
        try {
            // a retried upload continues after the chunks TikTok already holds
            Reply reply = call(request, "/v2/post/publish/status/fetch/", Map.of(PUBLISH_ID, request.output(PUBLISH_ID)), context);
            if (reply.failure() != null) {
                return reply.failure();
            }
            long uploaded = reply.data().path("uploaded_bytes").asLong(0);
            if (uploaded >= video.sizeBytes()) {
                return StepResult.done(Map.of());
            }
            from = chunks.whole(uploaded);
        } catch (IOException e) {
            return AdapterHttp.ioFailure(e, "TikTok status check", false);
        }
        for (int i = from; i < chunks.count(); i++) {
            long first = chunks.first(i);
            long length = chunks.length(i);
            boolean last = i == chunks.count() - 1;
            try {
                HttpRequest put = HttpRequest.newBuilder(URI.create(request.output(UPLOAD_URL)))
                        .timeout(context.timeout().compareTo(CHUNK_TIMEOUT) < 0 ? context.timeout() : CHUNK_TIMEOUT)
                        .header("Content-Type", video.contentType())
                        .header("Content-Range", "bytes " + first + "-" + (first + length - 1) + "/" + video.sizeBytes())
                        .PUT(AdapterHttp.range(media, video, first, length))
                        .build();
                HttpResponse<String> response = AdapterHttp.send(http, put);
                if (response.statusCode() / 100 != 2) {
                    return failure(response, errorOf(response));
                }
            } catch (IOException e) {
                // only the last chunk completes the video, and with it the post
                return last ? new StepResult.OutcomeUnknown("TikTok upload of the last chunk: " + describe(e))
                        : new StepResult.RetryLater(ErrorClass.TRANSIENT, null, "TikTok upload of chunk " + (i + 1) + ": " + describe(e), null);
            }
        }
        return StepResult.done(Map.of());
    }

    private StepResult status(PublishRequest request, StepContext context) {
        try {
            Reply reply = call(request, "/v2/post/publish/status/fetch/", Map.of(PUBLISH_ID, request.output(PUBLISH_ID)), context);
            if (reply.failure() != null) {
                return reply.failure();
            }
            JsonNode data = reply.data();
            return switch (data.path("status").asString()) {
                case "PUBLISH_COMPLETE" -> {
                    JsonNode ids = data.path("publicaly_available_post_id");
                    if (ids.isEmpty()) {
                        // public posts pass moderation first; their id can take minutes to hours
                        yield new StepResult.RetryLater(ErrorClass.PROCESSING, MODERATION_POLL, "TikTok is reviewing the post", 200);
                    }
                    String id = ids.get(0).asString();
                    yield StepResult.done(Map.of(StepResult.PLATFORM_POST_ID, id,
                            StepResult.PLATFORM_URL, "https://www.tiktok.com/@" + request.output(USERNAME) + "/video/" + id));
                }
                case "FAILED" -> new StepResult.Rejected(data.path("fail_reason").asString("failed"),
                        "TikTok: publishing failed: " + data.path("fail_reason").asString("no reason given"), 200);
                case "SEND_TO_USER_INBOX" -> new StepResult.Rejected("sent_to_inbox",
                        "TikTok: the video went to the creator's inbox instead of being posted", 200);
                default -> new StepResult.RetryLater(ErrorClass.PROCESSING, PROCESSING_POLL,
                        "TikTok is processing the video (" + data.path("status").asString("no status") + ")", 200);
            };
        } catch (IOException e) {
            return AdapterHttp.ioFailure(e, "TikTok status check", false);
        }
    }

    /** The chunking TikTok wants: {@code count = floor(size / chunk)}, the last chunk taking the remainder. */
    record Chunks(long total, long size, int count) {

        static Chunks of(long total, long preferred) {
            if (total < MIN_CHUNK || total <= preferred) {
                return new Chunks(total, total, 1);
            }
            // enough chunk size that at most 1000 chunks are needed
            long size = Math.max(preferred, Math.ceilDiv(total, MAX_CHUNKS));
            return new Chunks(total, size, (int) (total / size));
        }

        long first(int i) {
            return i * size;
        }

        long length(int i) {
            return i == count - 1 ? total - first(i) : size;
        }

        /** How many whole chunks {@code uploaded} bytes are. */
        int whole(long uploaded) {
            return (int) Math.min(count - 1, uploaded / size);
        }
    }

    /** A TikTok answer: its {@code data}, or the mapped failure when {@code error.code} is not {@code ok}. */
    private record Reply(HttpResponse<String> response, JsonNode data, @org.jspecify.annotations.Nullable StepResult failure) {
    }

    private Reply call(PublishRequest request, String path, @org.jspecify.annotations.Nullable Object body, StepContext context) throws IOException {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(baseUrl.get() + path))
                .timeout(context.timeout().compareTo(REQUEST_TIMEOUT) < 0 ? context.timeout() : REQUEST_TIMEOUT)
                .header("Authorization", "Bearer " + request.accessToken())
                .header("Content-Type", "application/json; charset=UTF-8");
        builder.POST(body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)));
        HttpResponse<String> response = AdapterHttp.send(http, builder.build());
        JsonNode root = parse(response);
        JsonNode error = root.path("error");
        if (response.statusCode() == 200 && error.path("code").asString("").equals("ok")) {
            return new Reply(response, root.path("data"), null);
        }
        return new Reply(response, root.path("data"), failure(response, error));
    }

    /** Maps TikTok's {@code error.code} (the HTTP status only where the code says nothing). */
    StepResult failure(HttpResponse<String> response, JsonNode error) {
        int status = response.statusCode();
        String code = error.path("code").asString("http_" + status);
        String message = "TikTok: " + error.path("message").asString("HTTP " + status);
        return switch (code) {
            case "rate_limit_exceeded" -> {
                Duration retryAfter = AdapterHttp.retryAfter(response, clock);
                yield new StepResult.RetryLater(ErrorClass.RATE_LIMITED, retryAfter != null ? retryAfter : RATE_WINDOW, message, status);
            }
            // the daily posting cap
            case "spam_risk_too_many_posts" -> new StepResult.RetryLater(ErrorClass.RATE_LIMITED, Duration.ofHours(24), message, status);
            case "access_token_invalid", "scope_not_authorized", "scope_permission_missed" -> new StepResult.NeedsReconnect(message);
            case "internal_error" -> new StepResult.RetryLater(ErrorClass.TRANSIENT, AdapterHttp.retryAfter(response, clock), message, status);
            default -> {
                if (status == 401) {
                    yield new StepResult.NeedsReconnect(message);
                }
                if (status == 429) {
                    yield new StepResult.RetryLater(ErrorClass.RATE_LIMITED, RATE_WINDOW, message, status);
                }
                if (status >= 500) {
                    yield new StepResult.RetryLater(ErrorClass.TRANSIENT, AdapterHttp.retryAfter(response, clock), message, status);
                }
                yield new StepResult.Rejected(code, message, status);
            }
        };
    }

    private JsonNode errorOf(HttpResponse<String> response) {
        return parse(response).path("error");
    }

    private JsonNode parse(HttpResponse<String> response) {
        return AdapterHttp.body(json, response);
    }

    private static Optional<StepResult> rejected(String code, String reason) {
        return Optional.of(new StepResult.Rejected(code, reason, null));
    }

    private static String describe(IOException e) {
        return e instanceof java.net.http.HttpTimeoutException ? "timed out" : "broke off (" + e.getClass().getSimpleName() + ")";
    }
}
