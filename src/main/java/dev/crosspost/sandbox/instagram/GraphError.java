package dev.crosspost.sandbox.instagram;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/** A Graph API error, answered as {@code {"error":{"message","type","code","error_subcode",…,"fbtrace_id"}}}. */
final class GraphError extends RuntimeException {

    private final HttpStatus status;
    private final int code;
    private final int subcode;
    private final boolean transientError;
    private final HttpHeaders headers = new HttpHeaders();

    GraphError(HttpStatus status, int code, int subcode, boolean transientError, String message) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.subcode = subcode;
        this.transientError = transientError;
    }

    static GraphError invalidParameter(String message) {
        return new GraphError(HttpStatus.BAD_REQUEST, 100, 0, false, message);
    }

    static GraphError invalidToken() {
        return new GraphError(HttpStatus.BAD_REQUEST, 190, 0, false, "Invalid OAuth access token - Cannot parse access token");
    }

    static GraphError unknownObject(String id) {
        return new GraphError(HttpStatus.BAD_REQUEST, 100, 33, false, "Unsupported get request. Object with ID '" + id
                + "' does not exist, cannot be loaded due to missing permissions, or does not support this operation");
    }

    GraphError withHeaders(HttpHeaders more) {
        headers.addAll(more);
        return this;
    }

    HttpStatus status() {
        return status;
    }

    HttpHeaders headers() {
        return headers;
    }

    Map<String, Object> body() {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("message", getMessage());
        error.put("type", "OAuthException");
        error.put("code", code);
        if (subcode != 0) {
            error.put("error_subcode", subcode);
            error.put("error_user_msg", getMessage());
        }
        error.put("is_transient", transientError);
        error.put("fbtrace_id", "A" + UUID.randomUUID().toString().replace("-", "").substring(0, 20));
        return Map.of("error", error);
    }
}
