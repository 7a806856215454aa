package dev.crosspost.identity;

import dev.crosspost.support.CrosspostIntegrationTest;
import dev.crosspost.support.TestApi;
import dev.crosspost.system.SystemSettings;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

/** Registration, sign-in, refresh rotation and reuse detection, logout, and every way an access token can be bad. */
@CrosspostIntegrationTest
class TokenIntegrationTests {

    @LocalServerPort int port;
    @Autowired SystemSettings system;
    IdentityClient client;

    @BeforeEach
    void setUp() {
        client = new IdentityClient(port);
    }

    @Test
    void anUnauthenticatedApiCallIs401ProblemJsonAndADashboardPageRedirectsToLogin() {
        HttpResponse<String> api = client.get("/api/v1/posts", null);
        assertThat(api.statusCode()).isEqualTo(401);
        assertThat(api.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
        assertThat(client.body(api).get("code").asString()).isEqualTo("unauthorized");
        assertThat(api.headers().firstValue("Set-Cookie")).isEmpty();
        HttpResponse<String> write = client.postJson("/api/v1/posts", "{}", null);
        assertThat(write.statusCode()).as("no sign-in is 401, not a CSRF refusal").isEqualTo(401);

        HttpResponse<String> page = client.get("/app", null);
        assertThat(page.statusCode()).isEqualTo(302);
        assertThat(page.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).endsWith("/login"));
    }

    @Test
    void theDemoUserSignsInAndOwnsTheSandboxWorkspace() {
        HttpResponse<String> me = client.get("/api/v1/auth/me", "Bearer " + TestApi.accessToken(port));
        assertThat(me.statusCode()).as(me.body()).isEqualTo(200);
        JsonNode body = client.body(me);
        assertThat(body.get("email").asString()).isEqualTo("demo@crosspost.local");
        assertThat(body.get("workspaceId").asString()).isEqualTo(dev.crosspost.system.Workspaces.SANDBOX.toString());
        assertThat(body.get("admin").asBoolean()).isTrue();
    }

    @Test
    void registrationValidatesFieldsAndRefusesATakenEmail() {
        HttpResponse<String> bad = client.postJson("/api/v1/auth/register", IdentityClient.credentials("not-an-email", "short"), null);
        assertThat(bad.statusCode()).isEqualTo(400);
        JsonNode problem = client.body(bad);
        assertThat(problem.get("code").asString()).isEqualTo("validation_failed");
        assertThat(problem.get("errors").findValuesAsString("field")).contains("email", "password");

        IdentityClient.User user = client.register();
        HttpResponse<String> again = client.postJson("/api/v1/auth/register", IdentityClient.credentials(user.email().toUpperCase(), "another password"), null);
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(client.body(again).get("code").asString()).isEqualTo("email_taken");

        HttpResponse<String> me = client.get("/api/v1/auth/me", user.bearer());
        assertThat(client.body(me).get("admin").asBoolean()).as("the demo user is the admin outside prod").isFalse();
    }

    @Test
    void aWrongPasswordIs401WithoutSayingWhichPartWasWrong() {
        IdentityClient.User user = client.register();
        HttpResponse<String> wrong = client.postJson("/api/v1/auth/login", IdentityClient.credentials(user.email(), "wrong password"), null);
        HttpResponse<String> unknown = client.postJson("/api/v1/auth/login", IdentityClient.credentials("nobody-" + user.email(), "wrong password"), null);
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(unknown.statusCode()).isEqualTo(401);
        assertThat(client.body(wrong).get("detail")).isEqualTo(client.body(unknown).get("detail"));
    }

    @Test
    void refreshRotatesAndReusingAnOldRefreshTokenRevokesTheWholeFamily() {
        IdentityClient.User user = client.register();
        HttpResponse<String> first = client.postJson("/api/v1/auth/refresh", refresh(user.refreshToken()), null);
        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        String secondRefresh = client.body(first).get("refreshToken").asString();
        String secondAccess = client.body(first).get("accessToken").asString();
        assertThat(secondRefresh).isNotEqualTo(user.refreshToken());
        assertThat(client.get("/api/v1/auth/me", "Bearer " + secondAccess).statusCode()).isEqualTo(200);

        // the old token again: someone else has it, so everything of this sign-in stops working
        HttpResponse<String> reuse = client.postJson("/api/v1/auth/refresh", refresh(user.refreshToken()), null);
        assertThat(reuse.statusCode()).isEqualTo(401);
        assertThat(client.body(reuse).get("code").asString()).isEqualTo("refresh_token_reused");

        HttpResponse<String> newest = client.postJson("/api/v1/auth/refresh", refresh(secondRefresh), null);
        assertThat(newest.statusCode()).isEqualTo(401);
        assertThat(client.body(newest).get("code").asString()).isEqualTo("refresh_token_revoked");
        assertThat(client.get("/api/v1/auth/me", "Bearer " + secondAccess).statusCode()).isEqualTo(401);
        assertThat(client.get("/api/v1/auth/me", user.bearer()).statusCode()).isEqualTo(401);

        // signing in again starts a new family
        HttpResponse<String> login = client.postJson("/api/v1/auth/login", IdentityClient.credentials(user.email(), user.password()), null);
        assertThat(client.get("/api/v1/auth/me", "Bearer " + client.body(login).get("accessToken").asString()).statusCode()).isEqualTo(200);
    }

    @Test
    void logoutRevokesTheRefreshTokenAndTheAccessTokensOfThatSignIn() {
        IdentityClient.User user = client.register();
        HttpResponse<String> out = client.postJson("/api/v1/auth/logout", refresh(user.refreshToken()), null);
        assertThat(out.statusCode()).isEqualTo(204);
        assertThat(client.get("/api/v1/auth/me", user.bearer()).statusCode()).isEqualTo(401);
        assertThat(client.body(client.postJson("/api/v1/auth/refresh", refresh(user.refreshToken()), null)).get("code").asString())
                .isEqualTo("refresh_token_revoked");
    }

    @Test
    void tamperedAccessTokensAreRefused() throws Exception {
        IdentityClient.User user = client.register();
        String[] parts = user.accessToken().split("\\.");
        ObjectNode header = (ObjectNode) client.json.readTree(Base64.getUrlDecoder().decode(parts[0]));
        ObjectNode claims = (ObjectNode) client.json.readTree(Base64.getUrlDecoder().decode(parts[1]));
        byte[] realKey = Files.readString(system.dataDir().resolve("secrets/jwt.key")).strip().getBytes(StandardCharsets.US_ASCII);

        assertThat(client.get("/api/v1/auth/me", user.bearer()).statusCode()).as("the untampered token works").isEqualTo(200);

        assertRefused(sign(header, claims, "another-secret-of-enough-length-123456".getBytes(StandardCharsets.US_ASCII)), "bad signature");

        ObjectNode none = header.deepCopy().put("alg", "none");
        assertRefused(b64(none) + "." + b64(claims) + ".", "algorithm not accepted");
        assertRefused(sign(header.deepCopy().put("alg", "HS512"), claims, realKey), "algorithm not accepted");

        ObjectNode otherWorkspace = claims.deepCopy().put("ws", dev.crosspost.system.Workspaces.SANDBOX.toString());
        assertRefused(parts[0] + "." + b64(otherWorkspace) + "." + parts[2], "bad signature");

        assertRefused(sign(header, claims.deepCopy().put("exp", Instant.now().minusSeconds(5).getEpochSecond()), realKey), "expired");
        assertRefused(sign(header, claims.deepCopy().put("aud", "someone-else"), realKey), "wrong audience");
        assertRefused(sign(header, claims.deepCopy().put("iss", "https://evil.example"), realKey), "wrong issuer");
        assertRefused(sign(header.deepCopy().put("kid", "0000000000000000"), claims, realKey), "unknown key id");
        assertRefused("not-a-jwt", "not a compact JWS");

        // a token signed with the real key and sound claims is accepted: the refusals above are about what was changed
        assertThat(client.get("/api/v1/auth/me", "Bearer " + sign(header, claims, realKey)).statusCode()).isEqualTo(200);
    }

    private void assertRefused(String token, String reason) {
        HttpResponse<String> response = client.get("/api/v1/auth/me", "Bearer " + token);
        assertThat(response.statusCode()).as(reason).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Bearer error=\"invalid_token\"");
        JsonNode problem = client.body(response);
        assertThat(problem.get("code").asString()).isEqualTo("invalid_token");
        assertThat(problem.get("detail").asString()).contains(reason);
    }

    private String sign(JsonNode header, JsonNode claims, byte[] key) throws Exception {
        String input = b64(header) + "." + b64(claims);
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return input + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
    }

    private String b64(JsonNode node) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(client.json.writeValueAsBytes(node));
    }

    private static String refresh(String token) {
        return "{\"refreshToken\":\"" + token + "\"}";
    }
}
