package dev.crosspost.sandbox.bluesky;

import dev.crosspost.sandbox.FaultInjector.Decision;
import dev.crosspost.sandbox.RecordedPost;
import dev.crosspost.sandbox.SandboxEnabled;
import dev.crosspost.sandbox.SandboxSettings;
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
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.text.BreakIterator;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * The repository procedures of a simulated Bluesky PDS: {@code uploadBlob}, {@code createRecord} (with the record
 * key rule: one record per key), {@code getRecord}, the per-account write-points limit with {@code RateLimit-*}
 * headers, XRPC's {@code {"error","message"}} errors and the sandbox's faults. Served at {@code /sandbox/bluesky} and
 * beside the simulated sessions at {@code /sandbox/oauth/bluesky}, the PDS that connected sandbox accounts live on.
 */
@RestController
@SandboxEnabled
@RequestMapping({"/sandbox/bluesky/xrpc", "/sandbox/oauth/bluesky/xrpc"})
class BlueskyController {

    static final String PLATFORM = "bluesky";
    // what a dropped connection lets through, on the PDS and the video service alike
    static final String OPENING = "{\"data\":";
    private static final long BLOB_MAX_BYTES = 50_000_000;
    private static final int MAX_GRAPHEMES = 300;
    private static final int MAX_TEXT_BYTES = 3000;
    // Bluesky's write limit: 5000 points an hour per account, 3 per record created (unless the sandbox settings say otherwise)
    private static final int POINTS_PER_WINDOW = 5000;
    private static final Duration POINTS_WINDOW = Duration.ofHours(1);
    private static final int CREATE_COST = 3;
    private static final Pattern RKEY = Pattern.compile("[A-Za-z0-9._:~-]{1,512}");
    private static final Pattern TID = Pattern.compile("[234567abcdefghij][234567abcdefghijklmnopqrstuvwxyz]{12}");

    private final BlobStore blobs;
    private final SimulatorSupport support;
    private final SandboxSettings settings;
    private final JsonMapper json;
    private final Clock clock;
    private final AtomicLong seq = new AtomicLong();
    private final Map<String, Post> posts = new HashMap<>();
    private final Map<String, Window> windows = new HashMap<>();

    BlueskyController(BlobStore blobs, SimulatorSupport support, SandboxSettings settings, JsonMapper json, Clock clock) {
        this.blobs = blobs;
        this.support = support;
        this.settings = settings;
        this.json = json;
        this.clock = clock;
    }

    private record Post(String uri, String cid, JsonNode value) {
    }

    private static final class Window {
        final Instant end;
        int used;

        Window(Instant end) {
            this.end = end;
        }

        HttpHeaders headers(BlueskyController pds) {
            return pds.rateHeaders(pds.limit(), pds.limit() - used, end);
        }
    }

    /** An XRPC error. */
    static final class XrpcError extends RuntimeException {
        final HttpStatus status;
        final String error;
        final HttpHeaders headers = new HttpHeaders();

        XrpcError(HttpStatus status, String error, String message) {
            super(message, null, false, false);
            this.status = status;
            this.error = error;
        }

        XrpcError with(HttpHeaders more) {
            headers.addAll(more);
            return this;
        }

        static XrpcError invalid(String message) {
            return new XrpcError(HttpStatus.BAD_REQUEST, "InvalidRequest", message);
        }
    }

    @PostMapping("/com.atproto.repo.uploadBlob")
    @Nullable ResponseEntity<Object> uploadBlob(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String did = enter(request);
        String type = request.getContentType();
        if (type == null || type.isBlank()) {
            throw XrpcError.invalid("Content-Type is required: the blob's MIME type");
        }
        Decision decision = draw(request, response);
        if (decision == null) {
            return null;
        }
        MessageDigest sha256 = SimulatorSupport.sha256();
        long size = SimulatorSupport.consume(request.getInputStream(), sha256);
        if (size == 0) {
            throw XrpcError.invalid("the blob is empty");
        }
        if (size > BLOB_MAX_BYTES) {
            throw new XrpcError(HttpStatus.BAD_REQUEST, "BlobTooLarge", "This file is too large. It is %.2fMB but the maximum size is %.2fMB."
                    .formatted(size / 1e6, BLOB_MAX_BYTES / 1e6));
        }
        BlobStore.Blob blob = blobs.store(sha256.digest(), MediaType.parseMediaType(type).toString(), size);
        return SimulatorSupport.respond(decision, HttpStatus.OK, new HttpHeaders(), json.writeValueAsBytes(Map.of("blob", blob.view())), response);
    }

    @PostMapping("/com.atproto.repo.createRecord")
    @Nullable ResponseEntity<Object> createRecord(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String did = enter(request);
        JsonNode body = readJson(request);
        String repo = body.path("repo").asString("");
        if (repo.isBlank()) {
            throw XrpcError.invalid("Input must have the property \"repo\"");
        }
        if (!did.isEmpty() && !did.equals(repo)) {
            throw new XrpcError(HttpStatus.BAD_REQUEST, "InvalidRequest", "Invalid repo: the token is for " + did);
        }
        String collection = body.path("collection").asString("");
        JsonNode record = body.path("record");
        if (!collection.equals("app.bsky.feed.post") || !record.isObject() || !collection.equals(record.path("$type").asString())) {
            throw XrpcError.invalid("Invalid record: this PDS takes app.bsky.feed.post records whose $type is the collection");
        }
        String text = record.path("text").asString("");
        if (graphemes(text) > MAX_GRAPHEMES || text.getBytes(StandardCharsets.UTF_8).length > MAX_TEXT_BYTES) {
            throw XrpcError.invalid("Invalid app.bsky.feed.post record: Record/text must not be longer than " + MAX_GRAPHEMES + " graphemes");
        }
        try {
            Instant.parse(record.path("createdAt").asString(""));
        } catch (DateTimeParseException e) {
            throw XrpcError.invalid("Invalid app.bsky.feed.post record: Record/createdAt must be an valid atproto datetime");
        }
        for (String link : record.path("embed").findValuesAsString("$link")) {
            if (!blobs.has(link)) {
                throw XrpcError.invalid("Could not find blob: " + link);
            }
        }
        String rkey = body.path("rkey").asString("");
        if (!rkey.isEmpty() && (!RKEY.matcher(rkey).matches() || !TID.matcher(rkey).matches())) {
            throw XrpcError.invalid("Invalid record key: app.bsky.feed.post records are keyed by TID");
        }
        HttpHeaders limits;
        synchronized (this) {
            limits = window(repo).headers(this);
        }
        Decision decision = draw(request, response);
        if (decision == null) {
            return null;
        }
        Post post;
        synchronized (this) {
            Window window = window(repo);
            if (window.used + CREATE_COST > limit()) {
                throw new XrpcError(HttpStatus.TOO_MANY_REQUESTS, "RateLimitExceeded", "Rate Limit Exceeded").with(window.headers(this));
            }
            if (rkey.isEmpty()) {
                rkey = tid();
            }
            String uri = "at://" + repo + "/" + collection + "/" + rkey;
            if (posts.containsKey(uri)) {
                throw XrpcError.invalid("Record already exists at " + uri).with(limits);
            }
            window.used += CREATE_COST;
            post = new Post(uri, "bafyrei" + Long.toString(1_000_000_000L + seq.incrementAndGet(), 32), record);
            posts.put(uri, post);
            limits = window.headers(this);
            String url = "https://bsky.app/profile/" + repo + "/post/" + rkey;
            support.record(new RecordedPost(PLATFORM, uri, url, repo, text, rkey, firstLink(record), clock.instant()));
        }
        Map<String, Object> created = new LinkedHashMap<>();
        created.put("uri", post.uri());
        created.put("cid", post.cid());
        created.put("commit", Map.of("cid", post.cid() + "c", "rev", tid()));
        created.put("validationStatus", "valid");
        return SimulatorSupport.respond(decision, HttpStatus.OK, limits, json.writeValueAsBytes(created), response);
    }

    /** A token for the video service, as the PDS signs them (aud, lxm, exp; at most an hour). */
    @GetMapping("/com.atproto.server.getServiceAuth")
    Map<String, Object> getServiceAuth(HttpServletRequest request, @RequestParam String aud,
                                       @RequestParam(required = false) @Nullable String lxm, @RequestParam(required = false) @Nullable Long exp) {
        String did = enter(request);
        if (!aud.startsWith("did:")) {
            throw XrpcError.invalid("aud must be a DID");
        }
        Instant now = clock.instant();
        Instant expires = exp == null ? now.plusSeconds(60) : Instant.ofEpochSecond(exp);
        if (!expires.isAfter(now) || expires.isAfter(now.plus(Duration.ofHours(1)))) {
            throw new XrpcError(HttpStatus.BAD_REQUEST, "BadExpiration", "expiration must be in the future and at most an hour away");
        }
        return Map.of("token", blobs.issueServiceToken(did, expires));
    }

    @GetMapping("/com.atproto.repo.getRecord")
    Map<String, Object> getRecord(@RequestParam String repo, @RequestParam String collection, @RequestParam String rkey) {
        String uri = "at://" + repo + "/" + collection + "/" + rkey;
        Post post;
        synchronized (this) {
            post = posts.get(uri);
        }
        if (post == null) {
            throw new XrpcError(HttpStatus.BAD_REQUEST, "RecordNotFound", "Could not locate record: " + uri);
        }
        return Map.of("uri", post.uri(), "cid", post.cid(), "value", post.value());
    }

    /**
     * {@code app.bsky.feed.getPosts}: post views with like, repost, reply and quote counts for up to 25
     * {@code uris} the sandbox accepted; unknown ones are left out, as the AppView does. Reads draw the read faults.
     */
    @GetMapping("/app.bsky.feed.getPosts")
    Map<String, Object> getPosts(@RequestParam(required = false) @Nullable List<String> uris, HttpServletRequest request) {
        enter(request);
        if (uris == null || uris.isEmpty() || uris.size() > 25) {
            throw XrpcError.invalid("uris must hold 1 to 25 at-uris");
        }
        support.read(PLATFORM, d -> new XrpcError(HttpStatus.SERVICE_UNAVAILABLE, "InternalServerError", "Service Unavailable"),
                d -> new XrpcError(HttpStatus.TOO_MANY_REQUESTS, "RateLimitExceeded", "Rate Limit Exceeded")
                        .with(rateHeaders(limit(), 0, clock.instant().plusSeconds(d.faults().retryAfterSeconds()))));
        Instant now = clock.instant();
        List<Map<String, Object>> views = new java.util.ArrayList<>();
        for (String uri : uris) {
            if (!uri.startsWith("at://")) {
                throw XrpcError.invalid("Invalid at-uri: " + uri);
            }
            support.accepted(PLATFORM, uri).ifPresent(post -> {
                Map<String, Object> view = new LinkedHashMap<>();
                view.put("uri", post.id());
                view.put("author", Map.of("did", post.account()));
                view.put("record", Map.of("$type", "app.bsky.feed.post", "text", post.text(), "createdAt", post.createdAt().toString()));
                for (String count : List.of("replyCount", "repostCount", "likeCount", "quoteCount")) {
                    view.put(count, SimulatedMetrics.count(post, count, now));
                }
                view.put("indexedAt", post.createdAt().toString());
                views.add(view);
            });
        }
        return Map.of("posts", views);
    }

    @ExceptionHandler(XrpcError.class)
    ResponseEntity<Map<String, String>> error(XrpcError e) {
        return ResponseEntity.status(e.status).headers(e.headers).contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("error", e.error, "message", e.getMessage()));
    }

    /** The injected latency, then the bearer check; returns the DID the token is for, or "" for the sandbox token. */
    private String enter(HttpServletRequest request) {
        support.latency(PLATFORM);
        SimulatorSupport.Caller caller = support.caller(PLATFORM, SimulatorSupport.credentials(request, "Bearer"));
        if (caller == null) {
            throw new XrpcError(HttpStatus.UNAUTHORIZED, "AuthenticationRequired", "Authentication Required")
                    .with(challenge());
        }
        return caller.user() == null ? "" : subject(caller.token());
    }

    /** Draws the fault of one procedure; a 503 or 429 is thrown here, before anything is kept; null after a reset. */
    private @Nullable Decision draw(HttpServletRequest request, HttpServletResponse response) throws IOException {
        return support.draw(PLATFORM, request, response, OPENING,
                d -> new XrpcError(HttpStatus.SERVICE_UNAVAILABLE, "InternalServerError", "Service Unavailable"),
                d -> new XrpcError(HttpStatus.TOO_MANY_REQUESTS, "RateLimitExceeded", "Rate Limit Exceeded")
                        .with(rateHeaders(limit(), 0, clock.instant().plusSeconds(d.faults().retryAfterSeconds()))));
    }

    private Window window(String repo) {
        Instant now = clock.instant();
        Window w = windows.get(repo);
        if (w == null || !now.isBefore(w.end)) {
            boolean configured = settings.platforms().containsKey(PLATFORM);
            w = new Window(now.plus(configured ? settings.platform(PLATFORM).quotaWindow() : POINTS_WINDOW));
            windows.put(repo, w);
        }
        return w;
    }

    private int limit() {
        return settings.platforms().containsKey(PLATFORM) ? settings.platform(PLATFORM).quotaLimit() : POINTS_PER_WINDOW;
    }

    private Duration windowLength() {
        return settings.platforms().containsKey(PLATFORM) ? settings.platform(PLATFORM).quotaWindow() : POINTS_WINDOW;
    }

    private HttpHeaders rateHeaders(int limit, int remaining, Instant reset) {
        HttpHeaders headers = new HttpHeaders();
        headers.set("RateLimit-Limit", Integer.toString(limit));
        headers.set("RateLimit-Remaining", Integer.toString(Math.max(0, remaining)));
        headers.set("RateLimit-Reset", Long.toString(reset.getEpochSecond() + (reset.getNano() > 0 ? 1 : 0)));
        headers.set("RateLimit-Policy", limit + ";w=" + windowLength().toSeconds());
        return headers;
    }

    private String tid() {
        long micros = clock.instant().toEpochMilli() * 1000 + seq.incrementAndGet() % 1000;
        long value = (micros << 10) & Long.MAX_VALUE;
        char[] out = new char[13];
        String alphabet = "234567abcdefghijklmnopqrstuvwxyz";
        for (int i = 12; i >= 0; i--) {
            out[i] = alphabet.charAt((int) (value & 31));
            value >>>= 5;
        }
        return new String(out);
    }

    private JsonNode readJson(HttpServletRequest request) throws IOException {
        String type = request.getContentType();
        if (type == null || !MediaType.parseMediaType(type).isCompatibleWith(MediaType.APPLICATION_JSON)) {
            throw XrpcError.invalid("Wrong request encoding (Content-Type): " + type);
        }
        try {
            JsonNode body = json.readTree(request.getInputStream());
            if (body == null || !body.isObject()) {
                throw XrpcError.invalid("Request body must be a JSON object");
            }
            return body;
        } catch (JacksonException e) {
            throw XrpcError.invalid("Request body is not valid JSON");
        }
    }

    // the DID in a session JWT's "sub" claim; the simulator does not check signatures
    private String subject(String token) {
        String[] parts = token.split("\\.");
        if (parts.length != 3) {
            return "";
        }
        try {
            return json.readTree(Base64.getUrlDecoder().decode(parts[1])).path("sub").asString("");
        } catch (RuntimeException e) {
            return "";
        }
    }

    private static @Nullable String firstLink(JsonNode record) {
        var links = record.path("embed").findValuesAsString("$link");
        return links.isEmpty() ? null : links.getFirst();
    }

    private static HttpHeaders challenge() {
        HttpHeaders headers = new HttpHeaders();
        headers.set(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
        return headers;
    }

    private static int graphemes(String text) {
        BreakIterator it = BreakIterator.getCharacterInstance();
        it.setText(text);
        int count = 0;
        while (it.next() != BreakIterator.DONE) {
            count++;
        }
        return count;
    }

}
