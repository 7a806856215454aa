package dev.crosspost.sandbox.oauth;

import org.springframework.http.HttpStatus;

import java.util.Map;

/** An error answered with a platform's own status and envelope. */
final class OAuthError extends RuntimeException {

    private final HttpStatus status;
    private final Map<String, Object> body;

    OAuthError(HttpStatus status, Map<String, Object> body) {
        super(String.valueOf(body), null, false, false);
        this.status = status;
        this.body = body;
    }

    HttpStatus status() {
        return status;
    }

    Map<String, Object> body() {
        return body;
    }
}
