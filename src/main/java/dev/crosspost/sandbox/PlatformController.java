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
import dev.crosspost.sandbox.simulator.SimulatorSupport;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
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
import java.security.MessageDigest;
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

    private static final Pattern NAME = Pattern.compile(SandboxSettings.PLATFORM_NAME);
    // what a dropped connection lets through: the start of a created upload or post
    private static final String OPENING = "{\"id\":\"";
    private static final int DEFAULT_LIMIT = 50;
    private static final int MAX_LIMIT = 500;

    private final SimulatedPlatforms platforms;
    private final SimulatorSupport support;
    private final JsonMapper json;

    PlatformController(SimulatedPlatforms platforms, SimulatorSupport support, JsonMapper json) {
        this.platforms = platforms;
        this.support = support;
        this.json = json;
    }

    @PostMapping("/uploads")
    @Nullable ResponseEntity<Object> upload(@PathVariable String platform, HttpServletRequest request,
                                            HttpServletResponse response) throws IOException {
        enter(platform, request);
        requireContentType(request, MediaType.APPLICATION_OCTET_STREAM);
        Decision decision = support.draw(platform);
        switch (decision.fault()) {
            case ERROR -> {
                SimulatorSupport.drain(request.getInputStream());
                throw unavailable();
            }
            case RATE_LIMIT -> {
                SimulatorSupport.drain(request.getInputStream());
                throw injectedRateLimit(decision);
            }
            case RESET -> {
                SimulatorSupport.drop(request, response, OPENING);
                return null;
            }
            default -> {
            }
        }
        MessageDigest sha256 = SimulatorSupport.sha256();
        long size = SimulatorSupport.consume(request.getInputStream(), sha256);
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
        Decision decision = support.draw(platform, request, response, OPENING, d -> unavailable().withHeaders(limits),
                d -> injectedRateLimit(d).withHeaders(limits));
        if (decision == null) {
            return null;
        }
        Accepted accepted = platforms.post(platform, body.toNewPost(), SimulatorSupport.origin(request));
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
        support.latency(platform);
        String token = SimulatorSupport.credentials(request, "Bearer");
        if (token == null || token.isBlank()) {
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

    private @Nullable ResponseEntity<Object> respond(Decision decision, HttpStatus status, HttpHeaders headers, Object body,
                                                     HttpServletResponse response) {
        return SimulatorSupport.respond(decision, status, headers, json.writeValueAsBytes(body), response);
    }

    private static SandboxException injectedRateLimit(Decision decision) {
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

}
