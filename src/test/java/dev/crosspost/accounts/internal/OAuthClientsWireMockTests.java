package dev.crosspost.accounts.internal;

import com.github.tomakehurst.wiremock.WireMockServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.web.util.UriComponentsBuilder;
import tools.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The platform clients against stubbed real endpoints: where credentials go, and how odd answers are read. */
class OAuthClientsWireMockTests {

    private final WireMockServer server = new WireMockServer(options().dynamicPort());
    private PlatformHttp http;

    @BeforeEach
    void start() {
        server.start();
        AccountsSettings settings = new AccountsSettings(List.of(), Map.of(), Duration.ofMinutes(10),
                new AccountsSettings.Refresh(0.8, Duration.ofMinutes(1), Duration.ofSeconds(30), Duration.ofMinutes(30), Duration.ofMinutes(1)),
                new AccountsSettings.Bluesky(null), 100, Duration.ofSeconds(5));
        http = new PlatformHttp(JsonMapper.builder().build(), settings);
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    private Endpoints endpoints(String platform, String secret) {
        String base = server.baseUrl();
        return new Endpoints(platform, "https://example.test/authorize", base + "/token",
                "instagram".equals(platform) ? base + "/refresh" : base + "/token", base + "/exchange",
                base + "/me", base + "/revoke", "client-1", secret, List.of("a", "b"), false);
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void pinterestAuthenticatesWithBasicOnlyAndSendsTheVerifier() {
        server.stubFor(post("/token").willReturn(okJson("""
                {"access_token":"pina_1","refresh_token":"pinr_1","token_type":"bearer","expires_in":2592000,
                 "refresh_token_expires_in":5184000,"scope":"boards:read,pins:read"}""")));
        TokenGrant grant = new PinterestOAuth(http).exchange(endpoints("pinterest", "s3cret"), "code-1", "https://app/cb", "verifier-1");

        server.verify(postRequestedFor(urlEqualTo("/token"))
                .withHeader("Authorization", equalTo(basic("client-1", "s3cret")))
                .withHeader("Content-Type", containing("application/x-www-form-urlencoded"))
                .withRequestBody(equalTo("grant_type=authorization_code&code=code-1&redirect_uri=https%3A%2F%2Fapp%2Fcb&code_verifier=verifier-1")));
        assertThat(grant.refreshExpiresIn()).isEqualTo(Duration.ofDays(60));
        assertThat(grant.scopes()).containsExactly("boards:read", "pins:read");
    }

    @Test
    void tiktokSendsClientKeyAndSecretInTheBodyAndNamesTheAccount() {
        server.stubFor(post("/token").willReturn(okJson("""
                {"access_token":"act.1","expires_in":86400,"open_id":"-000abc","refresh_expires_in":31536000,
                 "refresh_token":"rft.1","scope":"user.info.basic,video.publish","token_type":"Bearer"}""")));
        TokenGrant grant = new TikTokOAuth(http).exchange(endpoints("tiktok", "s3cret"), "code-1", "https://app/cb", "v");

        server.verify(postRequestedFor(urlEqualTo("/token")).withHeader("Authorization", absent())
                .withRequestBody(equalTo("client_key=client-1&client_secret=s3cret&grant_type=authorization_code&code=code-1"
                        + "&redirect_uri=https%3A%2F%2Fapp%2Fcb&code_verifier=v")));
        assertThat(grant.externalId()).isEqualTo("-000abc");
        assertThat(grant.refreshToken()).isEqualTo("rft.1");
    }

    @Test
    void anXPublicClientNamesItselfAndAConfidentialOneUsesBasic() {
        server.stubFor(post("/token").willReturn(okJson("{\"access_token\":\"x1\",\"expires_in\":7200,\"token_type\":\"bearer\"}")));
        new XOAuth(http).refresh(endpoints("x", null), new Credentials("old", "rt-1", null));
        server.verify(postRequestedFor(urlEqualTo("/token")).withHeader("Authorization", absent())
                .withRequestBody(equalTo("grant_type=refresh_token&refresh_token=rt-1&client_id=client-1")));

        server.resetRequests();
        TokenGrant grant = new XOAuth(http).refresh(endpoints("x", "s3cret"), new Credentials("old", "rt-1", null));
        server.verify(postRequestedFor(urlEqualTo("/token")).withHeader("Authorization", equalTo(basic("client-1", "s3cret")))
                .withRequestBody(equalTo("grant_type=refresh_token&refresh_token=rt-1")));
        // no new refresh token in the answer: the one we had is kept
        assertThat(grant.refreshToken()).isEqualTo("rt-1");
    }

    @Test
    void anAnswerWithoutAnAccessTokenIsARefusalNotAConnection() {
        server.stubFor(post("/token").willReturn(okJson("{\"token_type\":\"bearer\",\"expires_in\":7200}")));
        assertThatThrownBy(() -> new GoogleOAuth(http).exchange(endpoints("youtube", "s"), "c", "https://app/cb", "v"))
                .isInstanceOf(PlatformRefused.class).hasMessage("youtube answered the code exchange without an access token");

        server.stubFor(post("/token").willReturn(okJson("{\"access_token\":\"\",\"expires_in\":7200}")));
        assertThatThrownBy(() -> new GoogleOAuth(http).exchange(endpoints("youtube", "s"), "c", "https://app/cb", "v"))
                .isInstanceOf(PlatformRefused.class);
    }

    @Test
    void errorsComeBackInThePlatformsOwnWordsWhateverTheStatus() {
        // TikTok has answered OAuth errors with 200
        server.stubFor(post("/token").willReturn(okJson("{\"error\":\"invalid_request\",\"error_description\":\"Code is expired.\",\"log_id\":\"L\"}")));
        assertThatThrownBy(() -> new TikTokOAuth(http).exchange(endpoints("tiktok", "s"), "c", "https://app/cb", "v"))
                .isInstanceOf(PlatformRefused.class)
                .hasMessage("tiktok refused the code exchange: invalid_request: Code is expired.");

        server.stubFor(post("/token").willReturn(aResponse().withStatus(400).withHeader("Content-Type", "application/json")
                .withBody("{\"error\":{\"message\":\"Error validating access token\",\"type\":\"OAuthException\",\"code\":190}}")));
        assertThatThrownBy(() -> new GoogleOAuth(http).refresh(endpoints("youtube", "s"), new Credentials("a", "r", null)))
                .isInstanceOf(PlatformRefused.class)
                .hasMessageContaining("OAuthException 190: Error validating access token")
                .hasMessageNotContaining("[object Object]");

        server.stubFor(post("/token").willReturn(aResponse().withStatus(503).withBody("upstream connect error")));
        assertThatThrownBy(() -> new GoogleOAuth(http).refresh(endpoints("youtube", "s"), new Credentials("a", "r", null)))
                .isInstanceOf(PlatformUnavailable.class).hasMessageContaining("HTTP 503").hasMessageContaining("upstream connect error");

        server.stubFor(post("/token").willReturn(aResponse().withStatus(200).withBody("<html>maintenance</html>")));
        assertThatThrownBy(() -> new GoogleOAuth(http).refresh(endpoints("youtube", "s"), new Credentials("a", "r", null)))
                .isInstanceOf(PlatformUnavailable.class).hasMessageContaining("not JSON");
    }

    @Test
    void instagramReadsTheWrappedShortLivedAnswerAndSwapsItForALongLivedToken() {
        server.stubFor(post("/token").willReturn(okJson("""
                {"data":[{"access_token":"IGshort","user_id":"17841400000","permissions":"instagram_business_basic,instagram_business_content_publish"}]}""")));
        server.stubFor(get(urlPathEqualTo("/exchange")).willReturn(okJson("{\"access_token\":\"IGlong\",\"token_type\":\"bearer\",\"expires_in\":5183944}")));

        TokenGrant grant = new InstagramOAuth(http).exchange(endpoints("instagram", "s3cret"), "code-1", "https://app/cb", "unused");

        server.verify(postRequestedFor(urlEqualTo("/token")).withRequestBody(equalTo(
                "client_id=client-1&client_secret=s3cret&grant_type=authorization_code&redirect_uri=https%3A%2F%2Fapp%2Fcb&code=code-1")));
        server.verify(getRequestedFor(urlEqualTo("/exchange?grant_type=ig_exchange_token&client_secret=s3cret&access_token=IGshort")));
        assertThat(grant.accessToken()).isEqualTo("IGlong");
        assertThat(grant.externalId()).isEqualTo("17841400000");
        assertThat(grant.expiresIn()).isEqualTo(Duration.ofSeconds(5183944));
        assertThat(grant.scopes()).containsExactly("instagram_business_basic", "instagram_business_content_publish");
    }

    @Test
    void authorizeUrlsCarryEachPlatformsParameters() {
        var x = params(new XOAuth(http).authorizeUrl(endpoints("x", "s"), "https://app/cb", "st", "verifier-xyz"));
        assertThat(x).containsEntry("client_id", "client-1").containsEntry("scope", "a b").containsEntry("state", "st")
                .containsEntry("code_challenge_method", "S256").containsEntry("code_challenge", Pkce.challenge("verifier-xyz"))
                .containsEntry("response_type", "code");
        var tiktok = params(new TikTokOAuth(http).authorizeUrl(endpoints("tiktok", "s"), "https://app/cb", "st", "v"));
        assertThat(tiktok).containsEntry("client_key", "client-1").containsEntry("scope", "a,b").doesNotContainKey("client_id");
        var google = params(new GoogleOAuth(http).authorizeUrl(endpoints("youtube", "s"), "https://app/cb", "st", "v"));
        assertThat(google).containsEntry("access_type", "offline").containsEntry("prompt", "consent").doesNotContainKey("code_challenge");
        var instagram = params(new InstagramOAuth(http).authorizeUrl(endpoints("instagram", "s"), "https://app/cb", "st", "v"));
        assertThat(instagram).containsEntry("scope", "a,b").doesNotContainKey("code_challenge");
        // RFC 7636 appendix B
        assertThat(Pkce.challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")).isEqualTo("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
    }

    private static Map<String, String> params(String url) {
        return UriComponentsBuilder.fromUriString(url).build().getQueryParams().toSingleValueMap().entrySet().stream()
                .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey,
                        e -> java.net.URLDecoder.decode(e.getValue(), StandardCharsets.UTF_8)));
    }

}
