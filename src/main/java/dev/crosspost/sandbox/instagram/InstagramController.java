package dev.crosspost.sandbox.instagram;

import dev.crosspost.sandbox.FaultInjector.Decision;
import dev.crosspost.sandbox.SandboxEnabled;
import dev.crosspost.sandbox.simulator.SimulatedMetrics;
import dev.crosspost.sandbox.simulator.SimulatorSupport;
import dev.crosspost.sandbox.instagram.InstagramGraph.Container;
import dev.crosspost.sandbox.instagram.InstagramGraph.Media;
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
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.DigestInputStream;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Instagram's content publishing endpoints under {@code /sandbox/instagram}: {@code POST /{ver}/{ig-user-id}/media}
 * (resumable Reels containers), the rupload host's {@code POST /rupload/ig-api-upload/{ver}/{container-id}},
 * {@code GET /{ver}/{id}} (container status or media), {@code POST /{ver}/{ig-user-id}/media_publish},
 * {@code GET /{ver}/{ig-user-id}/media} and {@code content_publishing_limit}. Tokens travel as {@code access_token}
 * (rupload: {@code Authorization: OAuth}); errors use the Graph envelope; throttling answers code 4 with
 * {@code X-Business-Use-Case-Usage}.
 */
@RestController
@SandboxEnabled
@RequestMapping("/sandbox/instagram")
class InstagramController {

    private static final String PLATFORM = InstagramGraph.PLATFORM;
    private static final DateTimeFormatter GRAPH_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssZ").withZone(ZoneOffset.UTC);
    private static final int MAX_LIMIT = 100;
    /** The Reel insights the sandbox reports. */
    private static final List<String> INSIGHTS = List.of("views", "reach", "likes", "comments", "shares", "saved", "total_interactions");

    private final InstagramGraph graph;
    private final SimulatorSupport support;
    private final JsonMapper json;
    private final Clock clock;

    InstagramController(InstagramGraph graph, SimulatorSupport support, JsonMapper json, Clock clock) {
        this.graph = graph;
        this.support = support;
        this.json = json;
        this.clock = clock;
    }

    @PostMapping("/{version}/{igUserId}/media")
    @Nullable ResponseEntity<Object> createContainer(@PathVariable String version, @PathVariable String igUserId, @RequestParam Map<String, String> params,
                                                     HttpServletRequest request, HttpServletResponse response) throws IOException {
        enter(params.get("access_token"));
        String mediaType = params.getOrDefault("media_type", "");
        if (!"REELS".equals(mediaType)) {
            throw GraphError.invalidParameter(mediaType.equals("VIDEO")
                    ? "The VIDEO media type is no longer supported for single videos; publish them with media_type=REELS"
                    : "The parameter media_type must be REELS in this sandbox (images need a public image_url)");
        }
        if (!"resumable".equals(params.get("upload_type"))) {
            throw GraphError.invalidParameter("The sandbox cannot fetch video_url; create the container with upload_type=resumable");
        }
        String caption = params.getOrDefault("caption", "");
        if (caption.codePointCount(0, caption.length()) > InstagramGraph.MAX_CAPTION) {
            throw new GraphError(HttpStatus.BAD_REQUEST, 100, 2207010, false,
                    "The caption is too long: it must be at most " + InstagramGraph.MAX_CAPTION + " characters");
        }
        Decision drawn = faults(request, response);
        if (drawn == null) {
            return null;
        }
        Container c = graph.create(igUserId, caption);
        String uri = SimulatorSupport.origin(request) + "/sandbox/instagram/rupload/ig-api-upload/" + version + "/" + c.id;
        return SimulatorSupport.respond(drawn, HttpStatus.OK, usage(igUserId, 0), json.writeValueAsBytes(Map.of("id", c.id, "uri", uri)), response);
    }

    @PostMapping("/rupload/ig-api-upload/{version}/{containerId}")
    @Nullable ResponseEntity<Object> upload(@PathVariable String containerId, HttpServletRequest request,
                                            HttpServletResponse response) throws IOException {
        support.latency(PLATFORM);
        if (!support.accepts(PLATFORM, SimulatorSupport.credentials(request, "OAuth"))) {
            SimulatorSupport.drain(request.getInputStream());
            return rupload(HttpStatus.UNAUTHORIZED, false, "AuthError", "Invalid OAuth access token");
        }
        Container c = graph.container(containerId).orElse(null);
        long offset = header(request, "offset");
        long fileSize = header(request, "file_size");
        if (c == null || offset < 0 || fileSize <= 0) {
            SimulatorSupport.drain(request.getInputStream());
            return rupload(HttpStatus.BAD_REQUEST, false, "ProcessingFailedError",
                    c == null ? "No container " + containerId : "Send the offset and file_size headers");
        }
        Decision drawn = support.draw(PLATFORM);
        switch (drawn.fault()) {
            case ERROR -> {
                SimulatorSupport.drain(request.getInputStream());
                return rupload(HttpStatus.INTERNAL_SERVER_ERROR, true, "ProcessingFailedError", "Upload failed (injected); retry");
            }
            case RATE_LIMIT -> {
                SimulatorSupport.drain(request.getInputStream());
                HttpHeaders headers = new HttpHeaders();
                headers.set(HttpHeaders.RETRY_AFTER, Integer.toString(drawn.faults().retryAfterSeconds()));
                return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS).headers(headers).contentType(MediaType.APPLICATION_JSON)
                        .body(Map.of("debug_info", Map.of("retriable", true, "type", "ThrottlingError", "message", "Too many uploads (injected)")));
            }
            case RESET -> {
                SimulatorSupport.drop(request, response, "{\"id\":\"");
                return null;
            }
            default -> {
            }
        }
        synchronized (c) {
            if (offset != 0 && offset != c.received) {
                SimulatorSupport.drain(request.getInputStream());
                return rupload(HttpStatus.BAD_REQUEST, false, "ProcessingFailedError",
                        "offset " + offset + " does not match the " + c.received + " bytes received");
            }
            if (offset == 0) {
                // a fresh upload from the start replaces whatever arrived before
                c.received = 0;
                c.digest = SimulatorSupport.sha256();
                c.uploadedAt = null;
            }
            try (InputStream in = new DigestInputStream(request.getInputStream(), c.digest)) {
                if (offset == 0) {
                    byte[] head = in.readNBytes(8);
                    c.video = SimulatorSupport.looksLikeVideo(head);
                    c.received += head.length;
                }
                c.received += SimulatorSupport.drain(in);
            }
            if (c.received > fileSize) {
                return rupload(HttpStatus.BAD_REQUEST, false, "ProcessingFailedError",
                        "received " + c.received + " bytes, more than file_size " + fileSize);
            }
            if (c.received == fileSize) {
                c.sha256 = HexFormat.of().formatHex(c.digest.digest());
                c.uploadedAt = clock.instant();
            }
        }
        return SimulatorSupport.respond(drawn, HttpStatus.OK, new HttpHeaders(),
                json.writeValueAsBytes(Map.of("success", true, "message", "Upload successful.")), response);
    }

    @GetMapping("/{version}/{id}")
    Map<String, Object> object(@PathVariable String id, @RequestParam Map<String, String> params) {
        enter(params.get("access_token"));
        Set<String> fields = fields(params.get("fields"));
        Map<String, Object> all = new LinkedHashMap<>();
        Container c = graph.container(id).orElse(null);
        if (c != null) {
            all.put("status_code", graph.statusCode(c));
            all.put("status", graph.status(c));
        } else {
            Media m = graph.media(id).orElseThrow(() -> GraphError.unknownObject(id));
            all.putAll(view(m));
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("id", id);
        all.forEach((k, v) -> {
            if (fields.contains(k)) {
                answer.put(k, v);
            }
        });
        return answer;
    }

    /**
     * Media insights ({@code metric=views,reach,likes,comments,shares,saved,total_interactions}) of a Reel the sandbox
     * accepted, in Graph's {@code data[]{name,period,values[{value}]}}; an unknown id is Graph's "does not exist"
     * error. Reads draw the read faults; throttling answers like Graph's (code 4 with the usage header).
     */
    @GetMapping("/{version}/{id}/insights")
    Map<String, Object> insights(@PathVariable String id, @RequestParam Map<String, String> params) {
        enter(params.get("access_token"));
        String metric = params.get("metric");
        if (metric == null || metric.isBlank()) {
            throw GraphError.invalidParameter("(#100) The parameter metric is required");
        }
        List<String> names = List.of(metric.split(","));
        for (String name : names) {
            if (!INSIGHTS.contains(name.strip())) {
                throw GraphError.invalidParameter("(#100) metric[" + names.indexOf(name) + "] must be one of the following values: "
                        + String.join(", ", INSIGHTS));
            }
        }
        support.read(PLATFORM, d -> new GraphError(HttpStatus.INTERNAL_SERVER_ERROR, 2, 0, true,
                "An unexpected error has occurred. Please retry your request later."), d -> new GraphError(HttpStatus.BAD_REQUEST, 4, 0, true,
                "(#4) Application request limit reached").withHeaders(usage("app", Math.max(1, (d.faults().retryAfterSeconds() + 59) / 60))));
        var post = support.accepted(PLATFORM, id).orElseThrow(() -> GraphError.unknownObject(id));
        java.time.Instant now = support.now();
        List<Map<String, Object>> data = new java.util.ArrayList<>();
        for (String name : names) {
            String n = name.strip();
            data.add(Map.of("name", n, "period", "lifetime", "values", List.of(Map.of("value", SimulatedMetrics.count(post, n, now))),
                    "title", n, "description", "", "id", id + "/insights/" + n + "/lifetime"));
        }
        return Map.of("data", data);
    }

    @PostMapping("/{version}/{igUserId}/media_publish")
    @Nullable ResponseEntity<Object> publish(@PathVariable String igUserId, @RequestParam Map<String, String> params,
                                             HttpServletRequest request, HttpServletResponse response) throws IOException {
        enter(params.get("access_token"));
        String creationId = params.get("creation_id");
        if (creationId == null || creationId.isBlank()) {
            throw GraphError.invalidParameter("The parameter creation_id is required");
        }
        Decision drawn = faults(request, response);
        if (drawn == null) {
            return null;
        }
        Media m = graph.publish(igUserId, creationId);
        return SimulatorSupport.respond(drawn, HttpStatus.OK, usage(igUserId, 0), json.writeValueAsBytes(Map.of("id", m.id())), response);
    }

    @GetMapping("/{version}/{igUserId}/media")
    Map<String, Object> recent(@PathVariable String igUserId, @RequestParam Map<String, String> params) {
        enter(params.get("access_token"));
        int limit = limit(params.get("limit"));
        Set<String> fields = fields(params.get("fields"));
        String after = params.get("after");
        // one more than asked tells whether paging.next is due, as Graph leaves it out on the last page
        List<Media> page = graph.recent(igUserId, limit + 1, after == null || after.isEmpty() ? null : uncursor(after));
        List<Media> shown = page.subList(0, Math.min(limit, page.size()));
        List<Map<String, Object>> data = shown.stream().map(m -> {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("id", m.id());
            view(m).forEach((k, v) -> {
                if (fields.contains(k)) {
                    item.put(k, v);
                }
            });
            return item;
        }).toList();
        Map<String, Object> paging = new LinkedHashMap<>();
        if (!shown.isEmpty()) {
            paging.put("cursors", Map.of("before", cursor(shown.getFirst().id()), "after", cursor(shown.getLast().id())));
        }
        if (page.size() > limit) {
            paging.put("next", ServletUriComponentsBuilder.fromCurrentRequest()
                    .replaceQueryParam("after", cursor(shown.getLast().id())).build().toUriString());
        }
        return Map.of("data", data, "paging", paging);
    }

    /** Cursors are opaque to clients: the media id, encoded. */
    private static String cursor(String mediaId) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(("media:" + mediaId).getBytes(StandardCharsets.UTF_8));
    }

    private static String uncursor(String cursor) {
        try {
            String decoded = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            if (decoded.startsWith("media:")) {
                return decoded.substring(6);
            }
        } catch (IllegalArgumentException e) {
            // not Base64: refused below
        }
        throw GraphError.invalidParameter("The parameter after is not a valid cursor");
    }

    @GetMapping("/{version}/{igUserId}/content_publishing_limit")
    ResponseEntity<Object> publishingLimit(@PathVariable String igUserId, @RequestParam Map<String, String> params) {
        enter(params.get("access_token"));
        Map<String, Object> limit = Map.of("quota_usage", graph.usage(igUserId),
                "config", Map.of("quota_total", graph.quotaTotal(), "quota_duration", graph.window().toSeconds()));
        return ResponseEntity.ok().headers(usage(igUserId, 0)).body(Map.of("data", List.of(limit)));
    }

    @ExceptionHandler(GraphError.class)
    ResponseEntity<Map<String, Object>> error(GraphError e) {
        return ResponseEntity.status(e.status()).headers(e.headers()).contentType(MediaType.APPLICATION_JSON).body(e.body());
    }

    private void enter(@Nullable String token) {
        support.latency(PLATFORM);
        if (!support.accepts(PLATFORM, token)) {
            throw GraphError.invalidToken();
        }
    }

    /** Draws the fault of an effect; answers errors and throttling here, returns null after dropping the connection. */
    private @Nullable Decision faults(HttpServletRequest request, HttpServletResponse response) throws IOException {
        return support.draw(PLATFORM, request, response, "{\"id\":\"", d -> new GraphError(HttpStatus.INTERNAL_SERVER_ERROR, 2, 0, true,
                "An unexpected error has occurred. Please retry your request later."), d -> {
            // Meta gives the wait in whole minutes
            int minutes = Math.max(1, (d.faults().retryAfterSeconds() + 59) / 60);
            return new GraphError(HttpStatus.BAD_REQUEST, 4, 0, true, "(#4) Application request limit reached")
                    .withHeaders(usage("app", minutes));
        });
    }

    /** {@code X-Business-Use-Case-Usage}: the account's publishing use in percent, and the wait when throttled. */
    private HttpHeaders usage(String owner, int regainMinutes) {
        int percent = regainMinutes > 0 ? 100 : Math.min(100, graph.usage(owner) * 100 / Math.max(1, graph.quotaTotal()));
        Map<String, Object> entry = Map.of("type", "instagram", "call_count", percent, "total_cputime", percent / 2,
                "total_time", percent / 2, "estimated_time_to_regain_access", regainMinutes);
        HttpHeaders headers = new HttpHeaders();
        headers.set("X-Business-Use-Case-Usage", json.writeValueAsString(Map.of(owner, List.of(entry))));
        return headers;
    }

    private static Map<String, Object> view(Media m) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("caption", m.caption());
        v.put("media_type", "VIDEO");
        v.put("media_product_type", "REELS");
        v.put("permalink", m.permalink());
        v.put("timestamp", GRAPH_TIME.format(m.timestamp()));
        return v;
    }

    private static ResponseEntity<Object> rupload(HttpStatus status, boolean retriable, String type, String message) {
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("debug_info", Map.of("retriable", retriable, "type", type, "message", message)));
    }

    private static Set<String> fields(@Nullable String fields) {
        return fields == null ? Set.of() : Arrays.stream(fields.split(",")).map(String::trim).collect(Collectors.toSet());
    }

    private static int limit(@Nullable String limit) {
        try {
            return limit == null ? 25 : Math.clamp(Integer.parseInt(limit), 1, MAX_LIMIT);
        } catch (NumberFormatException e) {
            throw GraphError.invalidParameter("The parameter limit must be a number");
        }
    }

    private static long header(HttpServletRequest request, String name) {
        try {
            String value = request.getHeader(name);
            return value == null ? -1 : Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }


}
