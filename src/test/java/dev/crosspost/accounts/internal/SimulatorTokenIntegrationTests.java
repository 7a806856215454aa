package dev.crosspost.accounts.internal;

import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Instagram and Pinterest simulators take the tokens the simulated OAuth servers issued to connected accounts,
 * and stop taking them once the grant is revoked, answering in each platform's own way.
 */
class SimulatorTokenIntegrationTests extends AccountsIntegrationTestBase {

    @Test
    void instagramTakesAConnectedAccountsTokenUntilItsGrantIsRevoked() {
        String user = "ig-" + UUID.randomUUID().toString().substring(0, 8);
        String token = storedAccessToken(connected("instagram", user));
        String limit = "/sandbox/instagram/v21.0/17841400000000002/content_publishing_limit?fields=quota_usage,config&access_token=";

        HttpResponse<String> before = get(limit + token);
        sandbox.revokeGrant("instagram", user);
        HttpResponse<String> after = get(limit + token);

        assertThat(before.statusCode()).as(before.body()).isEqualTo(200);
        assertThat(body(before).path("data").path(0).path("config").path("quota_total").asInt()).isPositive();
        assertThat(after.statusCode()).isEqualTo(400);
        assertThat(body(after).path("error").path("code").asInt()).isEqualTo(190);
        assertThat(get(limit + "made-up-token").statusCode()).isEqualTo(400);
    }

    @Test
    void pinterestTakesAConnectedAccountsTokenUntilItsGrantIsRevoked() {
        String user = "pin-" + UUID.randomUUID().toString().substring(0, 8);
        String token = storedAccessToken(connected("pinterest", user));

        HttpResponse<String> before = send(to("/sandbox/pinterest/v5/boards").header("Authorization", "Bearer " + token).GET());
        sandbox.revokeGrant("pinterest", user);
        HttpResponse<String> after = send(to("/sandbox/pinterest/v5/boards").header("Authorization", "Bearer " + token).GET());

        assertThat(before.statusCode()).as(before.body()).isEqualTo(200);
        assertThat(body(before).path("items").path(0).path("name").asString()).isEqualTo("Crosspost");
        assertThat(after.statusCode()).isEqualTo(401);
        assertThat(body(after).path("message").asString()).isEqualTo("Authentication failed.");
    }
}
