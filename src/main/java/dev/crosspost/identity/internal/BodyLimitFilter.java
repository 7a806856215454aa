package dev.crosspost.identity.internal;

import dev.crosspost.system.web.Problems;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;

/**
 * Refuses API bodies larger than {@code crosspost.identity.max-body} before anything reads them (413
 * problem+json). Multipart uploads have their own limits ({@code spring.servlet.multipart.*}), and media uploads
 * under {@code /api/v1/assets} stream to disk while the media module counts them against its own limits.
 */
final class BodyLimitFilter extends OncePerRequestFilter {

    private final long maxBytes;
    private final JsonMapper json;

    BodyLimitFilter(long maxBytes, JsonMapper json) {
        this.maxBytes = maxBytes;
        this.json = json;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String type = request.getContentType();
        String path = request.getRequestURI();
        return !path.startsWith("/api/") || path.startsWith("/api/v1/assets") || (type != null && type.startsWith("multipart/"));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (request.getContentLengthLong() > maxBytes) {
            Problems.write(request, response, json, HttpStatus.CONTENT_TOO_LARGE, "payload_too_large",
                    "The request body is larger than " + maxBytes + " bytes.");
            return;
        }
        chain.doFilter(request, response);
    }
}
