package dev.crosspost.sandbox.x;

import dev.crosspost.sandbox.FaultInjector.Decision;
import dev.crosspost.sandbox.SandboxEnabled;
import dev.crosspost.sandbox.simulator.SimulatedMetrics;
import dev.crosspost.sandbox.simulator.SimulatorSupport;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * X API v2 as the adapter sees it: {@code /2/media/upload/initialize|{id}/append|{id}/finalize}, the STATUS
 * query, {@code POST /2/tweets} and {@code GET /2/users/{id}/tweets}. Every effect draws the sandbox's faults.
 */
@RestController
@SandboxEnabled
@RequestMapping("/sandbox/x/2")
class XController {

    private static final long MAX_SEGMENT_BYTES = 5L * 1024 * 1024;
    private static final long IMAGE_MAX_BYTES = 5L * 1024 * 1024;
    private static final long GIF_MAX_BYTES = 15L * 1024 * 1024;
    private static final long VIDEO_MAX_BYTES = 512L * 1024 * 1024;
    private static final java.util.regex.Pattern URL = java.util.regex.Pattern.compile("https?://\\S+");
    private static final Set<String> CATEGORIES = Set.of("tweet_image", "tweet_gif", "tweet_video", "amplify_video");
    // what POST /2/tweets declares; anything else is refused (additionalProperties: false)
    private static final Set<String> TWEET_FIELDS = Set.of("text", "media", "reply", "quote_tweet_id", "poll", "reply_settings",
            "for_super_followers_only", "direct_message_deep_link", "geo", "nullcast", "card_uri", "community_id",
            "edit_options", "made_with_ai", "paid_partnership", "share_with_followers");

    /** What {@code tweet.fields=public_metrics} shows of a post. */
    static final List<String> PUBLIC_METRICS = List.of("retweet_count", "reply_count", "like_count", "quote_count", "impression_count",
            "bookmark_count");

    private final XPlatform x;
    private final SimulatorSupport support;
    private final JsonMapper json;

    XController(XPlatform x, SimulatorSupport support, JsonMapper json) {
        this.x = x;
        this.support = support;
        this.json = json;
    }

    @PostMapping("/media/upload/initialize")
    @Nullable ResponseEntity<Object> initialize(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String user = enter(request);
        JsonNode body = readJson(request);
        Decision decision = draw(request, response);
        if (decision == null) {
            return null;
        }
        Map<String, Object> data = initialize(user, body.path("media_type").asString(""), body.path("total_bytes").asLong(0),
                body.path("media_category").asString(""));
        return respond(decision, HttpStatus.OK, Map.of("data", data), response);
    }

    @PostMapping(path = "/media/upload/{id}/append", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    @Nullable ResponseEntity<Object> append(@PathVariable String id, @RequestParam("segment_index") String segmentIndex,
                                            @RequestPart("media") MultipartFile part, HttpServletRequest request,
                                            HttpServletResponse response) throws IOException {
        String user = enter(request);
        Decision decision = draw(request, response);
        if (decision == null) {
            return null;
        }
        append(user, id, segmentIndex, part);
        return respond(decision, HttpStatus.OK, Map.of("data", Map.of("expires_at", x.now().plusSeconds(86_400).getEpochSecond())), response);
    }

    @PostMapping("/media/upload/{id}/finalize")
    @Nullable ResponseEntity<Object> finalizeUpload(@PathVariable String id, HttpServletRequest request,
                                                    HttpServletResponse response) throws IOException {
        String user = enter(request);
        Decision decision = draw(request, response);
        if (decision == null) {
            return null;
        }
        return respond(decision, HttpStatus.OK, Map.of("data", finalizeUpload(user, id)), response);
    }

    /**
     * The older command form the quickstart still shows ({@code command=INIT|APPEND|FINALIZE}, multipart), and the
     * one-shot image upload ({@code media} + {@code media_category}, no command).
     */
    @PostMapping(path = "/media/upload", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    @Nullable ResponseEntity<Object> command(@RequestParam(required = false) @Nullable String command,
                                             @RequestParam(name = "media_id", required = false) @Nullable String mediaId,
                                             @RequestParam(name = "segment_index", required = false) @Nullable String segmentIndex,
                                             @RequestParam(name = "total_bytes", required = false) @Nullable String totalBytes,
                                             @RequestParam(name = "media_type", required = false) @Nullable String mediaType,
                                             @RequestParam(name = "media_category", required = false) @Nullable String category,
                                             @RequestPart(name = "media", required = false) @Nullable MultipartFile part,
                                             HttpServletRequest request, HttpServletResponse response) throws IOException {
        String user = enter(request);
        Decision decision = draw(request, response);
        if (decision == null) {
            return null;
        }
        String c = command == null ? "" : command.trim().toUpperCase(java.util.Locale.ROOT);
        Map<String, Object> data = switch (c) {
            case "INIT" -> initialize(user, mediaType == null ? "" : mediaType, parseLong(totalBytes), category == null ? "" : category);
            case "APPEND" -> {
                append(user, required(mediaId, "media_id"), required(segmentIndex, "segment_index"), requiredPart(part));
                yield null;
            }
            case "FINALIZE" -> finalizeUpload(user, required(mediaId, "media_id"));
            case "" -> {
                MultipartFile image = requiredPart(part);
                String type = image.getContentType() == null ? "" : MediaType.parseMediaType(image.getContentType()).toString();
                if (!"tweet_image".equals(category) || !type.startsWith("image/")) {
                    throw XProblem.invalid("media_category", "the one-shot upload takes images with media_category=tweet_image; use the chunked upload for video");
                }
                String id = initialize(user, type, image.getSize(), category).get("id").toString();
                append(user, id, "0", image);
                yield finalizeUpload(user, id);
            }
            default -> throw XProblem.invalid("command", "command must be INIT, APPEND or FINALIZE");
        };
        if (data == null) {
            // APPEND answers with an empty 2xx, as the v1.1 endpoint did
            return SimulatorSupport.respond(decision, HttpStatus.NO_CONTENT, new HttpHeaders(), new byte[0], response);
        }
        return respond(decision, HttpStatus.OK, Map.of("data", data), response);
    }

    private Map<String, Object> initialize(String user, String type, long total, String category) {
        if (!XPlatform.MEDIA_TYPES.contains(type)) {
            throw XProblem.invalid("media_type", "media_type must be one of " + XPlatform.MEDIA_TYPES);
        }
        if (!category.isEmpty() && !CATEGORIES.contains(category)) {
            throw XProblem.invalid("media_category", "media_category must be one of " + CATEGORIES);
        }
        long max = type.equals("image/gif") ? GIF_MAX_BYTES : type.startsWith("image/") ? IMAGE_MAX_BYTES : VIDEO_MAX_BYTES;
        if (total <= 0 || total > max) {
            throw XProblem.invalid("total_bytes", "total_bytes must be between 1 and " + max + " for " + type);
        }
        XPlatform.Media media = x.initialize(user, type, total);
        Map<String, Object> data = mediaView(media);
        data.put("expires_after_secs", 86_400);
        return data;
    }

    private void append(String user, String id, String segmentIndex, MultipartFile part) throws IOException {
        XPlatform.Media media = owned(id, user);
        if (media.finalizedAt != null) {
            throw XProblem.invalid("id", "media " + id + " is already finalized");
        }
        int segment;
        try {
            segment = Integer.parseInt(segmentIndex.trim());
        } catch (NumberFormatException e) {
            segment = -1;
        }
        if (segment < 0 || segment > 999) {
            throw XProblem.invalid("segment_index", "segment_index must be a number from 0 to 999");
        }
        long size;
        boolean validStart;
        // counted and discarded through a fixed buffer; only the first bytes are looked at
        try (InputStream in = part.getInputStream()) {
            byte[] head = in.readNBytes(12);
            validStart = !media.type.startsWith("video/") || SimulatorSupport.looksLikeVideo(head);
            size = head.length + SimulatorSupport.drain(in);
        }
        if (size == 0 || size > MAX_SEGMENT_BYTES) {
            throw XProblem.invalid("media", "each segment must hold 1 to " + MAX_SEGMENT_BYTES + " bytes");
        }
        x.append(media, segment, size, validStart);
    }

    private Map<String, Object> finalizeUpload(String user, String id) {
        XPlatform.Media media = owned(id, user);
        if (media.received() != media.totalBytes) {
            throw XProblem.invalid("id", "Segments do not add up to provided total file size: received " + media.received()
                    + " of " + media.totalBytes + " bytes");
        }
        x.finalizeUpload(media);
        Map<String, Object> data = mediaView(media);
        data.put("size", media.totalBytes);
        data.put("expires_after_secs", 86_400);
        if (media.processed()) {
            // X answers FINALIZE of a video with pending processing, whatever comes next
            data.put("processing_info", Map.of("state", "pending", "check_after_secs", 1));
        }
        return data;
    }

    private static String required(@Nullable String value, String name) {
        if (value == null || value.isBlank()) {
            throw XProblem.invalid(name, name + " is required");
        }
        return value;
    }

    private static MultipartFile requiredPart(@Nullable MultipartFile part) {
        if (part == null || part.isEmpty()) {
            throw XProblem.invalid("media", "media is required");
        }
        return part;
    }

    private static long parseLong(@Nullable String value) {
        try {
            return value == null ? 0 : Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    @GetMapping("/media/upload")
    Map<String, Object> status(@RequestParam(required = false) @Nullable String command,
                               @RequestParam(name = "media_id", required = false) @Nullable String mediaId, HttpServletRequest request) {
        String user = enter(request);
        if (!"STATUS".equals(command)) {
            throw XProblem.invalid("command", "command must be STATUS");
        }
        if (mediaId == null || mediaId.isBlank()) {
            throw XProblem.invalid("media_id", "media_id is required");
        }
        XPlatform.Media media = owned(mediaId, user);
        Map<String, Object> data = mediaView(media);
        if (media.processed()) {
            String state = x.state(media);
            Map<String, Object> info = new LinkedHashMap<>();
            info.put("state", state);
            info.put("progress_percent", x.progress(media));
            if (state.equals("in_progress") || state.equals("pending")) {
                info.put("check_after_secs", 1);
            }
            if (state.equals("failed")) {
                info.put("error", Map.of("code", 1, "name", "InvalidMedia", "message", "Unsupported video format"));
            }
            data.put("processing_info", info);
        }
        return Map.of("data", data);
    }

    @PostMapping("/tweets")
    @Nullable ResponseEntity<Object> tweet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String user = enter(request);
        JsonNode body = readJson(request);
        HttpHeaders limits = x.limits(user);
        Decision decision = draw(request, response);
        if (decision == null) {
            return null;
        }
        for (String field : body.propertyNames()) {
            if (!TWEET_FIELDS.contains(field)) {
                throw XProblem.invalid(field, "The `" + field + "` field is not allowed").withHeaders(limits);
            }
        }
        String text = body.path("text").asString("");
        List<XPlatform.Media> attached = new ArrayList<>();
        JsonNode ids = body.path("media").path("media_ids");
        if (body.has("media") && (!ids.isArray() || ids.isEmpty() || ids.size() > 4)) {
            throw XProblem.invalid("media.media_ids", "media.media_ids must hold 1 to 4 ids").withHeaders(limits);
        }
        for (JsonNode id : ids) {
            XPlatform.Media media = x.media(id.asString());
            if (media == null || !media.user.equals(user) || media.finalizedAt == null || !x.state(media).equals("succeeded")) {
                throw XProblem.invalid("media.media_ids", "Your media IDs are invalid.").withHeaders(limits);
            }
            attached.add(media);
        }
        if (text.isBlank() && attached.isEmpty()) {
            throw XProblem.invalid("text", "text or media is required").withHeaders(limits);
        }
        int length = weightedLength(text);
        if (length > XPlatform.MAX_WEIGHTED_LENGTH) {
            throw new XProblem(HttpStatus.FORBIDDEN, XProblem.problem("about:blank", "Forbidden",
                    "You are not allowed to create a Tweet with more than " + XPlatform.MAX_WEIGHTED_LENGTH + " characters.", 403))
                    .withHeaders(limits);
        }
        XPlatform.Tweet tweet = x.post(user, text, attached);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("id", tweet.id());
        data.put("text", tweet.text());
        data.put("edit_history_tweet_ids", List.of(tweet.id()));
        return respond(decision, HttpStatus.CREATED, x.limits(user), Map.of("data", data), response);
    }

    /**
     * Tweets lookup by ids with {@code public_metrics}: the counts of posts X accepted; ids it never accepted come
     * back in {@code errors[]} as X does (200 with partial errors). Reads draw the sandbox's read faults.
     */
    @GetMapping("/tweets")
    Map<String, Object> lookup(@RequestParam(required = false) @Nullable String ids,
                               @RequestParam(name = "tweet.fields", required = false) @Nullable String fields, HttpServletRequest request) {
        enter(request);
        if (ids == null || ids.isBlank()) {
            throw XProblem.invalid("ids", "The `ids` query parameter can not be empty");
        }
        List<String> wanted = List.of(ids.split(","));
        if (wanted.size() > 100) {
            throw XProblem.invalid("ids", "The `ids` query parameter value has more than 100 ids");
        }
        support.read(XPlatform.PLATFORM, d -> XProblem.unavailable(),
                d -> XProblem.rateLimited(x.headers(0, x.now().plusSeconds(d.faults().retryAfterSeconds()))));
        boolean metrics = fields != null && List.of(fields.split(",")).contains("public_metrics");
        Instant now = x.now();
        List<Map<String, Object>> data = new ArrayList<>();
        List<Map<String, Object>> errors = new ArrayList<>();
        for (String raw : wanted) {
            String id = raw.strip();
            var post = support.accepted(XPlatform.PLATFORM, id);
            if (post.isEmpty()) {
                errors.add(Map.of("value", id, "detail", "Could not find tweet with ids: [" + id + "].", "title", "Not Found Error",
                        "resource_type", "tweet", "parameter", "ids", "resource_id", id,
                        "type", "https://api.twitter.com/2/problems/resource-not-found"));
                continue;
            }
            Map<String, Object> view = new LinkedHashMap<>();
            view.put("id", id);
            view.put("text", post.get().text());
            view.put("edit_history_tweet_ids", List.of(id));
            if (metrics) {
                Map<String, Object> counts = new LinkedHashMap<>();
                for (String name : PUBLIC_METRICS) {
                    counts.put(name, SimulatedMetrics.count(post.get(), name, now));
                }
                view.put("public_metrics", counts);
            }
            data.add(view);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        if (!data.isEmpty()) {
            body.put("data", data);
        }
        if (!errors.isEmpty()) {
            body.put("errors", errors);
        }
        return body;
    }

    @GetMapping("/users/{id}/tweets")
    Map<String, Object> timeline(@PathVariable String id, HttpServletRequest request,
                                 @RequestParam(name = "max_results", required = false) @Nullable String maxResults,
                                 @RequestParam(name = "start_time", required = false) @Nullable String startTime,
                                 @RequestParam(name = "tweet.fields", required = false) @Nullable String fields,
                                 @RequestParam(name = "pagination_token", required = false) @Nullable String paginationToken) {
        String user = enter(request);
        int max = 10;
        if (maxResults != null) {
            try {
                max = Integer.parseInt(maxResults);
            } catch (NumberFormatException e) {
                max = -1;
            }
            if (max < 5 || max > 100) {
                throw XProblem.invalid("max_results", "The `max_results` query parameter value [" + maxResults + "] is not between 5 and 100");
            }
        }
        Instant since = null;
        if (startTime != null) {
            try {
                since = Instant.parse(startTime);
            } catch (DateTimeParseException e) {
                throw XProblem.invalid("start_time", "start_time must be an RFC 3339 date-time such as 2025-01-31T12:00:00Z");
            }
        }
        Set<String> wanted = fields == null ? Set.of() : Set.of(fields.split(","));
        // the simulator knows users by their token's grant, not by X's numeric ids: the timeline is the caller's
        // one more than asked tells whether meta.next_token is due
        List<XPlatform.Tweet> tweets = x.timeline(user, since, max + 1,
                paginationToken == null || paginationToken.isEmpty() ? null : untoken(paginationToken));
        List<Map<String, Object>> data = tweets.subList(0, Math.min(max, tweets.size())).stream().map(t -> {
            Map<String, Object> view = new LinkedHashMap<>();
            view.put("id", t.id());
            view.put("text", t.text());
            view.put("edit_history_tweet_ids", List.of(t.id()));
            if (wanted.contains("created_at")) {
                view.put("created_at", t.createdAt().toString());
            }
            if (wanted.contains("attachments") && !t.mediaKeys().isEmpty()) {
                view.put("attachments", Map.of("media_keys", t.mediaKeys()));
            }
            return view;
        }).toList();
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("result_count", data.size());
        if (!data.isEmpty()) {
            meta.put("newest_id", data.getFirst().get("id"));
            meta.put("oldest_id", data.getLast().get("id"));
            if (tweets.size() > max) {
                meta.put("next_token", token((String) data.getLast().get("id")));
            }
            return Map.of("data", data, "meta", meta);
        }
        return Map.of("meta", meta);
    }

    /** Pagination tokens are opaque to clients: the id of the page's oldest post, encoded. */
    private static String token(String tweetId) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(("tweet:" + tweetId).getBytes(StandardCharsets.UTF_8));
    }

    private static String untoken(String token) {
        try {
            String decoded = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            if (decoded.startsWith("tweet:")) {
                return Long.toString(Long.parseLong(decoded.substring(6)));
            }
        } catch (IllegalArgumentException e) {
            // not Base64 or not a number (NumberFormatException is one): refused below
        }
        throw XProblem.invalid("pagination_token", "The `pagination_token` query parameter value [" + token + "] is not valid");
    }

    @ExceptionHandler(XProblem.class)
    ResponseEntity<Map<String, Object>> problem(XProblem e) {
        MediaType type = e.status() == HttpStatus.TOO_MANY_REQUESTS ? MediaType.APPLICATION_JSON : MediaType.APPLICATION_PROBLEM_JSON;
        return ResponseEntity.status(e.status()).headers(e.headers()).contentType(type).body(e.body());
    }

    /** The injected latency, then the bearer check; returns the user the token speaks for. */
    private String enter(HttpServletRequest request) {
        support.latency(XPlatform.PLATFORM);
        SimulatorSupport.Caller caller = support.caller(XPlatform.PLATFORM, SimulatorSupport.credentials(request, "Bearer"));
        if (caller == null) {
            throw XProblem.unauthorized();
        }
        // a user is whoever the token was issued to, across refreshes; the sandbox token is one shared user
        return caller.user() == null ? "sandbox" : "user:" + caller.user();
    }

    /**
     * Draws the fault of one effect; a 503 or 429 is thrown here, before anything is kept. Returns null after
     * dropping the connection.
     */
    private @Nullable Decision draw(HttpServletRequest request, HttpServletResponse response) throws IOException {
        return support.draw(XPlatform.PLATFORM, request, response, "{\"data\":", d -> XProblem.unavailable(),
                d -> XProblem.rateLimited(x.headers(0, x.now().plusSeconds(d.faults().retryAfterSeconds()))));
    }

    private @Nullable ResponseEntity<Object> respond(Decision decision, HttpStatus status, Map<String, Object> body,
                                                     HttpServletResponse response) {
        return respond(decision, status, new HttpHeaders(), body, response);
    }

    private @Nullable ResponseEntity<Object> respond(Decision decision, HttpStatus status, HttpHeaders headers, Map<String, Object> body,
                                                     HttpServletResponse response) {
        return SimulatorSupport.respond(decision, status, headers, json.writeValueAsBytes(body), response);
    }

    private XPlatform.Media owned(String id, String user) {
        XPlatform.Media media = x.media(id);
        if (media == null || !media.user.equals(user)) {
            throw XProblem.notFound("Could not find media with id: [" + id + "].");
        }
        return media;
    }

    private static Map<String, Object> mediaView(XPlatform.Media media) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("id", media.id);
        data.put("media_key", media.key);
        return data;
    }

    private JsonNode readJson(HttpServletRequest request) throws IOException {
        String type = request.getContentType();
        if (type == null || !MediaType.parseMediaType(type).isCompatibleWith(MediaType.APPLICATION_JSON)) {
            throw XProblem.invalid("Content-Type", "send Content-Type: application/json");
        }
        try {
            JsonNode body = json.readTree(request.getInputStream());
            if (body == null || !body.isObject()) {
                throw XProblem.invalid("body", "the body must be a JSON object");
            }
            return body;
        } catch (JacksonException e) {
            throw XProblem.invalid("body", "the body is not valid JSON");
        }
    }

    /** X's weighted length, roughly: code points, with every URL counted as 23 (the adapter checks it exactly). */
    private static int weightedLength(String text) {
        var urls = URL.matcher(text);
        String rest = urls.replaceAll("");
        return rest.codePointCount(0, rest.length()) + 23 * (int) URL.matcher(text).results().count();
    }
}
