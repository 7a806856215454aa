package dev.crosspost.sandbox.tiktok;

import dev.crosspost.sandbox.FaultInjector.Decision;
import dev.crosspost.sandbox.SandboxEnabled;
import dev.crosspost.sandbox.simulator.SimulatedMetrics;
import dev.crosspost.sandbox.simulator.SimulatorSupport;
import dev.crosspost.sandbox.tiktok.TikTokCreator.Publish;
import dev.crosspost.sandbox.tiktok.TikTokCreator.Switches;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * TikTok's Content Posting API (Direct Post, {@code FILE_UPLOAD}) under {@code /sandbox/tiktok}: creator info,
 * video init with TikTok's chunk rules, the chunk upload URL, and the status fetch. Every answer uses the
 * {@code {"data":{…},"error":{"code","message","log_id"}}} envelope; per-token per-minute limits answer 429
 * {@code rate_limit_exceeded}. Injected faults hit inits and chunks.
 */
@RestController
@SandboxEnabled
@RequestMapping("/sandbox/tiktok")
class TikTokSimulator {

    private static final String PLATFORM = "tiktok";
    private static final long MB = 1024 * 1024;
    // what a dropped connection lets through: the start of TikTok's envelope
    private static final String OPENING = "{\"data\":";
    private static final Pattern RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+)");
    private static final List<String> PRIVACY_OPTIONS = List.of("PUBLIC_TO_EVERYONE", "MUTUAL_FOLLOW_FRIENDS", "FOLLOWER_OF_CREATOR", "SELF_ONLY");
    private static final Set<String> VIDEO_TYPES = Set.of("video/mp4", "video/quicktime", "video/webm");

    private final TikTokCreator creator;
    private final SimulatorSupport support;
    private final JsonMapper json;

    TikTokSimulator(TikTokCreator creator, SimulatorSupport support, JsonMapper json) {
        this.creator = creator;
        this.support = support;
        this.json = json;
    }

    @PostMapping("/v2/post/publish/creator_info/query/")
    ResponseEntity<Map<String, Object>> creatorInfo(HttpServletRequest request) {
        enter(request, "creator_info", 20);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("creator_avatar_url", "https://p16-sign.tiktokcdn.com/sandbox.jpeg");
        data.put("creator_username", TikTokCreator.USERNAME);
        data.put("creator_nickname", "Sandbox Creator");
        data.put("privacy_level_options", PRIVACY_OPTIONS);
        data.put("comment_disabled", false);
        data.put("duet_disabled", false);
        data.put("stitch_disabled", false);
        data.put("max_video_post_duration_sec", 600);
        return ok(data);
    }

    @PostMapping("/v2/post/publish/video/init/")
    @Nullable ResponseEntity<Object> init(HttpServletRequest request, HttpServletResponse response) throws IOException {
        enter(request, "init", 6);
        JsonNode body = body(request);
        JsonNode post = body.path("post_info");
        JsonNode source = body.path("source_info");
        String title = post.path("title").asString("");
        if (title.length() > 2200) {
            throw TikTokError.invalid("invalid_params", "The title must be at most 2200 UTF-16 characters long.");
        }
        if (!PRIVACY_OPTIONS.contains(post.path("privacy_level").asString(""))) {
            throw TikTokError.invalid("privacy_level_option_mismatch", "privacy_level must be one of the creator's privacy_level_options.");
        }
        if (source.path("source").asString("").equals("PULL_FROM_URL")) {
            throw new TikTokError(HttpStatus.FORBIDDEN, "url_ownership_unverified", "Verify the ownership of the domain or URL prefix of video_url first.");
        }
        if (!source.path("source").asString("").equals("FILE_UPLOAD")) {
            throw TikTokError.invalid("invalid_params", "source_info.source must be FILE_UPLOAD or PULL_FROM_URL.");
        }
        long size = source.path("video_size").asLong(0);
        long chunk = source.path("chunk_size").asLong(0);
        long count = source.path("total_chunk_count").asLong(0);
        String chunking = chunkProblem(size, chunk, count);
        if (chunking != null) {
            throw TikTokError.invalid("invalid_params", chunking);
        }
        Decision decision = support.draw(PLATFORM, request, response, OPENING, d -> TikTokError.internal(), TikTokSimulator::rateLimited);
        if (decision == null) {
            return null;
        }
        if (creator.switches().unauditedClient()) {
            throw new TikTokError(HttpStatus.FORBIDDEN, "unaudited_client_can_only_post_to_private_accounts",
                    "Please review our integration guidelines at https://developers.tiktok.com/doc/content-sharing-guidelines/");
        }
        if (!creator.takePost()) {
            throw new TikTokError(HttpStatus.FORBIDDEN, "spam_risk_too_many_posts", "The daily post cap for this creator has been reached.");
        }
        Publish publish = creator.init(title, size, chunk, (int) count);
        String uploadUrl = SimulatorSupport.origin(request) + "/sandbox/tiktok/upload/video/?upload_id=" + publish.uploadId + "&upload_token=" + publish.uploadToken;
        return respond(decision, HttpStatus.OK, envelope(Map.of("publish_id", publish.id, "upload_url", uploadUrl), "ok", ""), response);
    }

    /** One chunk; chunks come in order, each exactly where TikTok's chunking puts it. */
    @PutMapping("/upload/video/")
    @Nullable ResponseEntity<Object> chunk(@RequestParam(name = "upload_id", required = false) @Nullable String uploadId,
                                           @RequestParam(name = "upload_token", required = false) @Nullable String uploadToken,
                                           HttpServletRequest request, HttpServletResponse response) throws IOException {
        support.latency(PLATFORM);
        Publish publish = uploadId == null || uploadToken == null ? null : creator.byUpload(uploadId, uploadToken).orElse(null);
        if (publish == null) {
            throw new TikTokError(HttpStatus.NOT_FOUND, "invalid_params", "The upload URL is invalid or expired.");
        }
        String type = request.getContentType() == null ? "" : request.getContentType().toLowerCase(Locale.ROOT);
        if (!VIDEO_TYPES.contains(type)) {
            throw TikTokError.invalid("invalid_file_upload", "Content-Type must be video/mp4, video/quicktime or video/webm.");
        }
        Matcher range = request.getHeader("Content-Range") == null ? null : RANGE.matcher(request.getHeader("Content-Range"));
        if (range == null || !range.matches()) {
            throw TikTokError.invalid("invalid_params", "Content-Range must be 'bytes <first>-<last>/<total>'.");
        }
        long first = Long.parseLong(range.group(1));
        long last = Long.parseLong(range.group(2));
        int index = (int) (first / publish.chunkSize);
        boolean lastChunk = index == publish.chunkCount - 1;
        long expectedLast = lastChunk ? publish.size - 1 : first + publish.chunkSize - 1;
        if (Long.parseLong(range.group(3)) != publish.size || first % publish.chunkSize != 0 || index >= publish.chunkCount || last != expectedLast) {
            throw TikTokError.invalid("invalid_params", "Content-Range " + range.group() + " is not chunk " + (index + 1) + " of "
                    + publish.chunkCount + " for a video of " + publish.size + " bytes in chunks of " + publish.chunkSize);
        }
        if (request.getContentLengthLong() != last - first + 1) {
            throw TikTokError.invalid("invalid_params", "Content-Length must equal the chunk's " + (last - first + 1) + " bytes.");
        }
        Decision decision = support.draw(PLATFORM);
        synchronized (publish) {
            if (publish.completedAt != null) {
                throw TikTokError.invalid("invalid_params", "The upload is already complete.");
            }
            if (first > publish.received) {
                throw TikTokError.invalid("invalid_params", "Chunks must be uploaded in order; the next one starts at byte " + publish.received + ".");
            }
            switch (decision.fault()) {
                case ERROR -> {
                    SimulatorSupport.drain(request.getInputStream());
                    throw TikTokError.internal();
                }
                case RATE_LIMIT -> {
                    SimulatorSupport.drain(request.getInputStream());
                    throw rateLimited(decision);
                }
                case RESET -> {
                    SimulatorSupport.drop(request, response, OPENING);
                    return null;
                }
                default -> {
                }
            }
            long read = SimulatorSupport.drain(request.getInputStream());
            if (read != last - first + 1) {
                throw TikTokError.invalid("invalid_file_upload", "The chunk ended after " + read + " bytes.");
            }
            publish.received = last + 1;
            if (publish.received == publish.size) {
                creator.complete(publish);
            }
        }
        HttpStatus status = publish.completedAt != null ? HttpStatus.CREATED : HttpStatus.PARTIAL_CONTENT;
        return respond(decision, status, envelope(Map.of(), "ok", ""), response);
    }

    @PostMapping("/v2/post/publish/status/fetch/")
    ResponseEntity<Map<String, Object>> status(HttpServletRequest request) throws IOException {
        enter(request, "status", 30);
        String publishId = body(request).path("publish_id").asString("");
        Publish publish = creator.byId(publishId)
                .orElseThrow(() -> TikTokError.invalid("invalid_params", "publish_id " + publishId + " does not exist."));
        String status = creator.status(publish);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("status", status);
        data.put("publicaly_available_post_id", status.equals("PUBLISH_COMPLETE") ? List.of(publish.postId) : List.of());
        data.put("uploaded_bytes", publish.received);
        data.put("downloaded_bytes", 0);
        return ok(data);
    }

    /**
     * {@code video.query}: the creator's videos among {@code filters.video_ids} (at most 20), with the requested
     * {@code fields}; ids TikTok does not know are left out. 600 requests per minute, and the read faults.
     */
    @PostMapping("/v2/video/query/")
    ResponseEntity<Map<String, Object>> videoQuery(@RequestParam(required = false) @Nullable String fields, HttpServletRequest request)
            throws IOException {
        enter(request, "video_query", 600);
        if (fields == null || fields.isBlank()) {
            throw TikTokError.invalid("invalid_params", "fields is required.");
        }
        JsonNode ids = body(request).path("filters").path("video_ids");
        if (!ids.isArray() || ids.isEmpty() || ids.size() > 20) {
            throw TikTokError.invalid("invalid_params", "filters.video_ids must hold 1 to 20 ids.");
        }
        support.read(PLATFORM, d -> TikTokError.internal(), TikTokSimulator::rateLimited);
        List<String> wanted = List.of(fields.split(","));
        java.time.Instant now = support.now();
        List<Map<String, Object>> videos = new java.util.ArrayList<>();
        for (JsonNode id : ids) {
            support.accepted(PLATFORM, id.asString("")).ifPresent(post -> {
                Map<String, Object> video = new LinkedHashMap<>();
                for (String field : wanted) {
                    switch (field.strip()) {
                        case "id" -> video.put("id", post.id());
                        case "title", "video_description" -> video.put(field.strip(), post.text());
                        case "create_time" -> video.put("create_time", post.createdAt().getEpochSecond());
                        case "share_url" -> video.put("share_url", post.url());
                        case "view_count", "like_count", "comment_count", "share_count" ->
                                video.put(field.strip(), SimulatedMetrics.count(post, field.strip(), now));
                        default -> {
                        }
                    }
                }
                videos.add(video);
            });
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("videos", videos);
        data.put("cursor", 0);
        data.put("has_more", false);
        return ok(data);
    }

    /** Test switches: an unaudited client posting for a public account, or the daily post cap reached. */
    @PutMapping("/controls")
    Switches controls(@RequestBody Switches switches) {
        creator.set(switches);
        return switches;
    }

    /** Forgets posts in progress, request counts, the post cap and the switches. */
    @DeleteMapping("/controls")
    ResponseEntity<Void> reset() {
        creator.reset();
        return ResponseEntity.noContent().build();
    }

    @ExceptionHandler(TikTokError.class)
    ResponseEntity<Map<String, Object>> error(TikTokError e) {
        return ResponseEntity.status(e.status).headers(e.headers).contentType(MediaType.APPLICATION_JSON)
                .body(envelope(Map.of(), e.code, e.getMessage() == null ? e.code : e.getMessage()));
    }

    /** TikTok's chunk rules for {@code source_info}, or null when they hold. */
    static @Nullable String chunkProblem(long size, long chunk, long count) {
        if (size <= 0) {
            return "video_size must be positive.";
        }
        if (size < 5 * MB) {
            return chunk == size && count == 1 ? null : "A video under 5 MB is uploaded as one chunk of its full size.";
        }
        if (chunk < 5 * MB || chunk > 64 * MB) {
            return chunk == size && count == 1 && size <= 64 * MB ? null : "chunk_size must be between 5 MB and 64 MB.";
        }
        if (count != size / chunk) {
            return "total_chunk_count must be video_size / chunk_size rounded down (" + size / chunk + ").";
        }
        if (count < 1 || count > 1000) {
            return "total_chunk_count must be between 1 and 1000.";
        }
        if (size - (count - 1) * chunk > 128 * MB) {
            return "The last chunk may be at most 128 MB.";
        }
        return null;
    }

    private void enter(HttpServletRequest request, String endpoint, int perMinute) {
        support.latency(PLATFORM);
        String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (!support.accepts(PLATFORM, SimulatorSupport.credentials(request, "Bearer"))) {
            throw new TikTokError(HttpStatus.UNAUTHORIZED, "access_token_invalid", "The access token is invalid or not found in the request.");
        }
        if (!creator.allow(authorization, endpoint, perMinute)) {
            throw new TikTokError(HttpStatus.TOO_MANY_REQUESTS, "rate_limit_exceeded",
                    "The API rate limit was exceeded. Please try again later.");
        }
    }

    private JsonNode body(HttpServletRequest request) throws IOException {
        try {
            JsonNode body = json.readTree(request.getInputStream());
            return body == null ? json.createObjectNode() : body;
        } catch (JacksonException e) {
            throw TikTokError.invalid("invalid_params", "The request body is not valid JSON.");
        }
    }

    private @Nullable ResponseEntity<Object> respond(Decision decision, HttpStatus status, Map<String, Object> body,
                                                     HttpServletResponse response) {
        return SimulatorSupport.respond(decision, status, new HttpHeaders(), json.writeValueAsBytes(body), response);
    }

    private static TikTokError rateLimited(Decision decision) {
        HttpHeaders headers = new HttpHeaders();
        headers.set(HttpHeaders.RETRY_AFTER, Integer.toString(decision.faults().retryAfterSeconds()));
        return new TikTokError(HttpStatus.TOO_MANY_REQUESTS, "rate_limit_exceeded", "The API rate limit was exceeded. Please try again later.")
                .withHeaders(headers);
    }

    private static ResponseEntity<Map<String, Object>> ok(Map<String, Object> data) {
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(envelope(data, "ok", ""));
    }

    private static Map<String, Object> envelope(Map<String, Object> data, String code, String message) {
        return Map.of("data", data, "error", Map.of("code", code, "message", message,
                "log_id", UUID.randomUUID().toString().replace("-", "").substring(0, 24).toUpperCase(Locale.ROOT)));
    }

    /** An error in TikTok's envelope. */
    static final class TikTokError extends RuntimeException {
        final HttpStatus status;
        final String code;
        final HttpHeaders headers = new HttpHeaders();

        TikTokError(HttpStatus status, String code, String message) {
            super(message, null, false, false);
            this.status = status;
            this.code = code;
        }

        TikTokError withHeaders(HttpHeaders more) {
            headers.addAll(more);
            return this;
        }

        static TikTokError invalid(String code, String message) {
            return new TikTokError(HttpStatus.BAD_REQUEST, code, message);
        }

        static TikTokError internal() {
            return new TikTokError(HttpStatus.INTERNAL_SERVER_ERROR, "internal_error", "Something went wrong (injected). Please try again later.");
        }
    }
}
