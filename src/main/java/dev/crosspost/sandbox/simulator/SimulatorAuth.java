package dev.crosspost.sandbox.simulator;

import dev.crosspost.sandbox.oauth.SandboxOAuth;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;

/**
 * Which bearer tokens a simulator accepts: {@code sandbox-token} (what the engine uses for accounts that were never
 * connected) and every token the platform's simulated authorization server issued.
 */
@Component
@dev.crosspost.sandbox.SandboxEnabled
public class SimulatorAuth {

    public static final String SANDBOX_TOKEN = "sandbox-token";

    private final ObjectProvider<SandboxOAuth> oauth;

    SimulatorAuth(ObjectProvider<SandboxOAuth> oauth) {
        this.oauth = oauth;
    }

    /** The request's bearer token if the platform accepts it, else null. */
    public @Nullable String accepted(String platform, HttpServletRequest request) {
        String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        String token = authorization.substring(7).trim();
        if (token.equals(SANDBOX_TOKEN)) {
            return token;
        }
        SandboxOAuth server = oauth.getIfAvailable();
        return server != null && server.issuedTokens(platform).contains(token) ? token : null;
    }
}
