package dev.crosspost.sandbox;

import dev.crosspost.sandbox.oauth.SandboxOAuth;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * Which bearer tokens the dedicated platform simulators accept: the engine's {@code sandbox-token}, and any token
 * the simulated authorization server of that platform issued.
 */
@Component
@SandboxEnabled
public class SandboxTokens {

    public static final String SANDBOX_TOKEN = "sandbox-token";

    private final ObjectProvider<SandboxOAuth> oauth;

    SandboxTokens(ObjectProvider<SandboxOAuth> oauth) {
        this.oauth = oauth;
    }

    /** Whether {@code authorization} ({@code Bearer <token>}) is accepted for the platform. */
    public boolean accepts(String platform, @Nullable String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        String token = authorization.substring(7).strip();
        if (token.equals(SANDBOX_TOKEN)) {
            return true;
        }
        SandboxOAuth server = oauth.getIfAvailable();
        return server != null && !token.isEmpty() && server.issuedTokens(platform).contains(token);
    }
}
