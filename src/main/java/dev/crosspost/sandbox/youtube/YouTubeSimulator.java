package dev.crosspost.sandbox.youtube;

import dev.crosspost.sandbox.FaultInjector.Decision;
import dev.crosspost.sandbox.SandboxEnabled;
import dev.crosspost.sandbox.simulator.SimulatedMetrics;
import dev.crosspost.sandbox.simulator.SimulatorSupport;
import dev.crosspost.sandbox.youtube.YouTubeChannel.Metadata;
import dev.crosspost.sandbox.youtube.YouTubeChannel.Processing;
import dev.crosspost.sandbox.youtube.YouTubeChannel.Session;
import dev.crosspost.sandbox.youtube.YouTubeChannel.Switches;
import dev.crosspost.sandbox.youtube.YouTubeChannel.Video;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
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
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * YouTube Data API v3 as far as publishing uses it, under {@code /sandbox/youtube}: the resumable upload
 * ({@code POST} session, {@code PUT} chunks answered 308 + {@code Range}, status query with {@code bytes *}{@code /N}),
 * {@code videos.list} with upload, processing and file details, and {@code search.list?forMine=true}. Errors use Google's
 * envelope. Injected faults hit session starts, chunks and status queries; a reset keeps part of the chunk, as a
 * real server may.
 */
@RestController
@SandboxEnabled
@RequestMapping("/sandbox/youtube")
class YouTubeSimulator {

    private static final String PLATFORM = "youtube";
    private static final long MAX_SIZE = 274_877_906_944L;
    private static final int CHUNK_UNIT = 256 * 1024;
    private static final int BUFFER = 64 * 1024;
    private static final Pattern CHUNK = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+)");
    private static final Pattern QUERY = Pattern.compile("bytes \\*/(\\d+)");
    // what a dropped connection lets through: the start of every YouTube resource
    private static final String OPENING = "{\"kind\":";
    private static final Set<String> PRIVACY = Set.of("public", "unlisted", "private");

    private final YouTubeChannel channel;
    private final SimulatorSupport support;
    private final JsonMapper json;

    YouTubeSimulator(YouTubeChannel channel, SimulatorSupport support, JsonMapper json) {
        this.channel = channel;
        this.support = support;
        this.json = json;
    }

    /** Opens a resumable session: 200 with the session URI in {@code Location}. */
    @PostMapping("/upload/youtube/v3/videos")
    @Nullable ResponseEntity<Void> start(@RequestParam(required = false) @Nullable String uploadType,
                                         @RequestParam(required = false) @Nullable String part,
                                         HttpServletRequest request, HttpServletResponse response) throws IOException {
        enter(request);
        if (!"resumable".equals(uploadType)) {
            throw GoogleError.badRequest("invalidUploadType", "this sandbox supports uploadType=resumable only");
        }
        if (part == null || !Arrays.asList(part.split(",")).contains("snippet")) {
            throw GoogleError.badRequest("required", "Required parameter: part (include snippet)");
        }
        long total = request.getHeader("X-Upload-Content-Length") == null ? -1 : parseLong(request.getHeader("X-Upload-Content-Length"));
        if (total <= 0) {
            throw GoogleError.badRequest("invalidValue", "X-Upload-Content-Length must give the video's size in bytes");
        }
        if (total > MAX_SIZE) {
            throw GoogleError.badRequest("uploadTooLarge", "The video is larger than the maximum of 256 GB");
        }
        String type = request.getHeader("X-Upload-Content-Type");
        String contentType = type == null ? "application/octet-stream" : type;
        if (!contentType.startsWith("video/") && !contentType.equals("application/octet-stream")) {
            throw GoogleError.badRequest("invalidContentType", "Media type '" + contentType + "' is not supported. Valid media types: [video/*, application/octet-stream]");
        }
        Metadata metadata = metadata(request);
        Decision decision = faults(request, response);
        if (decision == null) {
            return null;
        }
        if (channel.switches().uploadLimitExceeded()) {
            throw new GoogleError(HttpStatus.BAD_REQUEST, "youtube.video", "uploadLimitExceeded",
                    "The user has exceeded the number of videos they may upload.");
        }
        if (!channel.takeInsert()) {
            throw new GoogleError(HttpStatus.FORBIDDEN, "youtube.quota", "quotaExceeded",
                    "The request cannot be completed because you have exceeded your <a href=\"/youtube/v3/getting-started#quota\">quota</a>.");
        }
        Session session = channel.open(metadata, total);
        SimulatorSupport.hold(decision);
        HttpHeaders headers = new HttpHeaders();
        headers.set(HttpHeaders.LOCATION, SimulatorSupport.origin(request) + "/sandbox/youtube/upload/youtube/v3/videos?uploadType=resumable&upload_id=" + session.id);
        return ResponseEntity.ok().headers(headers).build();
    }

    /** A chunk ({@code Content-Range: bytes a-b/N}) or a status query ({@code bytes *}{@code /N}, no body). */
    @PutMapping("/upload/youtube/v3/videos")
    @Nullable ResponseEntity<Object> put(@RequestParam(name = "upload_id", required = false) @Nullable String uploadId,
                                         HttpServletRequest request, HttpServletResponse response) throws IOException {
        enter(request);
        Session session = uploadId == null ? null : channel.session(uploadId).orElse(null);
        if (session == null) {
            throw new GoogleError(HttpStatus.NOT_FOUND, "global", "notFound", "The upload session does not exist or has expired.");
        }
        String range = request.getHeader("Content-Range");
        Matcher query = range == null ? null : QUERY.matcher(range);
        if (query != null && query.matches()) {
            if (parseLong(query.group(1)) != session.total) {
                throw GoogleError.badRequest("invalidValue", "Content-Range total differs from X-Upload-Content-Length " + session.total);
            }
            Decision decision = faults(request, response);
            if (decision == null) {
                return null;
            }
            ResponseEntity<Object> answer;
            synchronized (session) {
                answer = state(session);
            }
            SimulatorSupport.hold(decision);
            return answer;
        }
        Matcher chunk = range == null ? null : CHUNK.matcher(range);
        if (chunk == null || !chunk.matches()) {
            throw GoogleError.badRequest("invalidValue", "Content-Range must be 'bytes <first>-<last>/<total>' or 'bytes */<total>'");
        }
        long first = parseLong(chunk.group(1));
        long last = parseLong(chunk.group(2));
        long length = last - first + 1;
        if (parseLong(chunk.group(3)) != session.total || length <= 0 || last >= session.total) {
            throw GoogleError.badRequest("invalidValue", "Content-Range " + range + " does not fit a video of " + session.total + " bytes");
        }
        if (request.getContentLengthLong() != length) {
            throw GoogleError.badRequest("invalidValue", "Content-Length must equal the Content-Range's " + length + " bytes");
        }
        boolean finalChunk = last == session.total - 1;
        if (!finalChunk && length % CHUNK_UNIT != 0) {
            throw GoogleError.badRequest("invalidValue", "chunks other than the last must be a multiple of 256 KiB");
        }
        Decision decision = support.draw(PLATFORM);
        ResponseEntity<Object> answer;
        synchronized (session) {
            if (first > session.received) {
                throw GoogleError.badRequest("invalidValue", "the chunk starts at " + first + " but the server holds " + session.received + " bytes; query with bytes */" + session.total);
            }
            switch (decision.fault()) {
                case ERROR -> {
                    SimulatorSupport.drain(request.getInputStream());
                    throw GoogleError.backend();
                }
                case RATE_LIMIT -> {
                    SimulatorSupport.drain(request.getInputStream());
                    throw rateLimited(decision);
                }
                case RESET -> {
                    // the server keeps part of what it was sent, in whole 256 KiB units, then the connection drops
                    receive(session, request.getInputStream(), first, length / 2 / CHUNK_UNIT * CHUNK_UNIT);
                    SimulatorSupport.drop(request, response, OPENING);
                    return null;
                }
                default -> receive(session, request.getInputStream(), first, length);
            }
            answer = state(session);
        }
        // held back outside the session's lock, so a status query can see the committed chunk meanwhile
        if (answer.getBody() == null) {
            SimulatorSupport.hold(decision);
            return answer;
        }
        return SimulatorSupport.respond(decision, HttpStatus.OK, new HttpHeaders(), json.writeValueAsBytes(answer.getBody()), response);
    }

    /** {@code videos.list} by id: snippet, status and processing details of the channel's own videos. */
    @GetMapping("/youtube/v3/videos")
    Map<String, Object> list(@RequestParam(required = false) @Nullable String part, @RequestParam(required = false) @Nullable String id,
                             HttpServletRequest request) {
        enter(request);
        if (part == null || part.isBlank()) {
            throw GoogleError.badRequest("required", "Required parameter: part");
        }
        if (id == null || id.isBlank()) {
            throw GoogleError.badRequest("missingRequiredParameter", "No filter selected. Expected one of: id, myRating, chart");
        }
        List<String> parts = Arrays.asList(part.split(","));
        boolean statistics = parts.contains("statistics");
        if (statistics) {
            support.read(PLATFORM, d -> GoogleError.backend(), YouTubeSimulator::rateLimited);
        }
        List<Object> items = new ArrayList<>();
        for (String videoId : id.split(",")) {
            String vid = videoId.strip();
            var video = channel.video(vid);
            Map<String, Object> item = video.map(v -> resource(v, parts, true)).orElse(null);
            if (statistics) {
                // videos the sandbox accepted, including those recorded without an upload to this channel
                var post = support.accepted(PLATFORM, vid);
                if (post.isPresent()) {
                    if (item == null) {
                        item = new LinkedHashMap<>(Map.of("kind", "youtube#video", "id", vid));
                    }
                    Map<String, Object> counts = new LinkedHashMap<>();
                    for (String name : List.of("viewCount", "likeCount", "favoriteCount", "commentCount")) {
                        // YouTube sends counts as strings; favorites are always 0
                        counts.put(name, name.equals("favoriteCount") ? "0" : Long.toString(SimulatedMetrics.count(post.get(), name, support.now())));
                    }
                    item.put("statistics", counts);
                }
            }
            if (item != null) {
                items.add(item);
            }
        }
        return Map.of("kind", "youtube#videoListResponse", "items", items,
                "pageInfo", Map.of("totalResults", items.size(), "resultsPerPage", items.size()));
    }

    /** {@code search.list?forMine=true&type=video}: the channel's videos, newest first. */
    @GetMapping("/youtube/v3/search")
    Map<String, Object> search(@RequestParam(required = false) @Nullable String part,
                               @RequestParam(required = false) @Nullable String forMine,
                               @RequestParam(required = false) @Nullable String type,
                               @RequestParam(required = false) @Nullable Integer maxResults,
                               HttpServletRequest request) {
        enter(request);
        if (!"snippet".equals(part)) {
            throw GoogleError.badRequest("required", "Required parameter: part=snippet");
        }
        if (!"true".equals(forMine) || !"video".equals(type)) {
            throw GoogleError.badRequest("invalidSearchFilter", "this sandbox searches forMine=true with type=video only");
        }
        int max = maxResults == null ? 5 : maxResults;
        if (max < 0 || max > 50) {
            throw GoogleError.badRequest("invalidValue", "maxResults must be between 0 and 50");
        }
        List<Object> items = channel.newestFirst().stream().limit(max).map(v -> (Object) Map.of(
                "kind", "youtube#searchResult",
                "id", Map.of("kind", "youtube#video", "videoId", v.id),
                "snippet", Map.of("publishedAt", v.uploadedAt.toString(), "channelId", YouTubeChannel.CHANNEL_ID,
                        "title", v.metadata.title(), "description", v.metadata.description())))
                .toList();
        return Map.of("kind", "youtube#searchListResponse", "items", items,
                "pageInfo", Map.of("totalResults", items.size(), "resultsPerPage", max));
    }

    /** Test switches: force {@code quotaExceeded} or {@code uploadLimitExceeded}. */
    @PutMapping("/controls")
    Switches controls(@RequestBody Switches switches) {
        channel.set(switches);
        return switches;
    }

    /** Expires every upload session now; the videos stay. */
    @PostMapping("/controls/expire-sessions")
    ResponseEntity<Void> expireSessions() {
        channel.expireSessions();
        return ResponseEntity.noContent().build();
    }

    /** Forgets sessions, videos, the day's quota and the switches. */
    @DeleteMapping("/controls")
    ResponseEntity<Void> reset() {
        channel.reset();
        return ResponseEntity.noContent().build();
    }

    @ExceptionHandler(GoogleError.class)
    ResponseEntity<Map<String, Object>> error(GoogleError e) {
        return ResponseEntity.status(e.status).headers(e.headers).contentType(MediaType.APPLICATION_JSON).body(e.body());
    }

    private ResponseEntity<Object> state(Session session) {
        if (session.received == session.total) {
            Video video = channel.complete(session);
            return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(resource(video, List.of("snippet", "status"), false));
        }
        ResponseEntity.BodyBuilder incomplete = ResponseEntity.status(308);
        if (session.received > 0) {
            incomplete.header("Range", "bytes=0-" + (session.received - 1));
        }
        return incomplete.build();
    }

    /** Reads up to {@code keep} bytes of a chunk starting at {@code first}; bytes the session already holds are skipped. */
    private static void receive(Session session, InputStream in, long first, long keep) throws IOException {
        byte[] buffer = new byte[BUFFER];
        long position = first;
        long end = first + keep;
        while (position < end) {
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, end - position));
            if (n < 0) {
                break;
            }
            long fresh = position + n - session.received;
            if (fresh > 0) {
                int skip = (int) (n - fresh);
                session.crc.update(buffer, skip, (int) fresh);
                session.received += fresh;
            }
            position += n;
        }
    }

    /** The video resource; only a status check ({@code checked}) moves processing on, not the upload's own answer. */
    private Map<String, Object> resource(Video video, List<String> parts, boolean checked) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("kind", "youtube#video");
        body.put("id", video.id);
        Metadata m = video.metadata;
        if (parts.contains("snippet")) {
            body.put("snippet", Map.of("publishedAt", video.uploadedAt.toString(), "channelId", YouTubeChannel.CHANNEL_ID,
                    "title", m.title(), "description", m.description(), "tags", m.tags(), "categoryId", m.categoryId()));
        }
        if (parts.contains("status") || parts.contains("processingDetails") || parts.contains("fileDetails")) {
            Processing p = checked ? channel.check(video) : new Processing("uploaded", null, "processing", 0);
            if (parts.contains("status")) {
                Map<String, Object> status = new LinkedHashMap<>();
                status.put("uploadStatus", p.uploadStatus());
                if (p.rejectionReason() != null) {
                    status.put("rejectionReason", p.rejectionReason());
                }
                status.put("privacyStatus", m.privacyStatus());
                body.put("status", status);
            }
            if (parts.contains("fileDetails")) {
                body.put("fileDetails", Map.of("fileSize", video.size));
            }
            if (parts.contains("processingDetails")) {
                body.put("processingDetails", Map.of("processingStatus", p.processingStatus(),
                        "processingProgress", Map.of("partsTotal", Processing.PARTS, "partsProcessed", p.partsProcessed())));
            }
        }
        return body;
    }

    private Metadata metadata(HttpServletRequest request) throws IOException {
        JsonNode body;
        try {
            body = json.readTree(request.getInputStream());
        } catch (JacksonException e) {
            throw GoogleError.badRequest("parseError", "This API does not support parsing form-encoded input.");
        }
        JsonNode snippet = body.path("snippet");
        String title = snippet.path("title").asString("");
        String description = snippet.path("description").asString("");
        if (title.isBlank()) {
            throw GoogleError.badRequest("invalidTitle", "The request metadata specifies an invalid or empty video title.");
        }
        if (title.codePointCount(0, title.length()) > 100 || title.contains("<") || title.contains(">")) {
            throw GoogleError.badRequest("invalidTitle", "The request metadata specifies an invalid video title.");
        }
        if (description.getBytes(StandardCharsets.UTF_8).length > 5000 || description.contains("<") || description.contains(">")) {
            throw GoogleError.badRequest("invalidDescription", "The request metadata specifies an invalid video description.");
        }
        List<String> tags = new ArrayList<>();
        snippet.path("tags").forEach(t -> tags.add(t.asString()));
        String privacy = body.path("status").path("privacyStatus").asString("public");
        if (!PRIVACY.contains(privacy)) {
            throw GoogleError.badRequest("invalidVideoMetadata", "The request metadata specifies an invalid privacy status.");
        }
        return new Metadata(title, description, List.copyOf(tags), snippet.path("categoryId").asString("22"), privacy);
    }

    private void enter(HttpServletRequest request) {
        support.latency(PLATFORM);
        if (!support.accepts(PLATFORM, SimulatorSupport.credentials(request, "Bearer"))) {
            HttpHeaders challenge = new HttpHeaders();
            challenge.set(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"https://accounts.google.com/\", error=\"invalid_token\"");
            throw new GoogleError(HttpStatus.UNAUTHORIZED, "global", "authError",
                    "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.")
                    .withHeaders(challenge);
        }
    }

    /** Draws the fault of a request without a body to keep; answers errors here, returns null after dropping the connection. */
    private @Nullable Decision faults(HttpServletRequest request, HttpServletResponse response) throws IOException {
        return support.draw(PLATFORM, request, response, OPENING, d -> GoogleError.backend(), YouTubeSimulator::rateLimited);
    }

    private static GoogleError rateLimited(Decision decision) {
        HttpHeaders headers = new HttpHeaders();
        headers.set(HttpHeaders.RETRY_AFTER, Integer.toString(decision.faults().retryAfterSeconds()));
        return new GoogleError(HttpStatus.TOO_MANY_REQUESTS, "usageLimits", "rateLimitExceeded",
                "The request cannot be completed because you have exceeded your rate limit.").withHeaders(headers);
    }

    private static long parseLong(String value) {
        try {
            return Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            throw GoogleError.badRequest("invalidValue", "'" + value + "' is not a number");
        }
    }

    /** An error in Google's envelope: {@code {"error":{"code","message","errors":[{"message","domain","reason"}],"status"}}}. */
    static final class GoogleError extends RuntimeException {
        final HttpStatus status;
        final String domain;
        final String reason;
        final HttpHeaders headers = new HttpHeaders();

        GoogleError(HttpStatus status, String domain, String reason, String message) {
            super(message, null, false, false);
            this.status = status;
            this.domain = domain;
            this.reason = reason;
        }

        GoogleError withHeaders(HttpHeaders more) {
            headers.addAll(more);
            return this;
        }

        static GoogleError badRequest(String reason, String message) {
            return new GoogleError(HttpStatus.BAD_REQUEST, "youtube.video", reason, message);
        }

        static GoogleError backend() {
            return new GoogleError(HttpStatus.SERVICE_UNAVAILABLE, "global", "backendError", "Backend Error (injected)");
        }

        Map<String, Object> body() {
            String message = getMessage() == null ? reason : getMessage();
            return Map.of("error", Map.of("code", status.value(), "message", message,
                    "errors", List.of(Map.of("message", message, "domain", domain, "reason", reason)),
                    "status", switch (status) {
                        case UNAUTHORIZED -> "UNAUTHENTICATED";
                        case FORBIDDEN -> "PERMISSION_DENIED";
                        case TOO_MANY_REQUESTS -> "RESOURCE_EXHAUSTED";
                        case NOT_FOUND -> "NOT_FOUND";
                        case SERVICE_UNAVAILABLE -> "UNAVAILABLE";
                        default -> "INVALID_ARGUMENT";
                    }));
        }
    }
}
