package dev.crosspost.sandbox;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;

/** A platform error answered as {@code {"error":{"code","message",...}}} with its status and headers. */
final class SandboxException extends RuntimeException {

    private final HttpStatus status;
    private final String code;
    private final HttpHeaders headers = new HttpHeaders();
    private @Nullable RecordedPost existing;

    SandboxException(HttpStatus status, String code, String message) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
    }

    SandboxException withHeaders(HttpHeaders more) {
        headers.addAll(more);
        return this;
    }

    SandboxException withExisting(RecordedPost post) {
        this.existing = post;
        return this;
    }

    HttpStatus status() {
        return status;
    }

    String code() {
        return code;
    }

    HttpHeaders headers() {
        return headers;
    }

    @Nullable RecordedPost existing() {
        return existing;
    }

    static SandboxException invalid(String code, String message) {
        return new SandboxException(HttpStatus.BAD_REQUEST, code, message);
    }

    static SandboxException notFound(String message) {
        return new SandboxException(HttpStatus.NOT_FOUND, "not_found", message);
    }
}
