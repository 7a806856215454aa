package dev.crosspost.accounts.internal;

import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

import java.util.Map;

/**
 * Pinterest: authorization code (with PKCE), the client authenticates with HTTP Basic only, scopes are
 * comma-separated, refresh tokens are continuous. No user-token revoke endpoint is documented. Identity:
 * {@code GET /v5/user_account}.
 */
@Component
class PinterestOAuth extends OAuthPlatform {

    PinterestOAuth(PlatformHttp http) {
        super(http);
    }

    @Override
    String platform() {
        return "pinterest";
    }

    @Override
    boolean pkce() {
        return true;
    }

    @Override
    String scopeSeparator() {
        return ",";
    }

    @Override
    PlatformHttp.Call tokenCall(Endpoints e, String what, String url, Map<String, String> form) {
        return http.form(platform(), what, url, form).basic(e.clientId(), e.clientSecret());
    }

    @Override
    Identity identify(Endpoints e, TokenGrant grant) {
        JsonNode account = http.send(http.get(platform(), "account lookup", e.identityUrl(), Map.of()).bearer(grant.accessToken()));
        String username = TokenGrant.text(account, "username");
        String id = TokenGrant.text(account, "id");
        if (id == null && username == null) {
            throw new PlatformUnavailable("pinterest answered the account lookup without an id or username");
        }
        return new Identity(id != null ? id : username, username);
    }
}
