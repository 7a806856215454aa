package dev.crosspost.system;

import dev.crosspost.system.web.Problems;

import java.util.List;
import java.util.Map;

/**
 * Root of the errors that modules raise for callers to see. Each carries a stable machine {@code code} and a
 * {@link Kind}; the web edge maps the kind to an HTTP status once, so the domain never imports HTTP types.
 */
public class CrosspostException extends RuntimeException {

    /** What kind of failure this is, for the caller. */
    public enum Kind { INVALID, UNAUTHORIZED, FORBIDDEN, NOT_FOUND, CONFLICT, UNPROCESSABLE, TOO_LARGE, RATE_LIMITED, UNAVAILABLE }

    private final Kind kind;
    private final String code;
    private final Map<String, Object> details;

    public CrosspostException(Kind kind, String code, String message) {
        this(kind, code, message, Map.of());
    }

    public CrosspostException(Kind kind, String code, String message, Map<String, Object> details) {
        super(message);
        this.kind = kind;
        this.code = code;
        this.details = Map.copyOf(details);
    }

    public Kind kind() {
        return kind;
    }

    public String code() {
        return code;
    }

    /** Extra problem fields, e.g. {@code retryAfter}; never secrets or internals. */
    public Map<String, Object> details() {
        return details;
    }

    /** Invalid input, answered as Spring's own validation is: 400 {@code validation_failed} with the errors by field. */
    public static CrosspostException invalid(List<Problems.FieldError> errors) {
        return invalid(Kind.INVALID, errors);
    }

    /** As {@link #invalid(List)}, for a caller whose bad input answers with another status (e.g. 422). */
    public static CrosspostException invalid(Kind kind, List<Problems.FieldError> errors) {
        return new CrosspostException(kind, "validation_failed", Problems.summary(errors), Map.of("errors", errors));
    }

    public static CrosspostException invalid(String field, String message) {
        return invalid(List.of(new Problems.FieldError(field, message)));
    }

    /** A resource that does not exist, or that the caller may not see: both read as 404. */
    public static CrosspostException notFound(String what, Object id) {
        return new CrosspostException(Kind.NOT_FOUND, "not_found", what + " " + id + " not found");
    }
}
