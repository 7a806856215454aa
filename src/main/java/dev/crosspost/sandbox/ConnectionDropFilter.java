package dev.crosspost.sandbox;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.catalina.connector.ClientAbortException;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;

/**
 * Drops the connection of a platform request marked by {@link #dropAfter}: an exception that escapes the servlet
 * after the response was committed makes Tomcat close the socket at once, so the client sees a truncated
 * response. Thrown here, outside Spring MVC, so that no exception handler writes an error body first.
 */
@Component
@SandboxEnabled
class ConnectionDropFilter extends OncePerRequestFilter {

    private static final String DROP = ConnectionDropFilter.class.getName() + ".drop";

    /** Marks the request: once the handler returns, its connection is dropped. */
    static void dropAfter(HttpServletRequest request) {
        request.setAttribute(DROP, Boolean.TRUE);
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        // every simulator lives under /sandbox; only marked requests are dropped
        return !request.getRequestURI().startsWith("/sandbox/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        chain.doFilter(request, response);
        if (request.getAttribute(DROP) != null) {
            // Tomcat logs a ClientAbortException at debug only; any IOException would drop the connection as well
            throw new ClientAbortException("sandbox: injected connection reset");
        }
    }
}
