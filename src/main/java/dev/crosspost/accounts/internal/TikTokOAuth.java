package dev.crosspost.accounts.internal;

import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

import java.util.Map;

/**
 * TikTok: authorization code with PKCE, the client is {@code client_key} (+ {@code client_secret}) in the form body,
 * scopes are comma-separated, and refresh tokens rotate. The token response names the account ({@code open_id}); the
 * display name comes from {@code /v2/user/info/}.
 */
@Component
class TikTokOAuth extends OAuthPlatform {

    TikTokOAuth(PlatformHttp http) {
        super(http);
    }

    @Override
    String platform() {
        return "tiktok";
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
    String clientIdParameter() {
        return "client_key";
    }

    @Override
    void revoke(Endpoints e, Credentials current) {
        // TikTok revokes by access token, which ends the whole authorization
        http.sendIgnoringBody(tokenCall(e, "revocation", e.revokeUrl(), PlatformHttp.params("token", current.accessToken())));
    }

    @Override
    Identity identify(Endpoints e, TokenGrant grant) {
        String openId = grant.externalId();
        try {
            JsonNode user = http.send(http.get(platform(), "account lookup", e.identityUrl(), PlatformHttp.params("fields", "open_id,display_name"))
                    .bearer(grant.accessToken())).path("data").path("user");
            String id = TokenGrant.text(user, "open_id");
            return new Identity(id != null ? id : require(openId), TokenGrant.text(user, "display_name"));
        } catch (PlatformUnavailable | PlatformRefused e2) {
            // the grant already names the account; the display name is a nicety
            return new Identity(require(openId), null);
        }
    }

    private static String require(String openId) {
        if (openId == null) {
            throw new PlatformRefused("tiktok", "no_open_id", "tiktok answered without the account's open_id", 200);
        }
        return openId;
    }
}
