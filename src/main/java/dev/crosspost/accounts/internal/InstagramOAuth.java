package dev.crosspost.accounts.internal;

import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Instagram Login: the code buys a short-lived token (1 h) at {@code api.instagram.com}, which is swapped at once for
 * a long-lived one (60 days) with {@code ig_exchange_token}. There is no refresh token: the long-lived token itself is
 * refreshed with {@code ig_refresh_token} while it is valid. No revoke endpoint.
 */
@Component
class InstagramOAuth extends OAuthPlatform {

    InstagramOAuth(PlatformHttp http) {
        super(http);
    }

    @Override
    String platform() {
        return "instagram";
    }

    @Override
    boolean pkce() {
        return false;
    }

    @Override
    String scopeSeparator() {
        return ",";
    }

    @Override
    TokenGrant exchange(Endpoints e, String code, String redirectUri, String verifier) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "authorization_code");
        form.put("redirect_uri", redirectUri);
        form.put("code", code);
        JsonNode body = http.send(tokenCall(e, "code exchange", e.tokenUrl(), form));
        // Business Login wraps the answer in data[]; older clients saw it flat
        JsonNode shortLived = body.path("data").isArray() && !body.path("data").isEmpty() ? body.path("data").get(0) : body;
        TokenGrant first = TokenGrant.parse(platform(), "code exchange", shortLived);
        String permissions = TokenGrant.text(shortLived, "permissions");
        JsonNode longLived = http.send(http.get(platform(), "long-lived token exchange", e.exchangeUrl(),
                PlatformHttp.params("grant_type", "ig_exchange_token", "client_secret", e.clientSecret(), "access_token", first.accessToken())));
        TokenGrant grant = TokenGrant.parse(platform(), "long-lived token exchange", longLived);
        return new TokenGrant(grant.accessToken(), null, grant.expiresIn(), null,
                permissions != null ? TokenGrant.splitScopes(permissions) : e.scopes(), first.externalId(), null);
    }

    @Override
    TokenGrant refresh(Endpoints e, Credentials current) {
        JsonNode body = http.send(http.get(platform(), "token refresh", e.refreshUrl(),
                PlatformHttp.params("grant_type", "ig_refresh_token", "access_token", current.accessToken())));
        return TokenGrant.parse(platform(), "token refresh", body);
    }

    @Override
    void revoke(Endpoints e, Credentials current) {
        // Instagram Login has no revoke endpoint: the token is forgotten and expires on its own
    }

    @Override
    Identity identify(Endpoints e, TokenGrant grant) {
        JsonNode me = http.send(http.get(platform(), "account lookup", e.identityUrl(),
                PlatformHttp.params("fields", "user_id,username", "access_token", grant.accessToken())));
        String id = TokenGrant.text(me, "user_id", "id");
        if (id == null) {
            id = grant.externalId();
        }
        if (id == null) {
            throw new PlatformUnavailable("instagram answered the account lookup without a user id");
        }
        return new Identity(id, TokenGrant.text(me, "username"));
    }
}
