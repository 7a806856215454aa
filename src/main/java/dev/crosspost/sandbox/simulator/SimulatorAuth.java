package dev.crosspost.sandbox.simulator;

import dev.crosspost.sandbox.SandboxEnabled;
import dev.crosspost.sandbox.oauth.SandboxOAuth;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;

/**
 * Which bearer tokens a simulator accepts: {@code sandbox-token} (what the engine uses for accounts that were never
 * connected) and every live access token the platform's simulated authorization server issued.
 */
@Component
@SandboxEnabled
public class SimulatorAuth {

    public static final String SANDBOX_TOKEN = "sandbox-token";

    private final ObjectProvider<SandboxOAuth> oauth;

    SimulatorAuth(ObjectProvider<SandboxOAuth> oauth) {
        this.oauth = oauth;
    }

    /**
     * Who called with an accepted token.
     *
     * @param user the user the authorization server issued the token to; null for the sandbox token
     */
    public record Caller(String token, @Nullable String user) {
        @Override
        public String toString() {
            return "Caller[" + user + ", token hidden]";
        }
    }

    /** The caller if the platform accepts the request's bearer token, else null. */
    public @Nullable Caller caller(String platform, HttpServletRequest request) {
        String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        String token = authorization.substring(7).trim();
        if (token.equals(SANDBOX_TOKEN)) {
            return new Caller(token, null);
        }
        SandboxOAuth server = oauth.getIfAvailable();
        return server == null ? null : server.userOf(platform, token).map(user -> new Caller(token, user)).orElse(null);
    }
}
