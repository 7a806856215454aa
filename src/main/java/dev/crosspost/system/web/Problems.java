package dev.crosspost.system.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.URI;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Builds RFC 9457 problem documents with the fields every Crosspost error carries: a stable machine
 * {@code code}, the {@code requestId}, and for validation the {@code errors} list.
 */
public final class Problems {

    public static final MediaType PROBLEM_JSON = MediaType.APPLICATION_PROBLEM_JSON;
    private static final String TYPE_BASE = "https://crosspost.dev/problems/";

    private Problems() {
    }

    /** A field-level validation error. */
    public record FieldError(String field, String message) {
    }

    public static ProblemDetail of(HttpStatusCode status, String code, @Nullable String detail, @Nullable HttpServletRequest request) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        return enrich(problem, code, request);
    }

    public static ResponseEntity<ProblemDetail> response(HttpStatusCode status, String code, @Nullable String detail,
                                                         @Nullable HttpServletRequest request) {
        return ResponseEntity.status(status).contentType(PROBLEM_JSON).body(of(status, code, detail, request));
    }

    /** Writes a problem straight to the response, for filters that answer before any controller advice could. */
    public static void write(HttpServletRequest request, HttpServletResponse response, JsonMapper json, HttpStatusCode status,
                             String code, String detail) throws IOException {
        if (response.isCommitted()) {
            return;
        }
        response.setStatus(status.value());
        response.setContentType(PROBLEM_JSON.toString());
        response.getOutputStream().write(json.writeValueAsBytes(asMap(of(status, code, detail, request))));
    }

    /** Bean validation's problem; its errors come in no set order, so they are listed by field. */
    public static ProblemDetail validation(List<FieldError> unordered, @Nullable HttpServletRequest request) {
        List<FieldError> errors = unordered.stream().sorted(Comparator.comparing(FieldError::field)).toList();
        ProblemDetail problem = of(HttpStatus.BAD_REQUEST, "validation_failed", summary(errors), request);
        problem.setProperty("errors", errors);
        return problem;
    }

    /** The detail line of a validation problem: the one error, or how many there are. */
    public static String summary(List<FieldError> errors) {
        return errors.size() == 1 ? errors.getFirst().field() + ": " + errors.getFirst().message() : errors.size() + " fields are invalid";
    }

    /** Adds code, type, title and requestId to a problem built elsewhere (e.g. by Spring MVC). */
    public static ProblemDetail enrich(ProblemDetail problem, String code, @Nullable HttpServletRequest request) {
        problem.setType(URI.create(TYPE_BASE + code));
        if (code.equals("validation_failed")) {
            // one title for every validation problem, bean validation's or a domain check's
            problem.setTitle("Validation failed");
        } else if (problem.getTitle() == null) {
            HttpStatus status = HttpStatus.resolve(problem.getStatus());
            problem.setTitle(status != null ? status.getReasonPhrase() : "Error");
        }
        problem.setProperty("code", code);
        String requestId = RequestIds.current(request);
        if (requestId != null) {
            problem.setProperty("requestId", requestId);
        }
        return problem;
    }

    /** The stable code for a status when nothing more specific is known. */
    public static String codeFor(int status) {
        return switch (status) {
            case 400 -> "bad_request";
            case 401 -> "unauthorized";
            case 403 -> "forbidden";
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            case 406 -> "not_acceptable";
            case 409 -> "conflict";
            case 413 -> "payload_too_large";
            case 415 -> "unsupported_media_type";
            case 422 -> "unprocessable";
            case 429 -> "rate_limited";
            case 503 -> "unavailable";
            default -> status >= 500 ? "internal_error" : "error";
        };
    }

    private static Map<String, Object> asMap(ProblemDetail p) {
        var map = new java.util.LinkedHashMap<String, Object>();
        map.put("type", p.getType().toString());
        map.put("title", p.getTitle());
        map.put("status", p.getStatus());
        if (p.getDetail() != null) {
            map.put("detail", p.getDetail());
        }
        if (p.getInstance() != null) {
            map.put("instance", p.getInstance().toString());
        }
        if (p.getProperties() != null) {
            map.putAll(p.getProperties());
        }
        return map;
    }
}
