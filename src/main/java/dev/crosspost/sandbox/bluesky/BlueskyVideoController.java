package dev.crosspost.sandbox.bluesky;

import dev.crosspost.sandbox.FaultInjector.Decision;
import dev.crosspost.sandbox.SandboxEnabled;
import dev.crosspost.sandbox.SandboxSettings;
import dev.crosspost.sandbox.bluesky.BlueskyController.XrpcError;
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
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The Bluesky video service ({@code video.bsky.app}) under {@code /sandbox/bluesky/xrpc}: {@code uploadVideo} with a
 * service token from the simulated PDS, and {@code getJobStatus}, whose job moves from created through encoding to
 * completed (with its blob) over the configured processing time, fails a file that is not an MP4, and answers a video
 * it already processed with {@code already_exists} and the earlier blob.
 */
@RestController
@SandboxEnabled
@RequestMapping("/sandbox/bluesky/xrpc")
class BlueskyVideoController {

    private static final long VIDEO_MAX_BYTES = 300_000_000;

    private final BlobStore blobs;
    private final SimulatorSupport support;
    private final SandboxSettings settings;
    private final JsonMapper json;
    private final Clock clock;
    private final Map<String, Job> jobs = new HashMap<>();
    private final Map<String, BlobStore.Blob> processed = new HashMap<>();

    BlueskyVideoController(BlobStore blobs, SimulatorSupport support, SandboxSettings settings, JsonMapper json, Clock clock) {
        this.blobs = blobs;
        this.support = support;
        this.settings = settings;
        this.json = json;
        this.clock = clock;
    }

    /** A processing job: its blob once done, or why it failed. */
    private record Job(String id, String did, Instant createdAt, BlobStore.@Nullable Blob blob, boolean valid, boolean repeat) {
    }

    @PostMapping("/app.bsky.video.uploadVideo")
    @Nullable ResponseEntity<Object> uploadVideo(@RequestParam(required = false) @Nullable String did,
                                                 @RequestParam(required = false) @Nullable String name,
                                                 HttpServletRequest request, HttpServletResponse response) throws IOException {
        support.latency(BlueskyController.PLATFORM);
        String token = SimulatorSupport.credentials(request, "Bearer");
        String tokenDid = blobs.serviceTokenDid(token == null ? "" : token, clock.instant());
        if (tokenDid == null) {
            throw new XrpcError(HttpStatus.UNAUTHORIZED, "AuthenticationRequired", "a service token from the account's PDS is required");
        }
        if (did == null || did.isBlank() || !tokenDid.isEmpty() && !tokenDid.equals(did)) {
            throw XrpcError.invalid("did must name the account the service token is for");
        }
        String type = request.getContentType();
        if (type == null || !MediaType.parseMediaType(type).equalsTypeAndSubtype(MediaType.parseMediaType("video/mp4"))) {
            throw XrpcError.invalid("Content-Type must be video/mp4");
        }
        Decision decision = support.draw(BlueskyController.PLATFORM, request, response, BlueskyController.OPENING,
                d -> new XrpcError(HttpStatus.SERVICE_UNAVAILABLE, "InternalServerError", "Service Unavailable"),
                d -> new XrpcError(HttpStatus.TOO_MANY_REQUESTS, "RateLimitExceeded", "Rate Limit Exceeded").with(retryAfter(d)));
        if (decision == null) {
            return null;
        }
        MessageDigest sha256 = SimulatorSupport.sha256();
        long size;
        boolean valid;
        // counted and hashed through a fixed buffer, never kept; only the first bytes are looked at
        try (InputStream in = request.getInputStream()) {
            byte[] head = in.readNBytes(12);
            sha256.update(head);
            valid = SimulatorSupport.looksLikeVideo(head);
            size = head.length + SimulatorSupport.consume(in, sha256);
        }
        if (size == 0 || size > VIDEO_MAX_BYTES) {
            throw XrpcError.invalid("the video must hold 1 to " + VIDEO_MAX_BYTES + " bytes");
        }
        byte[] digest = sha256.digest();
        Job job;
        synchronized (this) {
            BlobStore.Blob earlier = processed.get(HexFormat.of().formatHex(digest));
            BlobStore.Blob blob = earlier != null ? earlier : valid ? blobs.store(digest, "video/mp4", size) : null;
            job = new Job(UUID.randomUUID().toString(), did, clock.instant(), blob, valid, earlier != null);
            jobs.put(job.id(), job);
            if (blob != null) {
                processed.putIfAbsent(HexFormat.of().formatHex(digest), blob);
            }
        }
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("jobId", job.id());
        status.put("did", did);
        status.put("state", "JOB_STATE_CREATED");
        return SimulatorSupport.respond(decision, HttpStatus.OK, new HttpHeaders(), json.writeValueAsBytes(Map.of("jobStatus", status)), response);
    }

    @GetMapping("/app.bsky.video.getJobStatus")
    Map<String, Object> getJobStatus(@RequestParam String jobId) {
        Job job;
        synchronized (this) {
            job = jobs.get(jobId);
        }
        if (job == null) {
            throw XrpcError.invalid("no job " + jobId);
        }
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("jobId", job.id());
        status.put("did", job.did());
        Duration processing = settings.platform(BlueskyController.PLATFORM).processingTime();
        Duration elapsed = Duration.between(job.createdAt(), clock.instant());
        if (job.repeat() && job.blob() != null) {
            status.put("state", "JOB_STATE_COMPLETED");
            status.put("error", "already_exists");
            status.put("message", "Video already processed");
            status.put("blob", job.blob().view());
        } else if (elapsed.compareTo(processing) < 0) {
            status.put("state", "JOB_STATE_ENCODING");
            status.put("progress", (int) (elapsed.toMillis() * 100 / Math.max(1, processing.toMillis())));
        } else if (!job.valid() || job.blob() == null) {
            status.put("state", "JOB_STATE_FAILED");
            status.put("failureCode", "validation_failure");
            status.put("error", "validation_failure");
            status.put("message", "Video is not a valid MP4 file");
        } else {
            status.put("state", "JOB_STATE_COMPLETED");
            status.put("progress", 100);
            status.put("blob", job.blob().view());
        }
        return Map.of("jobStatus", status);
    }

    @ExceptionHandler(XrpcError.class)
    ResponseEntity<Map<String, String>> error(XrpcError e) {
        return ResponseEntity.status(e.status).headers(e.headers).contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("error", e.error, "message", e.getMessage()));
    }

    private HttpHeaders retryAfter(Decision decision) {
        HttpHeaders headers = new HttpHeaders();
        headers.set(HttpHeaders.RETRY_AFTER, Integer.toString(decision.faults().retryAfterSeconds()));
        headers.set("RateLimit-Reset", Long.toString(clock.instant().plusSeconds(decision.faults().retryAfterSeconds()).getEpochSecond()));
        return headers;
    }
}
