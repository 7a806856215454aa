package dev.crosspost.system.web;

import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.MDC;
import org.jspecify.annotations.Nullable;

/** Where the current request id lives: header, request attribute and log context. */
public final class RequestIds {

    public static final String HEADER = "X-Request-Id";
    public static final String ATTRIBUTE = RequestIds.class.getName();
    public static final String MDC_KEY = "requestId";

    private RequestIds() {
    }

    /** The id of the request, or of the work it started (MDC), or null outside both. */
    public static @Nullable String current(@Nullable HttpServletRequest request) {
        if (request != null && request.getAttribute(ATTRIBUTE) instanceof String id) {
            return id;
        }
        return MDC.get(MDC_KEY);
    }
}
