package dev.crosspost.identity.internal;

import dev.crosspost.identity.Caller;
import dev.crosspost.system.web.Problems;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.util.Optional;

/**
 * Signs in a request by its {@code Authorization: Bearer} access JWT or API key (or {@code X-API-Key}). The
 * caller lives for this request only: no session is made. A presented but bad credential is refused outright
 * with 401, never treated as anonymous.
 */
final class TokenAuthenticationFilter extends OncePerRequestFilter {

    static final String API_KEY_HEADER = "X-API-Key";

    private final JwtCodec jwt;
    private final IdentityService identity;
    private final ApiKeyService apiKeys;
    private final JsonMapper json;

    TokenAuthenticationFilter(JwtCodec jwt, IdentityService identity, ApiKeyService apiKeys, JsonMapper json) {
        this.jwt = jwt;
        this.identity = identity;
        this.apiKeys = apiKeys;
        this.json = json;
    }

    /** The bearer token or API key a request presents, if any. */
    static @Nullable String presented(HttpServletRequest request) {
        String key = request.getHeader(API_KEY_HEADER);
        if (key != null) {
            return key.strip();
        }
        String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return authorization.substring(7).strip();
        }
        return null;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String credential = presented(request);
        if (credential == null) {
            chain.doFilter(request, response);
            return;
        }
        Optional<Caller> caller;
        String reason;
        if (credential.startsWith(ApiKeyService.PREFIX)) {
            caller = apiKeys.authenticate(credential);
            reason = "The API key is unknown or revoked.";
        } else {
            try {
                JwtCodec.Claims claims = jwt.verify(credential);
                caller = identity.sessionRevoked(claims.sessionId()) ? Optional.empty() : Optional.of(identity.caller(claims));
                reason = "The access token's sign-in was revoked; sign in again.";
            } catch (JwtCodec.InvalidToken e) {
                caller = Optional.empty();
                reason = "The access token is invalid: " + e.getMessage() + ".";
            }
        }
        if (caller.isEmpty()) {
            response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"invalid_token\"");
            Problems.write(request, response, json, HttpStatus.UNAUTHORIZED, "invalid_token", reason);
            return;
        }
        SecurityContext context = SecurityContextHolder.createEmptyContext();
        context.setAuthentication(new CallerAuthentication(caller.get()));
        SecurityContextHolder.setContext(context);
        try {
            chain.doFilter(request, response);
        } finally {
            SecurityContextHolder.clearContext();
        }
    }

    @Override
    protected boolean shouldNotFilterAsyncDispatch() {
        return false;
    }
}
