package dev.crosspost.accounts.internal;

import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * X: authorization code with PKCE; a confidential client authenticates with HTTP Basic, a public one sends
 * {@code client_id}. Refresh tokens rotate (only issued with {@code offline.access}). Identity: {@code GET /2/users/me}.
 */
@Component
class XOAuth extends OAuthPlatform {

    XOAuth(PlatformHttp http) {
        super(http);
    }

    @Override
    String platform() {
        return "x";
    }

    @Override
    boolean pkce() {
        return true;
    }

    @Override
    PlatformHttp.Call tokenCall(Endpoints e, String what, String url, Map<String, String> form) {
        if (e.clientSecret() == null) {
            Map<String, String> fields = new LinkedHashMap<>(form);
            fields.put("client_id", e.clientId());
            return http.form(platform(), what, url, fields);
        }
        return http.form(platform(), what, url, form).basic(e.clientId(), e.clientSecret());
    }

    @Override
    void revoke(Endpoints e, Credentials current) {
        // X revokes each token separately: the refresh token first, so no new access token can be minted
        if (current.refreshToken() != null) {
            http.sendIgnoringBody(tokenCall(e, "revocation", e.revokeUrl(),
                    PlatformHttp.params("token", current.refreshToken(), "token_type_hint", "refresh_token", "client_id", e.clientId())));
        }
        http.sendIgnoringBody(tokenCall(e, "revocation", e.revokeUrl(),
                PlatformHttp.params("token", current.accessToken(), "token_type_hint", "access_token", "client_id", e.clientId())));
    }

    @Override
    Identity identify(Endpoints e, TokenGrant grant) {
        JsonNode data = http.send(http.get(platform(), "account lookup", e.identityUrl(), Map.of()).bearer(grant.accessToken())).path("data");
        String id = TokenGrant.text(data, "id");
        if (id == null) {
            throw new PlatformUnavailable("x answered the account lookup without an id");
        }
        return new Identity(id, TokenGrant.text(data, "username"));
    }
}
