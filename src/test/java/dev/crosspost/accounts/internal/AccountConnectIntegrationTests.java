package dev.crosspost.accounts.internal;

import dev.crosspost.accounts.AccountConnected;
import dev.crosspost.publishing.adapter.AccountTokens;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.modulith.test.Scenario;
import org.springframework.web.util.UriComponentsBuilder;
import tools.jackson.databind.JsonNode;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** Connecting accounts over HTTP against the simulated authorization servers, and what is refused. */
class AccountConnectIntegrationTests extends AccountsIntegrationTestBase {

    @Autowired AccountTokens tokens;

    private long accounts() {
        return jdbc.sql("SELECT count(*) FROM accounts").query(Long.class).single();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            // platform, access lifetime (s), handle the sandbox gives user 'ada', how ids look
            "x,         7200,     ada,              '[0-9]+'",
            "tiktok,    86400,    Sandbox ada,      '-000[0-9a-f]{32}'",
            "pinterest, 2592000,  ada,              '[0-9]+'",
            "youtube,   3599,     @ada,             'UC[A-Za-z0-9_-]{22}'",
            "instagram, 5184000,  ada,              '17841[0-9]+'"})
    void everyOAuthPlatformConnectsThroughItsAuthorizationServer(String platform, long lifetime, String handle, String idPattern) {
        Instant before = clock.instant();
        HttpResponse<String> callback = connect(platform, "ada");

        assertThat(callback.statusCode()).as(callback.body()).isEqualTo(200);
        JsonNode account = body(callback);
        assertThat(account.path("platform").asString()).isEqualTo(platform);
        assertThat(account.path("status").asString()).isEqualTo("connected");
        assertThat(account.path("handle").asString()).isEqualTo(handle);
        assertThat(account.path("externalId").asString()).matches(idPattern);
        assertThat(account.path("scopes").isArray() && !account.path("scopes").isEmpty()).isTrue();
        assertThat(Instant.parse(account.path("expiresAt").asString())).isCloseTo(before.plusSeconds(lifetime), within(Duration.ofSeconds(30)));
        // refreshed at 80% of the lifetime
        assertThat(Instant.parse(account.path("nextRefreshAt").asString()))
                .isCloseTo(before.plusMillis(lifetime * 800), within(Duration.ofSeconds(30)));

        UUID id = UUID.fromString(account.path("id").asString());
        String sealed = jdbc.sql("SELECT access_token FROM accounts WHERE id = :id").param("id", id).query(String.class).single();
        assertThat(sealed).startsWith("v1:" + cipher.currentKeyId() + ":");
        String access = storedAccessToken(id);
        assertThat(sandbox.issuedTokens(platform)).contains(access);
        assertThat(tokens.accessToken(dev.crosspost.system.Workspaces.SANDBOX, platform, id.toString())).isEqualTo(access);
        for (String issued : sandbox.issuedTokens(platform)) {
            assertThat(callback.body()).doesNotContain(issued);
        }
        // the pending authorization is gone: the callback cannot be replayed
        assertThat(jdbc.sql("SELECT count(*) FROM oauth_states WHERE platform = :p").param("p", platform).query(Long.class).single()).isZero();
    }

    @Test
    void authorizeUrlsNameTheSandboxClientThePlatformsParametersAndOurCallback() {
        Map<String, String> x = params(body(post("/api/v1/accounts/connect/x")).path("authorizeUrl").asString());
        assertThat(x).containsEntry("client_id", PlatformEndpoints.sandboxClientId("x"))
                .containsEntry("redirect_uri", "http://127.0.0.1:" + PORT + "/api/v1/accounts/callback/x")
                .containsEntry("code_challenge_method", "S256").containsKey("code_challenge")
                .containsEntry("scope", "tweet.read tweet.write users.read media.write offline.access");
        Map<String, String> tiktok = params(body(post("/api/v1/accounts/connect/tiktok")).path("authorizeUrl").asString());
        assertThat(tiktok).containsEntry("client_key", PlatformEndpoints.sandboxClientId("tiktok"))
                .containsEntry("scope", "user.info.basic,video.publish,video.upload");
        Map<String, String> youtube = params(body(post("/api/v1/accounts/connect/youtube")).path("authorizeUrl").asString());
        assertThat(youtube).containsEntry("access_type", "offline");
        // the verifier is stored encrypted, under the current key
        assertThat(jdbc.sql("SELECT code_verifier FROM oauth_states").query(String.class).list())
                .isNotEmpty().allSatisfy(v -> assertThat(v).startsWith("v1:" + cipher.currentKeyId() + ":"));
    }

    @Test
    void aWrongForeignExpiredOrReplayedStateIsRefusedAndNothingIsStored() {
        long before = accounts();
        HttpResponse<String> start = post("/api/v1/accounts/connect/x");
        String state = body(start).path("state").asString();
        String location = approve(body(start).path("authorizeUrl").asString(), "mallory");
        String code = UriComponentsBuilder.fromUriString(location).build().getQueryParams().getFirst("code");

        HttpResponse<String> forged = get("/api/v1/accounts/callback/x?code=" + code + "&state=forged-state");
        assertThat(forged.statusCode()).isEqualTo(400);
        assertThat(forged.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/problem+json");
        assertThat(body(forged).path("code").asString()).isEqualTo("invalid_state");
        assertThat(get("/api/v1/accounts/callback/x?code=" + code).statusCode()).isEqualTo(400);

        // a state made for TikTok cannot finish an X authorization
        String tiktokState = body(post("/api/v1/accounts/connect/tiktok")).path("state").asString();
        HttpResponse<String> foreign = get("/api/v1/accounts/callback/x?code=" + code + "&state=" + tiktokState);
        assertThat(body(foreign).path("code").asString()).isEqualTo("invalid_state");
        assertThat(accounts()).isEqualTo(before);

        // nothing was sent to the platform: the code is still good with the right state, once
        HttpResponse<String> real = get(location);
        assertThat(real.statusCode()).as(real.body()).isEqualTo(200);
        assertThat(accounts()).isEqualTo(before + 1);
        HttpResponse<String> replay = get(location);
        assertThat(replay.statusCode()).isEqualTo(400);
        assertThat(body(replay).path("code").asString()).isEqualTo("invalid_state");

        // an authorization older than ten minutes is refused
        HttpResponse<String> late = post("/api/v1/accounts/connect/x");
        String lateLocation = approve(body(late).path("authorizeUrl").asString(), "mallory");
        clock.advance(Duration.ofMinutes(11));
        assertThat(body(get(lateLocation)).path("code").asString()).isEqualTo("invalid_state");
        assertThat(accounts()).isEqualTo(before + 1);
    }

    @Test
    void aPkceVerifierThatDoesNotMatchIsRefusedByThePlatformAndNothingIsStored() {
        long before = accounts();
        HttpResponse<String> start = post("/api/v1/accounts/connect/x");
        String state = body(start).path("state").asString();
        String location = approve(body(start).path("authorizeUrl").asString(), "eve");
        jdbc.sql("UPDATE oauth_states SET code_verifier = :v WHERE state = :s")
                .param("v", cipher.encrypt("a-verifier-that-never-made-the-challenge-0123456789")).param("s", state).update();

        HttpResponse<String> callback = get(location);

        assertThat(callback.statusCode()).isEqualTo(422);
        JsonNode problem = body(callback);
        assertThat(problem.path("code").asString()).isEqualTo("authorization_failed");
        assertThat(problem.path("detail").asString())
                .isEqualTo("x refused the code exchange: invalid_grant: code_verifier does not match the code_challenge");
        assertThat(accounts()).isEqualTo(before);
    }

    @Test
    void aDeclinedAuthorizationIsAProblemInThePlatformsWords() {
        sandbox.deny("pinterest", true);
        try {
            HttpResponse<String> callback = connect("pinterest", "ada");
            assertThat(callback.statusCode()).isEqualTo(422);
            assertThat(body(callback).path("code").asString()).isEqualTo("authorization_denied");
            assertThat(body(callback).path("detail").asString())
                    .isEqualTo("pinterest did not authorize the account: access_denied: The user denied access");
        } finally {
            sandbox.deny("pinterest", false);
        }
    }

    @Test
    void accountsAreListedReadAndDisconnectedWithTheGrantRevoked() {
        UUID id = connected("youtube", "grace");
        String refresh = storedRefreshToken(id);
        assertThat(refresh).isNotNull();

        HttpResponse<String> list = get("/api/v1/accounts");
        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(body(list).path("data").valueStream().map(a -> a.path("id").asString())).contains(id.toString());
        assertThat(body(get("/api/v1/accounts/" + id)).path("handle").asString()).isEqualTo("@grace");
        for (String issued : sandbox.issuedTokens("youtube")) {
            assertThat(list.body()).doesNotContain(issued);
        }

        HttpResponse<String> deleted = send(to("/api/v1/accounts/" + id).DELETE());

        assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(200);
        assertThat(body(deleted).path("status").asString()).isEqualTo("disconnected");
        assertThat(body(deleted).path("statusReason").asString()).isEqualTo("disconnected by its owner; access revoked at youtube");
        assertThat(jdbc.sql("SELECT count(*) FROM accounts WHERE id = :id AND access_token IS NULL AND refresh_token IS NULL")
                .param("id", id).query(Long.class).single()).isOne();
        // Google forgot the grant: its refresh token is dead
        HttpResponse<String> reuse = send(to("/sandbox/oauth/youtube/token").header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=refresh_token&client_id=sandbox-youtube-client"
                        + "&client_secret=sandbox-youtube-secret&refresh_token=" + refresh)));
        assertThat(reuse.statusCode()).isEqualTo(400);
        assertThat(body(reuse).path("error").asString()).isEqualTo("invalid_grant");
        assertThatThrownBy(() -> tokens.accessToken(dev.crosspost.system.Workspaces.SANDBOX, "youtube", id.toString()))
                .isInstanceOf(AccountTokens.ReconnectRequired.class).hasMessageContaining("disconnected");
        assertThat(send(to("/api/v1/accounts/" + UUID.randomUUID()).DELETE()).statusCode()).isEqualTo(404);
    }

    @Test
    void blueskyConnectsWithAnAppPasswordThatIsNeverStored() {
        String password = "wxyz-2345-abcd-6789";
        HttpResponse<String> created = postJson("/api/v1/accounts/bluesky",
                "{\"identifier\":\"carol.example.com\",\"appPassword\":\"" + password + "\"}");

        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode account = body(created);
        assertThat(account.path("handle").asString()).isEqualTo("carol.example.com");
        assertThat(account.path("externalId").asString()).matches("did:plc:[a-z0-9]{24}");
        UUID id = UUID.fromString(account.path("id").asString());
        assertThat(jdbc.sql("SELECT service_url FROM accounts WHERE id = :id").param("id", id).query(String.class).single())
                .isEqualTo("http://127.0.0.1:" + PORT + "/sandbox/oauth/bluesky");
        // access lifetime read from the accessJwt's exp
        assertThat(Instant.parse(account.path("expiresAt").asString())).isCloseTo(clock.instant().plus(Duration.ofHours(2)), within(Duration.ofMinutes(1)));
        String everything = jdbc.sql("SELECT string_agg(row_to_json(a)::text, ' ') FROM accounts a").query(String.class).single();
        assertThat(everything).doesNotContain(password);
        assertThat(storedAccessToken(id)).startsWith("eyJ");

        HttpResponse<String> wrong = postJson("/api/v1/accounts/bluesky", "{\"identifier\":\"carol.example.com\",\"appPassword\":\"hunter2\"}");
        assertThat(wrong.statusCode()).isEqualTo(422);
        assertThat(body(wrong).path("detail").asString())
                .isEqualTo("bluesky refused the login: AuthenticationRequired: Invalid identifier or password");
        HttpResponse<String> plainHttp = postJson("/api/v1/accounts/bluesky",
                "{\"identifier\":\"carol.example.com\",\"appPassword\":\"" + password + "\",\"pds\":\"http://169.254.169.254\"}");
        assertThat(plainHttp.statusCode()).isEqualTo(400);
        assertThat(body(plainHttp).path("detail").asString()).contains("pds: must be an https:// URL");
        HttpResponse<String> blank = postJson("/api/v1/accounts/bluesky", "{\"identifier\":\" \"}");
        assertThat(blank.statusCode()).isEqualTo(400);
        assertThat(body(blank).path("errors").valueStream().map(e -> e.path("field").asString())).containsExactly("appPassword", "identifier"); // by field
        assertThat(body(post("/api/v1/accounts/connect/bluesky")).path("code").asString()).isEqualTo("use_app_password");
    }

    @Test
    void reconnectFlowsBackIntoTheSameAccountAndRefusesAnotherOne(Scenario scenario) {
        UUID id = connected("tiktok", "heidi");
        sandbox.revokeGrant("tiktok", "heidi");
        jdbc.sql("UPDATE accounts SET status = 'reconnect_required', status_reason = 'revoked' WHERE id = :id").param("id", id).update();

        HttpResponse<String> start = post("/api/v1/accounts/" + id + "/reconnect");
        assertThat(start.statusCode()).isEqualTo(200);
        String location = approve(body(start).path("authorizeUrl").asString(), "heidi");
        scenario.stimulate(() -> get(location))
                .andWaitForEventOfType(AccountConnected.class)
                .matching(e -> e.accountId().equals(id))
                .toArriveAndVerify((event, response) -> {
                    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
                    assertThat(body(response).path("id").asString()).isEqualTo(id.toString());
                    assertThat(event.handle()).isEqualTo("Sandbox heidi");
                });
        assertThat(status(id)).isEqualTo("connected");

        HttpResponse<String> other = post("/api/v1/accounts/" + id + "/reconnect");
        HttpResponse<String> mismatch = get(approve(body(other).path("authorizeUrl").asString(), "ivan"));
        assertThat(mismatch.statusCode()).isEqualTo(409);
        assertThat(body(mismatch).path("code").asString()).isEqualTo("account_mismatch");
        assertThat(body(get("/api/v1/accounts/" + id)).path("handle").asString()).isEqualTo("Sandbox heidi");
    }

    @Test
    void unknownPlatformsAreRefused() {
        HttpResponse<String> unknown = post("/api/v1/accounts/connect/myspace");
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(body(unknown).path("code").asString()).isEqualTo("unsupported_platform");
    }

    private static Map<String, String> params(String url) {
        var q = UriComponentsBuilder.fromUriString(url).build().getQueryParams().toSingleValueMap();
        var decoded = new java.util.HashMap<String, String>();
        q.forEach((k, v) -> decoded.put(k, java.net.URLDecoder.decode(v, java.nio.charset.StandardCharsets.UTF_8)));
        return decoded;
    }
}
