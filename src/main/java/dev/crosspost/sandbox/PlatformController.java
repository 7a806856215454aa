package dev.crosspost.sandbox;

import dev.crosspost.sandbox.FaultInjector.Decision;
import dev.crosspost.sandbox.PlatformJson.ErrorBody;
import dev.crosspost.sandbox.PlatformJson.PostBody;
import dev.crosspost.sandbox.PlatformJson.PostCreated;
import dev.crosspost.sandbox.PlatformJson.PostList;
import dev.crosspost.sandbox.PlatformJson.PostView;
import dev.crosspost.sandbox.PlatformJson.UploadCreated;
import dev.crosspost.sandbox.PlatformJson.UploadStatus;
import dev.crosspost.sandbox.SimulatedPlatforms.Accepted;
import dev.crosspost.sandbox.SimulatedPlatforms.Lookup;
import dev.crosspost.sandbox.SimulatedPlatforms.Upload;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * The HTTP protocol of a simulated platform: uploads, posts, the recent-posts lookup and post pages, with bearer
 * auth, quota headers and injected faults. Errors use the envelope {@code {"error":{"code","message"}}}.
 */
@RestController
@SandboxEnabled
@RequestMapping("/sandbox/platforms/{platform}")
class PlatformController {

    private static final Logger log = LoggerFactory.getLogger(PlatformController.class);
    private static final Pattern NAME = Pattern.compile(SandboxSettings.PLATFORM_NAME);
    private static final int BUFFER_SIZE = 64 * 1024;
    private static final int DEFAULT_LIMIT = 50;
    private static final int MAX_LIMIT = 500;

    private final SimulatedPlatforms platforms;
    private final FaultInjector faults;
    private final JsonMapper json;

    PlatformController(SimulatedPlatforms platforms, FaultInjector faults, JsonMapper json) {
        this.platforms = platforms;
        this.faults = faults;
        this.json = json;
    }

    @PostMapping("/uploads")
    @Nullable ResponseEntity<Object> upload(@PathVariable String platform, HttpServletRequest request,
                                            HttpServletResponse response) throws IOException {
        enter(platform, request);
        requireContentType(request, MediaType.APPLICATION_OCTET_STREAM);
        Decision decision = faults.draw(platform);
        switch (decision.fault()) {
            case ERROR -> {
                drain(request);
                throw unavailable();
            }
            case RATE_LIMIT -> {
                drain(request);
                throw injectedRateLimit(platform, decision);
            }
            case RESET -> {
                drop(request, response);
                return null;
            }
            default -> {
            }
        }
        MessageDigest sha256 = sha256();
        long size = 0;
        // streamed through a fixed buffer: uploads can be far larger than the heap
        try (InputStream in = new DigestInputStream(request.getInputStream(), sha256)) {
            byte[] buffer = new byte[BUFFER_SIZE];
            for (int n = in.read(buffer); n != -1; n = in.read(buffer)) {
                size += n;
            }
        }
        if (size == 0) {
            throw SandboxException.invalid("empty_upload", "the upload body is empty");
        }
        Upload upload = platforms.storeUpload(platform, size, HexFormat.of().formatHex(sha256.digest()));
        return respond(decision, HttpStatus.CREATED, new HttpHeaders(), new UploadCreated(upload.id(), upload.size(), upload.sha256()), response);
    }

    @GetMapping("/uploads/{id}")
    UploadStatus uploadStatus(@PathVariable String platform, @PathVariable String id, HttpServletRequest request) {
        enter(platform, request);
        Upload upload = platforms.upload(platform, id).orElseThrow(() -> SandboxException.notFound("no upload " + id + " on " + platform));
        Instant now = platforms.now();
        return new UploadStatus(upload.id(), upload.ready(now) ? "ready" : "processing", upload.progress(now));
    }

    @PostMapping("/posts")
    @Nullable ResponseEntity<Object> post(@PathVariable String platform, HttpServletRequest request,
                                          HttpServletResponse response) throws IOException {
        enter(platform, request);
        requireContentType(request, MediaType.APPLICATION_JSON);
        PostBody body = read(request);
        HttpHeaders limits = platforms.rateLimit(platform, body.account()).headers();
        Decision decision = faults.draw(platform);
        switch (decision.fault()) {
            case ERROR -> throw unavailable().withHeaders(limits);
            case RATE_LIMIT -> throw injectedRateLimit(platform, decision).withHeaders(limits);
            case RESET -> {
                drop(request, response);
                return null;
            }
            default -> {
            }
        }
        Accepted accepted = platforms.post(platform, body.toNewPost(), baseUrl(request));
        return respond(decision, HttpStatus.CREATED, accepted.rateLimit().headers(), PostCreated.of(accepted.post()), response);
    }

    @GetMapping("/posts")
    PostList recent(@PathVariable String platform, HttpServletRequest request,
                    @RequestParam(required = false) @Nullable String account,
                    @RequestParam(name = "client_ref", required = false) @Nullable String clientRef,
                    @RequestParam(required = false) @Nullable String since,
                    @RequestParam(required = false) @Nullable String limit) {
        enter(platform, request);
        var lookup = new Lookup(blankToNull(account), blankToNull(clientRef), parseSince(since), parseLimit(limit));
        return new PostList(platforms.lookup(platform, lookup).stream().map(PostView::of).toList());
    }

    @GetMapping("/p/{id}")
    PostView page(@PathVariable String platform, @PathVariable String id, HttpServletRequest request) {
        enter(platform, request);
        return platforms.find(platform, id).map(PostView::of)
                .orElseThrow(() -> SandboxException.notFound("no post " + id + " on " + platform));
    }

    @ExceptionHandler(SandboxException.class)
    ResponseEntity<ErrorBody> error(SandboxException e) {
        return ResponseEntity.status(e.status()).headers(e.headers()).contentType(MediaType.APPLICATION_JSON).body(ErrorBody.of(e));
    }

    /** Checks the platform name, waits the injected latency, then checks the bearer token. */
    private void enter(String platform, HttpServletRequest request) {
        if (!NAME.matcher(platform).matches()) {
            throw SandboxException.notFound("no platform named like that; names match " + SandboxSettings.PLATFORM_NAME);
        }
        pause(faults.faults(platform).latencyMs());
        String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
        boolean bearer = authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                && !authorization.substring(7).isBlank();
        if (!bearer) {
            HttpHeaders challenge = new HttpHeaders();
            challenge.set(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
            throw new SandboxException(HttpStatus.UNAUTHORIZED, "unauthorized", "send Authorization: Bearer <token>").withHeaders(challenge);
        }
    }

    private static void requireContentType(HttpServletRequest request, MediaType expected) {
        String given = request.getContentType();
        boolean ok;
        try {
            ok = given != null && MediaType.parseMediaType(given).equalsTypeAndSubtype(expected);
        } catch (InvalidMediaTypeException e) {
            ok = false;
        }
        if (!ok) {
            throw new SandboxException(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type",
                    "send Content-Type: " + expected);
        }
    }

    private PostBody read(HttpServletRequest request) throws IOException {
        try {
            PostBody body = json.readValue(request.getInputStream(), PostBody.class);
            if (body == null) {
                throw SandboxException.invalid("invalid_request", "the body must be a JSON object");
            }
            return body;
        } catch (JacksonException e) {
            throw SandboxException.invalid("invalid_request", "the body is not valid JSON for a post");
        }
    }

    /** Sends the committed result, held back or dribbled out when the drawn fault says so. */
    private @Nullable ResponseEntity<Object> respond(Decision decision, HttpStatus status, HttpHeaders headers, Object body,
                                                     HttpServletResponse response) throws IOException {
        switch (decision.fault()) {
            case TIMEOUT_AFTER_COMMIT -> pause(decision.faults().hangMs());
            case SLOW_BODY -> {
                writeSlowly(status, headers, json.writeValueAsBytes(body), decision.faults().slowBodyByteDelayMs(), response);
                return null;
            }
            default -> {
            }
        }
        return ResponseEntity.status(status).headers(headers).contentType(MediaType.APPLICATION_JSON).body(body);
    }

    private static void writeSlowly(HttpStatus status, HttpHeaders headers, byte[] bytes, long byteDelayMs,
                                    HttpServletResponse response) {
        response.setStatus(status.value());
        headers.forEach((name, values) -> values.forEach(value -> response.addHeader(name, value)));
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.setContentLength(bytes.length);
        try {
            OutputStream out = response.getOutputStream();
            for (int i = 0; i < bytes.length; i++) {
                out.write(bytes[i]);
                out.flush();
                if (i < bytes.length - 1) {
                    pause(byteDelayMs);
                }
            }
        } catch (IOException e) {
            log.debug("Client left during a slow body: {}", e.toString());
        }
    }

    /** Commits a response that promises 1000 bytes, sends a few, and has the connection dropped. */
    private static void drop(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setStatus(HttpStatus.OK.value());
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.setContentLength(1000);
        OutputStream out = response.getOutputStream();
        out.write("{\"id\":\"".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        ConnectionDropFilter.dropAfter(request);
    }

    // so that a refused upload still gets its status line instead of a reset while the client is sending
    private static void drain(HttpServletRequest request) throws IOException {
        InputStream in = request.getInputStream();
        byte[] buffer = new byte[BUFFER_SIZE];
        while (in.read(buffer) != -1) {
            // discard
        }
    }

    private SandboxException injectedRateLimit(String platform, Decision decision) {
        platforms.countInjected429(platform);
        HttpHeaders headers = new HttpHeaders();
        headers.set(HttpHeaders.RETRY_AFTER, Integer.toString(decision.faults().retryAfterSeconds()));
        return new SandboxException(HttpStatus.TOO_MANY_REQUESTS, "rate_limited", "too many requests (injected)")
                .withHeaders(headers);
    }

    private static SandboxException unavailable() {
        return new SandboxException(HttpStatus.SERVICE_UNAVAILABLE, "unavailable", "the platform is unavailable (injected)");
    }

    private static @Nullable Instant parseSince(@Nullable String since) {
        if (since == null || since.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(since);
        } catch (DateTimeParseException e) {
            throw SandboxException.invalid("invalid_request", "since must be an ISO-8601 instant such as 2025-01-31T12:00:00Z");
        }
    }

    private static int parseLimit(@Nullable String limit) {
        if (limit == null || limit.isBlank()) {
            return DEFAULT_LIMIT;
        }
        try {
            int n = Integer.parseInt(limit.trim());
            if (n >= 1 && n <= MAX_LIMIT) {
                return n;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw SandboxException.invalid("invalid_request", "limit must be a whole number from 1 to " + MAX_LIMIT);
    }

    private static @Nullable String blankToNull(@Nullable String value) {
        return value == null || value.isBlank() ? null : value;
    }

    private static String baseUrl(HttpServletRequest request) {
        String host = request.getServerName();
        if (host.contains(":")) {
            host = "[" + host + "]";
        }
        return request.getScheme() + "://" + host + ":" + request.getServerPort();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    private static void pause(long millis) {
        if (millis <= 0) {
            return;
        }
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
