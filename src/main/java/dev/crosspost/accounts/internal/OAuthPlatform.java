package dev.crosspost.accounts.internal;

import org.jspecify.annotations.Nullable;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One platform's OAuth 2.0 authorization-code protocol, as platforms.md describes it: the authorize URL, the code
 * exchange, refresh, revocation, and reading who the account is. The defaults are RFC 6749 with the client
 * credentials in the form body; each platform overrides what it does differently.
 */
abstract class OAuthPlatform {

    /** Who the token belongs to, as the platform names it. */
    record Identity(String externalId, @Nullable String handle) {
    }

    protected final PlatformHttp http;

    OAuthPlatform(PlatformHttp http) {
        this.http = http;
    }

    abstract String platform();

    /** Whether the authorize URL carries an S256 code challenge and the exchange the verifier. */
    abstract boolean pkce();

    /** How scopes are joined in the authorize URL. */
    String scopeSeparator() {
        return " ";
    }

    /** The name of the client id in the authorize URL and forms. */
    String clientIdParameter() {
        return "client_id";
    }

    /** Parameters the platform wants beyond RFC 6749's. */
    Map<String, String> extraAuthorizeParameters() {
        return Map.of();
    }

    abstract Identity identify(Endpoints endpoints, TokenGrant grant);

    String authorizeUrl(Endpoints e, String redirectUri, String state, String verifier) {
        Map<String, String> q = new LinkedHashMap<>();
        q.put("response_type", "code");
        q.put(clientIdParameter(), e.clientId());
        q.put("redirect_uri", redirectUri);
        q.put("scope", String.join(scopeSeparator(), e.scopes()));
        q.put("state", state);
        if (pkce()) {
            q.put("code_challenge", Pkce.challenge(verifier));
            q.put("code_challenge_method", "S256");
        }
        q.putAll(extraAuthorizeParameters());
        return PlatformHttp.withQuery(e.authorizeUrl(), q);
    }

    TokenGrant exchange(Endpoints e, String code, String redirectUri, String verifier) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "authorization_code");
        form.put("code", code);
        form.put("redirect_uri", redirectUri);
        if (pkce()) {
            form.put("code_verifier", verifier);
        }
        return TokenGrant.parse(platform(), "code exchange", http.send(tokenCall(e, "code exchange", e.tokenUrl(), form)));
    }

    TokenGrant refresh(Endpoints e, Credentials current) {
        if (current.refreshToken() == null) {
            throw new PlatformRefused(platform(), "no_refresh_token", platform() + " granted no refresh token; connect the account again", 0);
        }
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "refresh_token");
        form.put("refresh_token", current.refreshToken());
        return TokenGrant.parse(platform(), "token refresh", http.send(tokenCall(e, "token refresh", e.refreshUrl(), form)))
                .keepingRefreshToken(current.refreshToken());
    }

    /** Revokes the grant where the platform has a revoke endpoint; a no-op elsewhere. */
    void revoke(Endpoints e, Credentials current) {
        if (e.revokeUrl() == null) {
            return;
        }
        Map<String, String> form = new LinkedHashMap<>();
        form.put("token", current.refreshToken() != null ? current.refreshToken() : current.accessToken());
        http.sendIgnoringBody(tokenCall(e, "revocation", e.revokeUrl(), form));
    }

    /** A form post to the token endpoint with the client's credentials where the platform wants them. */
    PlatformHttp.Call tokenCall(Endpoints e, String what, String url, Map<String, String> form) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put(clientIdParameter(), e.clientId());
        if (e.clientSecret() != null) {
            fields.put("client_secret", e.clientSecret());
        }
        fields.putAll(form);
        return http.form(platform(), what, url, fields);
    }
}
