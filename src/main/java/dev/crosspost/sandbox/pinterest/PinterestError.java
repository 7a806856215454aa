package dev.crosspost.sandbox.pinterest;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;

import java.util.Map;

/** A Pinterest API error, answered as {@code {"code": <int>, "message": "<text>"}}. */
final class PinterestError extends RuntimeException {

    private final HttpStatus status;
    private final int code;
    private final HttpHeaders headers = new HttpHeaders();

    PinterestError(HttpStatus status, int code, String message) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
    }

    static PinterestError invalid(String message) {
        return new PinterestError(HttpStatus.BAD_REQUEST, 1, message);
    }

    static PinterestError unauthorized() {
        return new PinterestError(HttpStatus.UNAUTHORIZED, 2, "Authentication failed.");
    }

    static PinterestError rateLimited(long retryAfterSeconds) {
        PinterestError e = new PinterestError(HttpStatus.TOO_MANY_REQUESTS, 8, "You have exceeded your rate limit. Try again later.");
        e.headers.set(HttpHeaders.RETRY_AFTER, Long.toString(retryAfterSeconds));
        return e;
    }

    HttpStatus status() {
        return status;
    }

    HttpHeaders headers() {
        return headers;
    }

    Map<String, Object> body() {
        return Map.of("code", code, "message", getMessage() == null ? "" : getMessage());
    }
}
