package dev.crosspost.intake.internal;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

/** The Sheets contract against WireMock stubs of Google's token endpoint and Sheets v4, from platforms.md §10. */
class SheetsClientWireMockTests extends SheetsClientContract {

    private static final String EMAIL = "importer@project.iam.gserviceaccount.com";
    private static final KeyPair KEYS = keys();
    private final JsonMapper json = JsonMapper.builder().build();
    private WireMockServer wm;

    private static KeyPair keys() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @BeforeEach
    void start() {
        wm = new WireMockServer(wireMockConfig().dynamicPort());
        wm.start();
        wm.stubFor(post(urlPathEqualTo("/token")).withHeader("Content-Type", equalTo("application/x-www-form-urlencoded"))
                .withRequestBody(WireMock.containing("grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer"))
                .willReturn(aResponse().withHeader("Content-Type", "application/json")
                        .withBody("{\"access_token\":\"ya29.c.stub\",\"expires_in\":3600,\"token_type\":\"Bearer\"}")));
        wm.stubFor(get(urlPathEqualTo("/v4/spreadsheets/no-such-sheet/values/Sheet1%21A1%3AL")).willReturn(aResponse().withStatus(404)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"error\":{\"code\":404,\"message\":\"Requested entity was not found.\",\"status\":\"NOT_FOUND\"}}")));
    }

    @AfterEach
    void stop() {
        wm.stop();
    }

    @Override
    protected SheetsClient client() {
        return new SheetsClient(() -> wm.baseUrl(), () -> wm.baseUrl() + "/token", EMAIL, KEYS.getPrivate(), 3, 60, Duration.ofSeconds(5),
                json, Clock.systemUTC(), pauses::add);
    }

    @Override
    protected void givenSheet(String id, List<List<String>> rows) {
        // what Google returns: trailing empty cells dropped, the range echoed in full
        List<List<String>> trimmed = rows.stream().map(r -> r.stream().takeWhile(c -> !c.isEmpty()).toList()).toList();
        wm.stubFor(get(urlPathEqualTo("/v4/spreadsheets/" + id + "/values/Sheet1%21A1%3AL"))
                .withQueryParam("majorDimension", equalTo("ROWS")).withHeader("Authorization", equalTo("Bearer ya29.c.stub"))
                .inScenario("quota").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withHeader("Content-Type", "application/json")
                        .withBody(json.writeValueAsString(java.util.Map.of("range", "Sheet1!A1:L3", "majorDimension", "ROWS", "values", trimmed)))));
        wm.stubFor(post(urlPathEqualTo("/v4/spreadsheets/" + id + "/values:batchUpdate")).withHeader("Authorization", equalTo("Bearer ya29.c.stub"))
                .willReturn(aResponse().withHeader("Content-Type", "application/json")
                        .withBody("{\"spreadsheetId\":\"" + id + "\",\"totalUpdatedRows\":1,\"totalUpdatedColumns\":2,\"totalUpdatedCells\":2,"
                                + "\"totalUpdatedSheets\":1,\"responses\":[]}")));
    }

    @Override
    protected void givenRateLimitedOnce() {
        wm.stubFor(get(WireMock.urlPathMatching("/v4/spreadsheets/.*")).inScenario("quota").whenScenarioStateIs(Scenario.STARTED)
                .willSetStateTo("limited").atPriority(1)
                .willReturn(aResponse().withStatus(429).withHeader("Content-Type", "application/json").withBody(
                        "{\"error\":{\"code\":429,\"message\":\"Quota exceeded for quota metric 'Read requests' and limit 'Read requests per minute per user'"
                                + " of service 'sheets.googleapis.com'.\",\"status\":\"RESOURCE_EXHAUSTED\"}}")));
        wm.stubFor(get(WireMock.urlPathMatching("/v4/spreadsheets/.*")).inScenario("quota").whenScenarioStateIs("limited")
                .willSetStateTo(Scenario.STARTED).atPriority(1).willReturn(aResponse().proxiedFrom(wm.baseUrl() + "/_after429")));
        // after the 429 the same read answers normally
        wm.stubFor(get(WireMock.urlPathMatching("/_after429/v4/spreadsheets/.*")).willReturn(aResponse().withHeader("Content-Type", "application/json")
                .withBody("{\"range\":\"Sheet1!A1:L3\",\"majorDimension\":\"ROWS\",\"values\":[[\"id\"],[\"S-1\"],[\"S-2\"]]}")));
    }

    @Override
    protected void assertWritten(String id, List<SheetsClient.Write> writes) {
        StringBuilder data = new StringBuilder();
        for (SheetsClient.Write w : writes) {
            data.append(data.isEmpty() ? "" : ",").append("{\"range\":\"").append(w.range()).append("\",\"values\":")
                    .append(json.writeValueAsString(w.values())).append("}");
        }
        wm.verify(1, postRequestedFor(urlPathEqualTo("/v4/spreadsheets/" + id + "/values:batchUpdate"))
                .withRequestBody(equalToJson("{\"valueInputOption\":\"RAW\",\"data\":[" + data + "]}")));
    }

    @Override
    protected void assertTokenGrant() throws Exception {
        var grants = wm.findAll(postRequestedFor(urlPathEqualTo("/token")));
        assertThat(grants).hasSize(1);
        String form = grants.getFirst().getBodyAsString();
        String assertion = URLDecoder.decode(form.substring(form.indexOf("assertion=") + 10), StandardCharsets.UTF_8);
        String[] parts = assertion.split("\\.");
        assertThat(parts).hasSize(3);
        JsonNode header = json.readTree(Base64.getUrlDecoder().decode(parts[0]));
        JsonNode claims = json.readTree(Base64.getUrlDecoder().decode(parts[1]));
        assertThat(header.get("alg").asString()).isEqualTo("RS256");
        assertThat(header.get("typ").asString()).isEqualTo("JWT");
        assertThat(claims.get("iss").asString()).isEqualTo(EMAIL);
        assertThat(claims.get("scope").asString()).isEqualTo("https://www.googleapis.com/auth/spreadsheets");
        assertThat(claims.get("aud").asString()).isEqualTo(wm.baseUrl() + "/token");
        assertThat(claims.get("exp").asLong() - claims.get("iat").asLong()).isBetween(1L, 3600L);
        // the signature verifies with the service account's public key
        Signature rsa = Signature.getInstance("SHA256withRSA");
        rsa.initVerify(KEYS.getPublic());
        rsa.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
        assertThat(rsa.verify(Base64.getUrlDecoder().decode(parts[2]))).isTrue();
    }
}
