package dev.crosspost.identity.internal;

import dev.crosspost.system.web.Problems;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;

/**
 * Applies the route class's limit to the signed-in user (else the client IP) and reports it on every limited
 * response: {@code X-RateLimit-Limit}, {@code -Remaining}, {@code -Reset} (seconds until the window refills).
 * Over the limit: 429 problem+json with {@code Retry-After}.
 */
final class RateLimitFilter extends OncePerRequestFilter {

    private final RateLimiter limiter;
    private final JsonMapper json;

    RateLimitFilter(RateLimiter limiter, JsonMapper json) {
        this.limiter = limiter;
        this.json = json;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        // the sign-in page itself is not an attempt; posting it is
        return "GET".equals(request.getMethod()) && "/login".equals(request.getRequestURI());
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        RateLimiter.RouteClass routeClass = limiter.classify(request.getMethod(), request.getRequestURI());
        if (routeClass == null) {
            chain.doFilter(request, response);
            return;
        }
        String caller = SecurityContextHolder.getContext().getAuthentication() instanceof CallerAuthentication auth
                ? "u:" + auth.caller().userId() : "ip:" + request.getRemoteAddr();
        RateLimiter.Decision decision = limiter.consume(routeClass, caller);
        response.setHeader("X-RateLimit-Limit", Long.toString(decision.limit()));
        response.setHeader("X-RateLimit-Remaining", Long.toString(decision.remaining()));
        response.setHeader("X-RateLimit-Reset", Long.toString(decision.resetSeconds()));
        if (!decision.allowed()) {
            response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(decision.retryAfterSeconds()));
            Problems.write(request, response, json, HttpStatus.TOO_MANY_REQUESTS, "rate_limited",
                    "Too many requests (" + routeClass.name() + ": " + decision.limit() + " per " + routeClass.limit().window()
                            + "); retry in " + decision.retryAfterSeconds() + " s.");
            return;
        }
        chain.doFilter(request, response);
    }
}
