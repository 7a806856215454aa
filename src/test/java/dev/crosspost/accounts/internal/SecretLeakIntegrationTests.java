package dev.crosspost.accounts.internal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Every token the platforms issued, and the app password, stay out of API responses and log lines. */
@ExtendWith(OutputCaptureExtension.class)
class SecretLeakIntegrationTests extends AccountsIntegrationTestBase {

    @Autowired TokenRefresher refresher;

    @Test
    void noTokenReachesAResponseOrALogLine(CapturedOutput output) {
        StringBuilder responses = new StringBuilder();
        List<String> platforms = List.of("x", "tiktok", "pinterest", "youtube", "instagram");
        for (String platform : platforms) {
            HttpResponse<String> callback = connect(platform, "leak-" + platform);
            assertThat(callback.statusCode()).as(callback.body()).isEqualTo(200);
            responses.append(callback.body());
            UUID id = UUID.fromString(body(callback).path("id").asString());
            refresher.refresh(id, TokenRefresher.Mode.NOW);
        }
        String password = "leak-pass-word-1234";
        HttpResponse<String> bluesky = postJson("/api/v1/accounts/bluesky", "{\"identifier\":\"mia.example.com\",\"appPassword\":\"pqrs-tuvw-2345-6789\"}");
        responses.append(bluesky.body());
        responses.append(postJson("/api/v1/accounts/bluesky", "{\"identifier\":\"mia.example.com\",\"appPassword\":\"" + password + "\"}").body());
        UUID blueskyId = UUID.fromString(body(bluesky).path("id").asString());
        refresher.refresh(blueskyId, TokenRefresher.Mode.NOW);
        // the failure paths log too: a refused refresh, a platform that cannot answer
        sandbox.revokeGrant("x", "leak-x");
        sandbox.failNextTokenRequests("tiktok", 1);
        HttpResponse<String> list = get("/api/v1/accounts");
        responses.append(list.body());
        for (var account : body(list).path("data")) {
            UUID id = UUID.fromString(account.path("id").asString());
            refresher.refresh(id, TokenRefresher.Mode.NOW);
            responses.append(get("/api/v1/accounts/" + id).body());
        }
        responses.append(send(to("/api/v1/accounts/" + blueskyId).DELETE()).body());

        String logged = output.getAll();
        assertThat(logged).contains("Connected the instagram account", "needs to be reconnected", "failed for now");
        for (String platform : List.of("x", "tiktok", "pinterest", "youtube", "instagram", "bluesky")) {
            List<String> issued = sandbox.issuedTokens(platform);
            assertThat(issued).as(platform).isNotEmpty();
            for (String token : issued) {
                assertThat(logged).as(platform + " token in the log").doesNotContain(token);
                assertThat(responses.toString()).as(platform + " token in a response").doesNotContain(token);
            }
        }
        assertThat(logged).doesNotContain("pqrs-tuvw-2345-6789", password, PlatformEndpoints.sandboxClientSecret("x"));
        assertThat(responses.toString()).doesNotContain("pqrs-tuvw-2345-6789", password);
    }
}
