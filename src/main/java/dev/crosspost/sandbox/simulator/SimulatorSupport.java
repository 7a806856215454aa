package dev.crosspost.sandbox.simulator;

import dev.crosspost.sandbox.ConnectionDropFilter;
import dev.crosspost.sandbox.FaultInjector;
import dev.crosspost.sandbox.FaultInjector.Decision;
import dev.crosspost.sandbox.RecordedPost;
import dev.crosspost.sandbox.SandboxEnabled;
import dev.crosspost.sandbox.SimulatedPlatforms;
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
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.function.Function;

/**
 * What every platform simulator shares: the platform's injected latency and faults, the bearer check against its
 * simulated authorization server, the records of accepted posts, and answering as the drawn fault says (held back,
 * dribbled out, or cut off mid-response).
 */
@Component
@SandboxEnabled
public class SimulatorSupport {

    /** What the engine sends for accounts that were never connected; every simulator accepts it. */
    public static final String SANDBOX_TOKEN = "sandbox-token";

    private static final Logger log = LoggerFactory.getLogger(SimulatorSupport.class);
    private static final int BUFFER_SIZE = 64 * 1024;

    private final FaultInjector faults;
    private final SimulatedPlatforms platforms;
    private final ObjectProvider<SandboxOAuth> oauth;
    private final java.time.Clock clock;

    SimulatorSupport(FaultInjector faults, SimulatedPlatforms platforms, ObjectProvider<SandboxOAuth> oauth, java.time.Clock clock) {
        this.faults = faults;
        this.platforms = platforms;
        this.oauth = oauth;
        this.clock = clock;
    }

    /** Now, per the application clock (the one tests move). */
    public java.time.Instant now() {
        return clock.instant();
    }

    /**
     * Who called with an accepted token.
     *
     * @param user the user the authorization server issued the token to; null for the sandbox token
     */
    public record Caller(String token, @Nullable String user) {
        @Override
        public String toString() {
            return "Caller[" + user + ", token hidden]";
        }
    }

    /** Waits the platform's injected latency; call first in every handler. */
    public void latency(String platform) {
        pause(faults.faults(platform).latencyMs());
    }

    /** One draw for a request that would change the platform; a drawn rate limit is counted as an injected 429. */
    public Decision draw(String platform) {
        Decision decision = faults.draw(platform);
        if (decision.fault() == FaultInjector.Fault.RATE_LIMIT) {
            platforms.countInjected429(platform);
        }
        return decision;
    }

    /**
     * One draw for a request that would change the platform, answered here when it hits: an error or rate limit is
     * thrown in the platform's own shape, a reset cuts the answer off after {@code opening} and returns null.
     */
    public @Nullable Decision draw(String platform, HttpServletRequest request, HttpServletResponse response, String opening,
                                   Function<Decision, RuntimeException> error,
                                   Function<Decision, RuntimeException> rateLimited) throws IOException {
        Decision decision = draw(platform);
        switch (decision.fault()) {
            case ERROR -> throw error.apply(decision);
            case RATE_LIMIT -> throw rateLimited.apply(decision);
            case RESET -> {
                drop(request, response, opening);
                return null;
            }
            default -> {
                return decision;
            }
        }
    }

    /**
     * One draw for a read (a metrics lookup), from its own sequence so that reads never shift the draws of effects;
     * only an error or a rate limit hits a read, and an injected 429 here is not counted with the effects'.
     */
    public Decision drawRead(String platform) {
        return faults.drawRead(platform);
    }

    /** One read draw, answered here when it hits: an injected error or rate limit is thrown in the platform's own shape. */
    public void read(String platform, Function<Decision, RuntimeException> error, Function<Decision, RuntimeException> rateLimited) {
        Decision decision = drawRead(platform);
        switch (decision.fault()) {
            case ERROR -> throw error.apply(decision);
            case RATE_LIMIT -> throw rateLimited.apply(decision);
            default -> {
            }
        }
    }

    /** The post the platform accepted with this id (its platform post id), if any. */
    public java.util.Optional<RecordedPost> accepted(String platform, String id) {
        return platforms.find(platform, id);
    }

    /**
     * The caller if the platform accepts the token: the sandbox token, or a live (unexpired, unrevoked) access token
     * the platform's simulated authorization server issued; else null.
     */
    public @Nullable Caller caller(String platform, @Nullable String token) {
        if (token == null || token.isBlank()) {
            return null;
        }
        if (token.equals(SANDBOX_TOKEN)) {
            return new Caller(token, null);
        }
        SandboxOAuth server = oauth.getIfAvailable();
        return server == null ? null : server.userOf(platform, token).map(user -> new Caller(token, user)).orElse(null);
    }

    public boolean accepts(String platform, @Nullable String token) {
        return caller(platform, token) != null;
    }

    /** The credentials of the request's {@code Authorization: <scheme> <credentials>} header (scheme in any case), or null. */
    public static @Nullable String credentials(HttpServletRequest request, String scheme) {
        String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
        int length = scheme.length() + 1;
        return authorization != null && authorization.regionMatches(true, 0, scheme + " ", 0, length)
                ? authorization.substring(length).trim() : null;
    }

    /** Adds an accepted post to the records ({@link dev.crosspost.sandbox.SandboxRecords}). */
    public void record(RecordedPost post) {
        platforms.record(post);
    }

    /** Counts a 429 the platform's own quota caused (not an injected one). */
    public void countQuota429(String platform) {
        platforms.countQuota429(platform);
    }

    /**
     * Sends a committed JSON result as the drawn fault says: held back for a timeout after commit, dribbled out one
     * byte at a time for a slow body (then null: already written), else at once.
     */
    public static @Nullable ResponseEntity<Object> respond(Decision decision, HttpStatus status, HttpHeaders headers, byte[] json,
                                                           HttpServletResponse response) {
        hold(decision);
        if (decision.fault() == FaultInjector.Fault.SLOW_BODY) {
            writeSlowly(status, headers, json, decision.faults().slowBodyByteDelayMs(), response);
            return null;
        }
        return ResponseEntity.status(status).headers(headers).contentType(MediaType.APPLICATION_JSON).body(json);
    }

    /** Holds the answer back for a timeout after commit: the effect is kept, the client gives up waiting. */
    public static void hold(Decision decision) {
        if (decision.fault() == FaultInjector.Fault.TIMEOUT_AFTER_COMMIT) {
            pause(decision.faults().hangMs());
        }
    }

    /**
     * Commits a response that promises 1000 bytes, sends the {@code opening} of the platform's JSON answer, and has
     * the connection dropped.
     */
    public static void drop(HttpServletRequest request, HttpServletResponse response, String opening) throws IOException {
        response.setStatus(HttpStatus.OK.value());
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.setContentLength(1000);
        OutputStream out = response.getOutputStream();
        out.write(opening.getBytes(StandardCharsets.US_ASCII));
        out.flush();
        ConnectionDropFilter.dropAfter(request);
    }

    /**
     * Reads a body to its end through a fixed buffer and returns its length: uploads can be far larger than the heap,
     * and a refused upload read to its end still gets its status line instead of a reset.
     */
    public static long drain(InputStream in) throws IOException {
        return consume(in, null);
    }

    /** Like {@link #drain}, feeding the digest if given. */
    public static long consume(InputStream in, @Nullable MessageDigest digest) throws IOException {
        byte[] buffer = new byte[BUFFER_SIZE];
        long size = 0;
        for (int n = in.read(buffer); n != -1; n = in.read(buffer)) {
            if (digest != null) {
                digest.update(buffer, 0, n);
            }
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

    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** Scheme, host and port the request came to, for URLs that point back at the simulator. */
    public static String origin(HttpServletRequest request) {
        String host = request.getServerName();
        return request.getScheme() + "://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + request.getServerPort();
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
