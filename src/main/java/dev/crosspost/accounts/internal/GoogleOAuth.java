package dev.crosspost.accounts.internal;

import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

import java.util.Map;

/**
 * YouTube through Google OAuth: the web-server flow with {@code access_type=offline} (and {@code prompt=consent}, so a
 * reconnect also gets a refresh token), client id and secret in the form body. Refresh keeps the refresh token;
 * revoking it ends the grant. Identity: the caller's channel ({@code channels?part=snippet&mine=true}).
 */
@Component
class GoogleOAuth extends OAuthPlatform {

    GoogleOAuth(PlatformHttp http) {
        super(http);
    }

    @Override
    String platform() {
        return "youtube";
    }

    @Override
    boolean pkce() {
        return false;
    }

    @Override
    Map<String, String> extraAuthorizeParameters() {
        return PlatformHttp.params("access_type", "offline", "prompt", "consent", "include_granted_scopes", "true");
    }

    @Override
    void revoke(Endpoints e, Credentials current) {
        String token = current.refreshToken() != null ? current.refreshToken() : current.accessToken();
        http.sendIgnoringBody(http.form(platform(), "revocation", e.revokeUrl(), PlatformHttp.params("token", token)));
    }

    @Override
    Identity identify(Endpoints e, TokenGrant grant) {
        JsonNode items = http.send(http.get(platform(), "channel lookup", e.identityUrl(), PlatformHttp.params("part", "snippet", "mine", "true"))
                .bearer(grant.accessToken())).path("items");
        if (!items.isArray() || items.isEmpty()) {
            throw new PlatformRefused(platform(), "no_channel", "youtube: this Google account has no YouTube channel", 200);
        }
        JsonNode channel = items.get(0);
        String id = TokenGrant.text(channel, "id");
        if (id == null) {
            throw new PlatformUnavailable("youtube answered the channel lookup without a channel id");
        }
        JsonNode snippet = channel.path("snippet");
        String handle = TokenGrant.text(snippet, "customUrl", "title");
        return new Identity(id, handle);
    }
}
