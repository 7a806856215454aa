package dev.crosspost.sandbox;

import dev.crosspost.sandbox.oauth.SandboxOAuth;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * What a dedicated platform simulator (in a sub-package such as {@code sandbox.instagram}) shares with the generic
 * one: the platform's injected faults, connection drops, the token check and the records of accepted posts.
 */
@Component
@SandboxEnabled
public class SimulatorSupport {

    /** The token every simulator accepts besides those its OAuth server issued. */
    public static final String SANDBOX_TOKEN = "sandbox-token";

    private static final Logger log = LoggerFactory.getLogger(SimulatorSupport.class);
    private static final int BUFFER_SIZE = 64 * 1024;

    /** What happens to one request; see {@link SandboxSettings.Faults}. */
    public enum Fault { NONE, ERROR, RATE_LIMIT, RESET, TIMEOUT_AFTER_COMMIT, SLOW_BODY }

    /** The fault drawn for one request and the settings it needs. */
    public record Drawn(Fault fault, int retryAfterSeconds, long hangMs, long slowBodyByteDelayMs) {
    }

    private final FaultInjector faults;
    private final SimulatedPlatforms platforms;
    private final ObjectProvider<SandboxOAuth> oauth;

    SimulatorSupport(FaultInjector faults, SimulatedPlatforms platforms, ObjectProvider<SandboxOAuth> oauth) {
        this.faults = faults;
        this.platforms = platforms;
        this.oauth = oauth;
    }

    /** Waits the platform's injected latency; call first in every handler. */
    public void latency(String platform) {
        pause(faults.faults(platform).latencyMs());
    }

    /** One draw for a request that would change the platform. */
    public Drawn draw(String platform) {
        FaultInjector.Decision d = faults.draw(platform);
        if (d.fault() == FaultInjector.Fault.RATE_LIMIT) {
            platforms.countInjected429(platform);
        }
        return new Drawn(Fault.valueOf(d.fault().name()), d.faults().retryAfterSeconds(), d.faults().hangMs(),
                d.faults().slowBodyByteDelayMs());
    }

    /** The sandbox token, or an unexpired, unrevoked access token the platform's simulated OAuth server issued. */
    public boolean acceptsToken(String platform, @Nullable String token) {
        if (token == null || token.isBlank()) {
            return false;
        }
        if (SANDBOX_TOKEN.equals(token)) {
            return true;
        }
        SandboxOAuth server = oauth.getIfAvailable();
        return server != null && server.acceptsAccessToken(platform, token);
    }

    public Instant now() {
        return platforms.now();
    }

    /** Adds an accepted post to the records ({@link SandboxRecords}). */
    public void record(RecordedPost post) {
        platforms.record(post);
    }

    /** Counts a 429 the platform's own quota caused (not an injected one). */
    public void countQuota429(String platform) {
        platforms.countQuota429(platform);
    }

    /**
     * Sends a committed result as the drawn fault says: held back for a timeout-after-commit, dribbled out for a
     * slow body, else at once. Returns null when it wrote the response itself.
     */
    public @Nullable ResponseEntity<Object> respond(Drawn drawn, HttpStatus status, HttpHeaders headers, byte[] json,
                                                   HttpServletResponse response) {
        switch (drawn.fault()) {
            case TIMEOUT_AFTER_COMMIT -> pause(drawn.hangMs());
            case SLOW_BODY -> {
                writeSlowly(status, headers, json, drawn.slowBodyByteDelayMs(), response);
                return null;
            }
            default -> {
            }
        }
        return ResponseEntity.status(status).headers(headers).contentType(MediaType.APPLICATION_JSON).body(json);
    }

    /** Commits a response that promises 1000 bytes, sends a few, and has the connection dropped. */
    public void drop(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setStatus(HttpStatus.OK.value());
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.setContentLength(1000);
        OutputStream out = response.getOutputStream();
        out.write("{\"id\":\"".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        ConnectionDropFilter.dropAfter(request);
    }

    /** Reads the request body to its end through a fixed buffer and returns its length; bytes are discarded. */
    public static long drain(InputStream in) throws IOException {
        byte[] buffer = new byte[BUFFER_SIZE];
        long size = 0;
        for (int n = in.read(buffer); n != -1; n = in.read(buffer)) {
            size += n;
        }
        return size;
    }

    /**
     * Whether a file's first bytes are those of an MP4/MOV (an ISO media {@code ftyp} box at offset 4): what the
     * simulators take for "a video they can process".
     */
    public static boolean looksLikeVideo(byte[] head) {
        return head.length >= 8 && head[4] == 'f' && head[5] == 't' && head[6] == 'y' && head[7] == 'p';
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
