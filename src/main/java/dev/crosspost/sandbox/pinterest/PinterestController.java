package dev.crosspost.sandbox.pinterest;

import dev.crosspost.sandbox.FaultInjector.Decision;
import dev.crosspost.sandbox.SandboxEnabled;
import dev.crosspost.sandbox.simulator.SimulatedMetrics;
import dev.crosspost.sandbox.simulator.SimulatorSupport;
import dev.crosspost.sandbox.pinterest.PinterestBoards.Media;
import dev.crosspost.sandbox.pinterest.PinterestBoards.Pin;
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
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Pinterest API v5 under {@code /sandbox/pinterest/v5}: {@code GET /boards}, {@code POST /media}, {@code GET
 * /media/{id}}, {@code POST /pins}, {@code GET /pins/{id}}, {@code GET /boards/{id}/pins}, with bearer auth and
 * {@code {"code","message"}} errors; plus the S3 bucket the upload form posts to, at {@code /sandbox/pinterest/s3/…},
 * which answers 204 or S3's XML errors.
 */
@RestController
@SandboxEnabled
@RequestMapping("/sandbox/pinterest")
class PinterestController {

    private static final String PLATFORM = PinterestBoards.PLATFORM;
    private static final String BUCKET = "/s3/pinterest-media-upload";
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss").withZone(ZoneOffset.UTC);

    /** The pin analytics metric types the sandbox reports. */
    private static final java.util.Set<String> ANALYTICS = java.util.Set.of("IMPRESSION", "SAVE", "PIN_CLICK", "OUTBOUND_CLICK",
            "VIDEO_MRC_VIEW", "VIDEO_START", "QUARTILE_95_PERCENT_VIEW");

    private final PinterestBoards boards;
    private final SimulatorSupport support;
    private final JsonMapper json;
    private final Clock clock;

    PinterestController(PinterestBoards boards, SimulatorSupport support, JsonMapper json, Clock clock) {
        this.boards = boards;
        this.support = support;
        this.json = json;
        this.clock = clock;
    }

    @GetMapping("/v5/boards")
    Map<String, Object> listBoards(HttpServletRequest request) {
        enter(request);
        Map<String, Object> board = new LinkedHashMap<>();
        board.put("id", PinterestBoards.BOARD_ID);
        board.put("name", PinterestBoards.BOARD_NAME);
        board.put("description", "Posts from Crosspost");
        board.put("privacy", "PUBLIC");
        board.put("owner", Map.of("username", PinterestBoards.USER));
        return page(List.of(board));
    }

    @PostMapping("/v5/media")
    @Nullable ResponseEntity<Object> registerMedia(HttpServletRequest request, HttpServletResponse response) throws IOException {
        enter(request);
        JsonNode body = read(request);
        if (!"video".equals(body.path("media_type").asString(""))) {
            throw PinterestError.invalid("Invalid parameters: media_type must be 'video'");
        }
        Decision drawn = faults(request, response);
        if (drawn == null) {
            return null;
        }
        Media m = boards.register();
        String date = TIME.format(clock.instant()).replace("-", "").replace(":", "") + "Z";
        Map<String, String> form = new LinkedHashMap<>();
        form.put("x-amz-date", date);
        form.put("x-amz-signature", m.signature);
        form.put("x-amz-security-token", "sandbox-session-token");
        form.put("x-amz-algorithm", "AWS4-HMAC-SHA256");
        form.put("key", key(m.id));
        form.put("policy", Base64.getEncoder().encodeToString(("{\"conditions\":[{\"key\":\"" + key(m.id) + "\"}]}").getBytes(StandardCharsets.UTF_8)));
        form.put("x-amz-credential", "SANDBOXKEY/" + date.substring(0, 8) + "/us-east-1/s3/aws4_request");
        form.put("Content-Type", "multipart/form-data");
        Map<String, Object> created = new LinkedHashMap<>();
        created.put("media_id", m.id);
        created.put("media_type", "video");
        created.put("upload_url", SimulatorSupport.origin(request) + "/sandbox/pinterest" + BUCKET);
        created.put("upload_parameters", form);
        return SimulatorSupport.respond(drawn, HttpStatus.CREATED, new HttpHeaders(), json.writeValueAsBytes(created), response);
    }

    @PostMapping(BUCKET)
    @Nullable ResponseEntity<Object> s3Upload(@RequestParam Map<String, String> fields,
                                              @RequestPart(name = "file", required = false) @Nullable MultipartFile file,
                                              HttpServletRequest request, HttpServletResponse response) throws IOException {
        support.latency(PLATFORM);
        String key = fields.getOrDefault("key", "");
        Media m = key.startsWith("videos/") ? boards.media(key.substring("videos/".length())).orElse(null) : null;
        if (m == null || !m.signature.equals(fields.get("x-amz-signature"))) {
            return s3Error(HttpStatus.FORBIDDEN, "AccessDenied", "Invalid according to Policy: Policy Condition failed");
        }
        if (file == null) {
            return s3Error(HttpStatus.BAD_REQUEST, "InvalidArgument", "POST requires exactly one file upload per request.");
        }
        Decision drawn = support.draw(PLATFORM);
        switch (drawn.fault()) {
            case ERROR, RATE_LIMIT -> {
                return s3Error(HttpStatus.SERVICE_UNAVAILABLE, "SlowDown", "Please reduce your request rate.");
            }
            case RESET -> {
                SimulatorSupport.drop(request, response, "{\"id\":\"");
                return null;
            }
            default -> {
            }
        }
        long size;
        boolean video;
        try (InputStream in = file.getInputStream()) {
            byte[] head = in.readNBytes(8);
            video = SimulatorSupport.looksLikeVideo(head);
            size = head.length + SimulatorSupport.drain(in);
        }
        boards.uploaded(m, size, video);
        return SimulatorSupport.respond(drawn, HttpStatus.NO_CONTENT, new HttpHeaders(), new byte[0], response);
    }

    @GetMapping("/v5/media/{mediaId}")
    Map<String, Object> media(@PathVariable String mediaId, HttpServletRequest request) {
        enter(request);
        Media m = boards.media(mediaId).orElseThrow(() -> new PinterestError(HttpStatus.NOT_FOUND, 404, "Media not found."));
        return Map.of("media_id", m.id, "media_type", "video", "status", boards.status(m));
    }

    @PostMapping("/v5/pins")
    @Nullable ResponseEntity<Object> createPin(HttpServletRequest request, HttpServletResponse response) throws IOException {
        enter(request);
        JsonNode body = read(request);
        String boardId = text(body, "board_id", 0);
        if (boardId == null) {
            throw PinterestError.invalid("Invalid parameters: board_id is required");
        }
        String title = text(body, "title", 100);
        String description = text(body, "description", 800);
        String note = text(body, "note", 500);
        String link = text(body, "link", 2048);
        String altText = text(body, "alt_text", 500);
        JsonNode source = body.path("media_source");
        if (!"video_id".equals(source.path("source_type").asString(""))) {
            throw PinterestError.invalid("Invalid parameters: this sandbox pins videos: media_source.source_type must be 'video_id'");
        }
        String mediaId = source.path("media_id").asString("");
        if (!source.has("cover_image_url") && !source.has("cover_image_key_frame_time")) {
            throw PinterestError.invalid("Invalid parameters: a video Pin needs cover_image_url or cover_image_key_frame_time");
        }
        Decision drawn = faults(request, response);
        if (drawn == null) {
            return null;
        }
        Pin pin = boards.pin(boardId, title, description == null ? "" : description, note, link, altText, mediaId);
        return SimulatorSupport.respond(drawn, HttpStatus.CREATED, new HttpHeaders(), json.writeValueAsBytes(view(pin)), response);
    }

    @GetMapping("/v5/pins/{pinId}")
    Map<String, Object> pin(@PathVariable String pinId, HttpServletRequest request) {
        enter(request);
        return view(boards.find(pinId).orElseThrow(() -> new PinterestError(HttpStatus.NOT_FOUND, 50, "Pin not found.")));
    }

    /**
     * Pin analytics: {@code all.summary_metrics} and {@code all.lifetime_metrics} of the requested
     * {@code metric_types} for a pin the sandbox accepted; {@code start_date} at most 90 days back, not after
     * {@code end_date}. Reads draw the read faults.
     */
    @GetMapping("/v5/pins/{pinId}/analytics")
    Map<String, Object> analytics(@PathVariable String pinId, @RequestParam(name = "start_date", required = false) @Nullable String startDate,
                                  @RequestParam(name = "end_date", required = false) @Nullable String endDate,
                                  @RequestParam(name = "metric_types", required = false) @Nullable String metricTypes,
                                  HttpServletRequest request) {
        enter(request);
        java.time.LocalDate start = date(startDate, "start_date");
        java.time.LocalDate end = date(endDate, "end_date");
        java.time.LocalDate today = java.time.LocalDate.ofInstant(clock.instant(), java.time.ZoneOffset.UTC);
        if (start.isAfter(end) || start.isBefore(today.minusDays(90))) {
            throw PinterestError.invalid("Invalid parameters: start_date must be within the last 90 days and not after end_date");
        }
        if (metricTypes == null || metricTypes.isBlank()) {
            throw PinterestError.invalid("Invalid parameters: metric_types is required");
        }
        support.read(PLATFORM, d -> new PinterestError(HttpStatus.SERVICE_UNAVAILABLE, 3, "Service unavailable. Try again later."),
                d -> PinterestError.rateLimited(d.faults().retryAfterSeconds()));
        var post = support.accepted(PLATFORM, pinId).orElseThrow(() -> new PinterestError(HttpStatus.NOT_FOUND, 50, "Pin not found."));
        Map<String, Object> totals = new LinkedHashMap<>();
        for (String type : metricTypes.split(",")) {
            String t = type.strip();
            if (!ANALYTICS.contains(t)) {
                throw PinterestError.invalid("Invalid parameters: metric_types has an unknown metric '" + t + "'");
            }
            totals.put(t, SimulatedMetrics.count(post, t, clock.instant()));
        }
        return Map.of("all", Map.of("daily_metrics", List.of(), "summary_metrics", totals, "lifetime_metrics", totals));
    }

    private static java.time.LocalDate date(@Nullable String value, String name) {
        try {
            return java.time.LocalDate.parse(value == null ? "" : value);
        } catch (java.time.format.DateTimeParseException e) {
            throw PinterestError.invalid("Invalid parameters: " + name + " must be a date like 2025-01-31");
        }
    }

    @GetMapping("/v5/boards/{boardId}/pins")
    Map<String, Object> boardPins(@PathVariable String boardId, @RequestParam(name = "page_size", defaultValue = "25") String pageSize,
                                  @RequestParam(required = false) @Nullable String bookmark, HttpServletRequest request) {
        enter(request);
        if (!PinterestBoards.BOARD_ID.equals(boardId)) {
            throw new PinterestError(HttpStatus.NOT_FOUND, 40, "Board not found.");
        }
        int size;
        try {
            size = Integer.parseInt(pageSize);
        } catch (NumberFormatException e) {
            size = -1;
        }
        if (size < 1 || size > 250) {
            throw PinterestError.invalid("Invalid parameters: page_size must be between 1 and 250");
        }
        String after = bookmark == null || bookmark.isEmpty() ? null : unbookmark(bookmark);
        // one more than asked tells whether a further page exists, as Pinterest's null bookmark at the end does
        List<Pin> pins = boards.onBoard(boardId, size + 1, after);
        List<Pin> shown = pins.subList(0, Math.min(size, pins.size()));
        Map<String, Object> page = new LinkedHashMap<>();
        page.put("items", shown.stream().map(PinterestController::view).toList());
        page.put("bookmark", pins.size() > size ? bookmark(shown.getLast().id()) : null);
        return page;
    }

    /** Bookmarks are opaque to clients: the id of the page's last Pin, encoded. */
    private static String bookmark(String pinId) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(("pin:" + pinId).getBytes(StandardCharsets.UTF_8));
    }

    private static String unbookmark(String bookmark) {
        try {
            String decoded = new String(Base64.getUrlDecoder().decode(bookmark), StandardCharsets.UTF_8);
            if (decoded.startsWith("pin:")) {
                return Long.toString(Long.parseLong(decoded.substring(4)));
            }
        } catch (IllegalArgumentException e) {
            // not Base64 or not a number (NumberFormatException is one): refused below
        }
        throw PinterestError.invalid("Invalid parameters: bookmark is not valid");
    }

    @ExceptionHandler(PinterestError.class)
    ResponseEntity<Map<String, Object>> error(PinterestError e) {
        return ResponseEntity.status(e.status()).headers(e.headers()).contentType(MediaType.APPLICATION_JSON).body(e.body());
    }

    private void enter(HttpServletRequest request) {
        support.latency(PLATFORM);
        if (!support.accepts(PLATFORM, SimulatorSupport.credentials(request, "Bearer"))) {
            throw PinterestError.unauthorized();
        }
    }

    private @Nullable Decision faults(HttpServletRequest request, HttpServletResponse response) throws IOException {
        return support.draw(PLATFORM, request, response, "{\"id\":\"",
                d -> new PinterestError(HttpStatus.SERVICE_UNAVAILABLE, 3, "Service unavailable. Try again later."),
                d -> PinterestError.rateLimited(d.faults().retryAfterSeconds()));
    }

    private JsonNode read(HttpServletRequest request) throws IOException {
        String type = request.getContentType();
        if (type == null || !type.startsWith(MediaType.APPLICATION_JSON_VALUE)) {
            throw new PinterestError(HttpStatus.UNSUPPORTED_MEDIA_TYPE, 1, "Content-Type must be application/json");
        }
        try {
            JsonNode body = json.readTree(request.getInputStream());
            if (body == null || !body.isObject()) {
                throw PinterestError.invalid("Invalid parameters: the body must be a JSON object");
            }
            return body;
        } catch (JacksonException e) {
            throw PinterestError.invalid("Invalid parameters: the body is not valid JSON");
        }
    }

    /** A text field, checked against its documented length; 0 means no limit. */
    private static @Nullable String text(JsonNode body, String field, int max) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        String value = node.asString("");
        if (max > 0 && value.codePointCount(0, value.length()) > max) {
            throw PinterestError.invalid("Invalid parameters: " + field + " must be at most " + max + " characters");
        }
        return value;
    }

    private static Map<String, Object> view(Pin pin) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("id", pin.id());
        v.put("created_at", TIME.format(pin.createdAt()));
        v.put("link", pin.link());
        v.put("title", pin.title());
        v.put("description", pin.description());
        v.put("note", pin.note());
        v.put("alt_text", pin.altText());
        v.put("board_id", pin.boardId());
        v.put("board_owner", Map.of("username", PinterestBoards.USER));
        v.put("creative_type", "VIDEO");
        v.put("is_owner", true);
        v.put("media", Map.of("media_type", "video"));
        return v;
    }

    private static Map<String, Object> page(List<?> items) {
        Map<String, Object> page = new LinkedHashMap<>();
        page.put("items", items);
        page.put("bookmark", null);
        return page;
    }

    private static String key(String mediaId) {
        return "videos/" + mediaId;
    }

    private static ResponseEntity<Object> s3Error(HttpStatus status, String code, String message) {
        String xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>" + code + "</Code><Message>" + message
                + "</Message><RequestId>SANDBOX</RequestId></Error>";
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_XML).body(xml.getBytes(StandardCharsets.UTF_8));
    }

}
