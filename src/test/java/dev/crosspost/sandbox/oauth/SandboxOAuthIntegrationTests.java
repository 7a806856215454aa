package dev.crosspost.sandbox.oauth;

import dev.crosspost.support.CrosspostIntegrationTest;
import dev.crosspost.support.ShiftedClock;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.web.util.UriComponentsBuilder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** The simulated authorization servers over HTTP: the protocol the accounts module is written against. */
@CrosspostIntegrationTest
@org.springframework.context.annotation.Import(ShiftedClock.AppClock.class)
class SandboxOAuthIntegrationTests {

    private static final String REDIRECT = "https://app.example/callback?from=test";
    private static final String VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    private static final String CHALLENGE = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";


    @LocalServerPort int port;
    @Autowired ShiftedClock clock;
    @Autowired SandboxOAuth sandbox;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final JsonMapper json = JsonMapper.builder().build();

    @BeforeEach
    void cleanSlate() throws Exception {
        assertThat(send(to("/sandbox/oauth").DELETE()).statusCode()).isEqualTo(204);
    }

    // ---- helpers

    private HttpRequest.Builder to(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode body(HttpResponse<String> response) {
        return json.readTree(response.body());
    }

    private static String form(Map<String, String> fields) {
        return fields.entrySet().stream().map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    private static Map<String, String> fields(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    private static String basic(String platform) {
        return "Basic " + Base64.getEncoder().encodeToString((SandboxOAuth.clientId(platform) + ":" + SandboxOAuth.clientSecret(platform))
                .getBytes(StandardCharsets.UTF_8));
    }

    private HttpResponse<String> authorize(String platform, String query) throws Exception {
        return send(to("/sandbox/oauth/" + platform + "/authorize?" + query).GET());
    }

    private Map<String, String> redirectParams(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(302);
        String location = response.headers().firstValue("Location").orElseThrow();
        assertThat(location).startsWith("https://app.example/callback?from=test&");
        return UriComponentsBuilder.fromUriString(location).build().getQueryParams().toSingleValueMap();
    }

    /** A code for X (PKCE S256) as user {@code user}. */
    private String xCode(String user, String scope) throws Exception {
        return redirectParams(authorize("x", form(fields("response_type", "code", "client_id", SandboxOAuth.clientId("x"),
                "redirect_uri", REDIRECT, "scope", scope, "state", "s1", "code_challenge", CHALLENGE,
                "code_challenge_method", "S256", "login_hint", user)))).get("code");
    }

    private HttpResponse<String> token(String platform, Map<String, String> form, @Nullable String authorization) throws Exception {
        var request = to("/sandbox/oauth/" + platform + "/token").header("Content-Type", "application/x-www-form-urlencoded");
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return send(request.POST(HttpRequest.BodyPublishers.ofString(form(form))));
    }

    private HttpResponse<String> xExchange(String code, String verifier) throws Exception {
        return token("x", fields("grant_type", "authorization_code", "code", code, "redirect_uri", REDIRECT, "code_verifier", verifier), basic("x"));
    }

    private int me(String platform, String accessToken) throws Exception {
        return send(to("/sandbox/oauth/" + platform + "/me").header("Authorization", "Bearer " + accessToken).GET()).statusCode();
    }

    // ---- authorize

    @Test
    void authorizeApprovesAtOnceOrDeclinesWhenAsked() throws Exception {
        Map<String, String> approved = redirectParams(authorize("pinterest", form(fields("response_type", "code",
                "client_id", SandboxOAuth.clientId("pinterest"), "redirect_uri", REDIRECT, "scope", "pins:read", "state", "xyz"))));
        assertThat(approved).containsEntry("state", "xyz").containsKey("code");

        Map<String, String> denied = redirectParams(authorize("pinterest", form(fields("response_type", "code",
                "client_id", SandboxOAuth.clientId("pinterest"), "redirect_uri", REDIRECT, "state", "xyz", "deny", "true"))));
        assertThat(denied).containsEntry("error", "access_denied").containsEntry("state", "xyz").doesNotContainKey("code");

        sandbox.deny("tiktok", true);
        assertThat(redirectParams(authorize("tiktok", form(fields("response_type", "code", "client_key", SandboxOAuth.clientId("tiktok"),
                "redirect_uri", REDIRECT, "state", "a"))))).containsEntry("error", "access_denied");

        // X insists on PKCE; an unknown client gets no redirect at all
        assertThat(redirectParams(authorize("x", form(fields("response_type", "code", "client_id", SandboxOAuth.clientId("x"),
                "redirect_uri", REDIRECT, "state", "a"))))).containsEntry("error", "invalid_request");
        HttpResponse<String> stranger = authorize("x", form(fields("response_type", "code", "client_id", "someone-else",
                "redirect_uri", REDIRECT)));
        assertThat(stranger.statusCode()).isEqualTo(400);
        assertThat(body(stranger).path("error").asString()).isEqualTo("invalid_client");
    }

    // ---- codes and PKCE

    @Test
    void aCodeIsSingleUseAndItsReplayRevokesWhatItBought() throws Exception {
        String code = xCode("olga", "tweet.read offline.access");
        HttpResponse<String> first = xExchange(code, VERIFIER);
        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        JsonNode tokens = body(first);
        assertThat(tokens.path("token_type").asString()).isEqualTo("bearer");
        assertThat(tokens.path("expires_in").asLong()).isEqualTo(7200);
        assertThat(tokens.path("scope").asString()).isEqualTo("tweet.read offline.access");
        assertThat(me("x", tokens.path("access_token").asString())).isEqualTo(200);

        HttpResponse<String> replay = xExchange(code, VERIFIER);
        assertThat(replay.statusCode()).isEqualTo(400);
        assertThat(body(replay).path("error").asString()).isEqualTo("invalid_grant");
        assertThat(me("x", tokens.path("access_token").asString())).isEqualTo(401);
    }

    @Test
    void aCodeExpiresAfterThirtySecondsByTheClock() throws Exception {
        String code = xCode("paul", "tweet.read");
        clock.advance(Duration.ofSeconds(31));

        HttpResponse<String> late = xExchange(code, VERIFIER);

        assertThat(late.statusCode()).isEqualTo(400);
        assertThat(body(late).path("error_description").asString()).isEqualTo("The authorization code expired after 30s");
    }

    @Test
    void theVerifierMustMatchTheChallengeAndTheRedirectUriTheRequest() throws Exception {
        HttpResponse<String> wrong = xExchange(xCode("quinn", "tweet.read"), "not-the-verifier-that-made-the-challenge-000000");
        assertThat(wrong.statusCode()).isEqualTo(400);
        assertThat(body(wrong).path("error").asString()).isEqualTo("invalid_grant");
        assertThat(body(wrong).path("error_description").asString()).isEqualTo("code_verifier does not match the code_challenge");

        HttpResponse<String> missing = token("x", fields("grant_type", "authorization_code", "code", xCode("quinn", "tweet.read"),
                "redirect_uri", REDIRECT), basic("x"));
        assertThat(body(missing).path("error").asString()).isEqualTo("invalid_request");

        HttpResponse<String> elsewhere = token("x", fields("grant_type", "authorization_code", "code", xCode("quinn", "tweet.read"),
                "redirect_uri", "https://evil.example/cb", "code_verifier", VERIFIER), basic("x"));
        assertThat(body(elsewhere).path("error_description").asString()).isEqualTo("redirect_uri does not match the authorization request");
    }

    // ---- client authentication, per platform

    @Test
    void eachPlatformWantsItsClientWhereItsDocumentationSays() throws Exception {
        // Pinterest: HTTP Basic only, errors as {code, message}
        String pin = redirectParams(authorize("pinterest", form(fields("response_type", "code", "client_id", SandboxOAuth.clientId("pinterest"),
                "redirect_uri", REDIRECT, "scope", "pins:read")))).get("code");
        HttpResponse<String> inBody = token("pinterest", fields("grant_type", "authorization_code", "code", pin, "redirect_uri", REDIRECT,
                "client_id", SandboxOAuth.clientId("pinterest"), "client_secret", SandboxOAuth.clientSecret("pinterest")), null);
        assertThat(inBody.statusCode()).isEqualTo(401);
        assertThat(body(inBody).path("code").isInt()).isTrue();
        assertThat(body(inBody).path("message").asString()).contains("HTTP Basic");
        HttpResponse<String> withBasic = token("pinterest", fields("grant_type", "authorization_code", "code", pin, "redirect_uri", REDIRECT), basic("pinterest"));
        assertThat(withBasic.statusCode()).as(withBasic.body()).isEqualTo(200);
        assertThat(body(withBasic).path("refresh_token_expires_in").asLong()).isEqualTo(Duration.ofDays(60).toSeconds());

        // TikTok: client_key and client_secret in the body; Basic is refused
        String tt = redirectParams(authorize("tiktok", form(fields("response_type", "code", "client_key", SandboxOAuth.clientId("tiktok"),
                "redirect_uri", REDIRECT, "scope", "user.info.basic,video.publish")))).get("code");
        HttpResponse<String> ttBasic = token("tiktok", fields("grant_type", "authorization_code", "code", tt, "redirect_uri", REDIRECT), basic("tiktok"));
        assertThat(ttBasic.statusCode()).isEqualTo(401);
        assertThat(body(ttBasic).path("log_id").asString()).isNotBlank();
        HttpResponse<String> ttBody = token("tiktok", fields("client_key", SandboxOAuth.clientId("tiktok"), "client_secret",
                SandboxOAuth.clientSecret("tiktok"), "grant_type", "authorization_code", "code", tt, "redirect_uri", REDIRECT), null);
        assertThat(ttBody.statusCode()).as(ttBody.body()).isEqualTo(200);
        assertThat(body(ttBody).path("open_id").asString()).startsWith("-000");
        assertThat(body(ttBody).path("refresh_expires_in").asLong()).isEqualTo(Duration.ofDays(365).toSeconds());

        // X: a public client names itself with client_id and no secret
        String code = xCode("rita", "tweet.read offline.access");
        HttpResponse<String> pub = token("x", fields("grant_type", "authorization_code", "code", code, "redirect_uri", REDIRECT,
                "code_verifier", VERIFIER, "client_id", SandboxOAuth.clientId("x")), null);
        assertThat(pub.statusCode()).as(pub.body()).isEqualTo(200);
    }

    // ---- refresh

    @Test
    void xRotatesRefreshTokensAndIssuesThemOnlyForOfflineAccess() throws Exception {
        JsonNode first = body(xExchange(xCode("sam", "tweet.read offline.access"), VERIFIER));
        String refresh = first.path("refresh_token").asString();
        HttpResponse<String> refreshed = token("x", fields("grant_type", "refresh_token", "refresh_token", refresh), basic("x"));
        assertThat(refreshed.statusCode()).isEqualTo(200);
        assertThat(body(refreshed).path("refresh_token").asString()).isNotBlank().isNotEqualTo(refresh);
        HttpResponse<String> again = token("x", fields("grant_type", "refresh_token", "refresh_token", refresh), basic("x"));
        assertThat(body(again).path("error").asString()).isEqualTo("invalid_grant");

        JsonNode online = body(xExchange(xCode("sam", "tweet.read"), VERIFIER));
        assertThat(online.has("refresh_token")).isFalse();
    }

    @Test
    void googleRefreshesWithoutANewRefreshTokenAndForgetsARevokedGrant() throws Exception {
        String code = redirectParams(authorize("youtube", form(fields("response_type", "code", "client_id", SandboxOAuth.clientId("youtube"),
                "redirect_uri", REDIRECT, "scope", "https://www.googleapis.com/auth/youtube.upload", "access_type", "offline")))).get("code");
        Map<String, String> client = fields("client_id", SandboxOAuth.clientId("youtube"), "client_secret", SandboxOAuth.clientSecret("youtube"));
        Map<String, String> exchange = new LinkedHashMap<>(client);
        exchange.putAll(fields("grant_type", "authorization_code", "code", code, "redirect_uri", REDIRECT));
        String refresh = body(token("youtube", exchange, null)).path("refresh_token").asString();
        Map<String, String> renew = new LinkedHashMap<>(client);
        renew.putAll(fields("grant_type", "refresh_token", "refresh_token", refresh));

        JsonNode renewed = body(token("youtube", renew, null));
        assertThat(renewed.has("refresh_token")).isFalse();
        assertThat(renewed.path("expires_in").asLong()).isEqualTo(3599);

        assertThat(send(to("/sandbox/oauth/youtube/revoke").header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("token=" + refresh))).statusCode()).isEqualTo(200);
        HttpResponse<String> revoked = token("youtube", renew, null);
        assertThat(revoked.statusCode()).isEqualTo(400);
        assertThat(body(revoked).path("error").asString()).isEqualTo("invalid_grant");
        assertThat(body(revoked).path("error_description").asString()).isEqualTo("Token has been expired or revoked.");
    }

    @Test
    void aRevokedGrantAndAnInjectedOutageLookLikeThePlatform() throws Exception {
        JsonNode first = body(xExchange(xCode("tom", "tweet.read offline.access"), VERIFIER));
        HttpResponse<String> revoke = send(to("/sandbox/oauth/x/revoke-grant?user=tom").POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(body(revoke).path("revoked").asInt()).isOne();
        HttpResponse<String> dead = token("x", fields("grant_type", "refresh_token", "refresh_token", first.path("refresh_token").asString()), basic("x"));
        assertThat(body(dead).path("error").asString()).isEqualTo("invalid_grant");
        HttpResponse<String> who = send(to("/sandbox/oauth/x/me").header("Authorization", "Bearer " + first.path("access_token").asString()).GET());
        assertThat(who.statusCode()).isEqualTo(401);
        assertThat(body(who).path("title").asString()).isEqualTo("Unauthorized");

        HttpResponse<String> controls = send(to("/sandbox/oauth/x/controls").header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"failNextTokenRequests\":1}")));
        assertThat(body(controls).path("failNextTokenRequests").asInt()).isOne();
        HttpResponse<String> outage = xExchange(xCode("tom", "tweet.read"), VERIFIER);
        assertThat(outage.statusCode()).isEqualTo(503);
        assertThat(body(outage).path("error").asString()).isEqualTo("temporarily_unavailable");
        assertThat(xExchange(xCode("tom", "tweet.read"), VERIFIER).statusCode()).isEqualTo(200);
    }

    // ---- Instagram Login

    @Test
    void instagramSwapsTheShortLivedTokenAndRefreshesOnlyADayOldLongLivedOne() throws Exception {
        String code = redirectParams(authorize("instagram", form(fields("response_type", "code", "client_id", SandboxOAuth.clientId("instagram"),
                "redirect_uri", REDIRECT, "scope", "instagram_business_basic,instagram_business_content_publish")))).get("code");
        JsonNode shortLived = body(token("instagram", fields("client_id", SandboxOAuth.clientId("instagram"), "client_secret",
                SandboxOAuth.clientSecret("instagram"), "grant_type", "authorization_code", "redirect_uri", REDIRECT, "code", code), null));
        assertThat(shortLived.path("user_id").isNumber()).isTrue();
        assertThat(shortLived.path("permissions").asString()).isEqualTo("instagram_business_basic,instagram_business_content_publish");
        String temporary = shortLived.path("access_token").asString();

        HttpResponse<String> badSecret = send(to("/sandbox/oauth/instagram/access_token?grant_type=ig_exchange_token&client_secret=nope&access_token=" + temporary).GET());
        assertThat(body(badSecret).path("error").path("code").asInt()).isEqualTo(101);
        JsonNode longLived = body(send(to("/sandbox/oauth/instagram/access_token?grant_type=ig_exchange_token&client_secret="
                + SandboxOAuth.clientSecret("instagram") + "&access_token=" + temporary).GET()));
        assertThat(longLived.path("expires_in").asLong()).isEqualTo(Duration.ofDays(60).toSeconds());
        String token = longLived.path("access_token").asString();

        HttpResponse<String> tooYoung = send(to("/sandbox/oauth/instagram/refresh_access_token?grant_type=ig_refresh_token&access_token=" + token).GET());
        assertThat(tooYoung.statusCode()).isEqualTo(400);
        assertThat(body(tooYoung).path("error").path("type").asString()).isEqualTo("OAuthException");
        clock.advance(Duration.ofHours(25));
        JsonNode refreshed = body(send(to("/sandbox/oauth/instagram/refresh_access_token?grant_type=ig_refresh_token&access_token=" + token).GET()));
        assertThat(refreshed.path("access_token").asString()).isNotEqualTo(token);
        assertThat(refreshed.path("token_type").asString()).isEqualTo("bearer");
        HttpResponse<String> me = send(to("/sandbox/oauth/instagram/me?fields=user_id,username&access_token=" + refreshed.path("access_token").asString()).GET());
        assertThat(body(me).path("user_id").asString()).isEqualTo(shortLived.path("user_id").asString());
    }

    // ---- Bluesky PDS

    @Test
    void blueskySessionsRotateExpireAndAreRevocable() throws Exception {
        HttpResponse<String> wrong = send(to("/sandbox/oauth/bluesky/xrpc/com.atproto.server.createSession").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"identifier\":\"uma.example.com\",\"password\":\"main-account-password\"}")));
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(body(wrong).path("error").asString()).isEqualTo("AuthenticationRequired");

        JsonNode session = body(send(to("/sandbox/oauth/bluesky/xrpc/com.atproto.server.createSession").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"identifier\":\"uma.example.com\",\"password\":\"abcd-efgh-ijkl-mnop\"}"))));
        assertThat(session.path("handle").asString()).isEqualTo("uma.example.com");
        assertThat(session.path("did").asString()).startsWith("did:plc:");
        String access = session.path("accessJwt").asString();
        String refresh = session.path("refreshJwt").asString();
        JsonNode claims = json.readTree(Base64.getUrlDecoder().decode(access.split("\\.")[1]));
        assertThat(claims.path("scope").asString()).isEqualTo("com.atproto.access");
        assertThat(claims.path("exp").asLong() - claims.path("iat").asLong()).isEqualTo(Duration.ofHours(2).toSeconds());

        HttpResponse<String> withAccess = refreshSession(access);
        assertThat(body(withAccess).path("error").asString()).isEqualTo("InvalidToken");
        JsonNode next = body(refreshSession(refresh));
        assertThat(next.path("refreshJwt").asString()).isNotEqualTo(refresh);
        assertThat(body(refreshSession(refresh)).path("error").asString()).isEqualTo("InvalidToken");

        clock.advance(Duration.ofDays(91));
        HttpResponse<String> expired = refreshSession(next.path("refreshJwt").asString());
        assertThat(expired.statusCode()).isEqualTo(400);
        assertThat(body(expired).path("error").asString()).isEqualTo("ExpiredToken");
    }

    private HttpResponse<String> refreshSession(String bearer) throws Exception {
        return send(to("/sandbox/oauth/bluesky/xrpc/com.atproto.server.refreshSession").header("Authorization", "Bearer " + bearer)
                .POST(HttpRequest.BodyPublishers.noBody()));
    }
}
