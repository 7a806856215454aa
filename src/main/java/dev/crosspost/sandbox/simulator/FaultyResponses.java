package dev.crosspost.sandbox.simulator;

import dev.crosspost.sandbox.ConnectionDropFilter;
import dev.crosspost.sandbox.FaultInjector.Decision;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/** How a simulator answers once a fault was drawn: held back, dribbled out, or cut off mid-response. */
public final class FaultyResponses {

    private static final Logger log = LoggerFactory.getLogger(FaultyResponses.class);
    private static final int BUFFER_SIZE = 64 * 1024;

    private FaultyResponses() {
    }

    /**
     * The committed result as the drawn fault wants it: after {@code hangMs} (timeout after commit), one byte at a
     * time (slow body, then null: already written), or as is.
     */
    public static @Nullable ResponseEntity<Object> respond(Decision decision, HttpStatus status, HttpHeaders headers, byte[] body,
                                                           HttpServletResponse response) {
        switch (decision.fault()) {
            case TIMEOUT_AFTER_COMMIT -> pause(decision.faults().hangMs());
            case SLOW_BODY -> {
                writeSlowly(status, headers, body, decision.faults().slowBodyByteDelayMs(), response);
                return null;
            }
            default -> {
            }
        }
        return ResponseEntity.status(status).headers(headers).contentType(MediaType.APPLICATION_JSON).body(body);
    }

    /** Commits a response that promises 1000 bytes, sends a few, and has the connection dropped. */
    public static void drop(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setStatus(HttpStatus.OK.value());
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.setContentLength(1000);
        OutputStream out = response.getOutputStream();
        out.write("{\"data\":".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        ConnectionDropFilter.dropAfter(request);
    }

    /** Reads a body through a fixed buffer, feeding the digest if given: uploads can be far larger than the heap. */
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

    /** Waits, e.g. the injected latency. */
    public static void pause(long millis) {
        if (millis <= 0) {
            return;
        }
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void writeSlowly(HttpStatus status, HttpHeaders headers, byte[] bytes, long byteDelayMs, HttpServletResponse response) {
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
}
