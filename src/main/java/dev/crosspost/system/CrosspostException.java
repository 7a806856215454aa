package dev.crosspost.system;

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

    /** A resource that does not exist, or that the caller may not see: both read as 404. */
    public static CrosspostException notFound(String what, Object id) {
        return new CrosspostException(Kind.NOT_FOUND, "not_found", what + " " + id + " not found");
    }
}
