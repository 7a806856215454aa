package dev.crosspost.intake;

import dev.crosspost.support.CrosspostIntegrationTest;
import dev.crosspost.support.TestApi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.HexFormat;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The signed content webhook: HMAC over timestamp.body, the 5-minute window, replay refusal, and clear 401s. */
@CrosspostIntegrationTest
class ContentWebhookIntegrationTests {

    @LocalServerPort int port;
    @Autowired Clock clock;
    private final HttpClient http = HttpClient.newHttpClient();
    private final JsonMapper json = JsonMapper.builder().build();
    private String campaign;
    private String secret;
    private String url;

    @BeforeEach
    void campaign() throws Exception {
        var created = http.send(TestApi.request(port, "/api/v1/campaigns").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"hooked\"}")).build(), HttpResponse.BodyHandlers.ofString());
        campaign = json.readTree(created.body()).get("id").asString();
        JsonNode hook = json.readTree(http.send(TestApi.request(port, "/api/v1/campaigns/" + campaign + "/webhook").GET().build(),
                HttpResponse.BodyHandlers.ofString()).body());
        secret = hook.get("secret").asString();
        url = hook.get("url").asString();
        assertThat(secret).startsWith("whsec_");
    }

    static String sign(String secret, long timestamp, String body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return "v1=" + HexFormat.of().formatHex(mac.doFinal((timestamp + "." + body).getBytes(StandardCharsets.UTF_8)));
    }

    private HttpResponse<String> post(String path, String body, String timestamp, String signature) throws Exception {
        // a plain request: the webhook path carries no user, only its signature
        var request = HttpRequest.newBuilder(TestApi.uri(port, path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (timestamp != null) {
            request.header("Crosspost-Timestamp", timestamp);
        }
        if (signature != null) {
            request.header("Crosspost-Signature", signature);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static final String BODY = "{\"rows\":[{\"id\":\"W-1\",\"title\":\"Trail Runner 2\",\"price\":\"129.00\",\"currency\":\"USD\","
            + "\"platforms\":[\"x\",\"bluesky\"],\"hashtags\":[\"running\"]},{\"id\":\"W-2\",\"title\":\"Bad\",\"platforms\":[\"friendster\"]}]}";

    @Test
    void aSignedRequestAddsRowsOnceAndItsReplayIsRefused() throws Exception {
        long now = clock.instant().getEpochSecond();
        var first = post(url, BODY, Long.toString(now), sign(secret, now, BODY));
        assertThat(first.statusCode()).as(first.body()).isEqualTo(201);
        JsonNode report = json.readTree(first.body());
        assertThat(report.get("source").asString()).isEqualTo("webhook");
        assertThat(report.get("rowsAccepted").asInt()).isEqualTo(1);
        assertThat(report.get("problems").get(0).get("row").asInt()).isEqualTo(2);
        assertThat(report.get("problems").get(0).get("field").asString()).isEqualTo("platforms");

        var replay = post(url, BODY, Long.toString(now), sign(secret, now, BODY));
        assertProblem(replay, "replayed");
        JsonNode rows = json.readTree(http.send(TestApi.request(port, "/api/v1/campaigns/" + campaign + "/rows").GET().build(),
                HttpResponse.BodyHandlers.ofString()).body());
        assertThat(rows.get("data")).hasSize(1);

        // the same rows signed anew are a new request: the id is already there, so it is reported, not doubled
        var resent = post(url, BODY, Long.toString(now + 1), sign(secret, now + 1, BODY));
        assertThat(resent.statusCode()).isEqualTo(201);
        assertThat(json.readTree(resent.body()).get("rowsAccepted").asInt()).isZero();
    }

    @Test
    void everyBadSignatureIsAClear401() throws Exception {
        long now = clock.instant().getEpochSecond();
        assertProblem(post(url, BODY, null, null), "signature_missing");
        assertProblem(post(url, BODY, Long.toString(now), "v1=" + "00".repeat(32)), "signature_invalid");
        assertProblem(post(url, BODY, Long.toString(now), "v1=not-hex"), "signature_invalid");
        assertProblem(post(url, BODY, "yesterday", sign(secret, now, BODY)), "signature_invalid");
        // signed for another body
        assertProblem(post(url, BODY.replace("W-1", "W-9"), Long.toString(now), sign(secret, now, BODY)), "signature_invalid");
        // signed with another campaign's secret
        assertProblem(post(url, BODY, Long.toString(now), sign(secret + "x", now, BODY)), "signature_invalid");
        // correctly signed, but outside the 5-minute window either way
        long old = now - 360;
        assertProblem(post(url, BODY, Long.toString(old), sign(secret, old, BODY)), "timestamp_outside_window");
        long future = now + 360;
        assertProblem(post(url, BODY, Long.toString(future), sign(secret, future, BODY)), "timestamp_outside_window");
        // an unknown campaign answers like a bad signature
        String unknown = "/api/v1/hooks/campaigns/" + UUID.randomUUID() + "/rows";
        assertProblem(post(unknown, BODY, Long.toString(now), sign(secret, now, BODY)), "signature_invalid");
        // a rotation may send several signatures; one valid is enough
        var rotated = post(url, BODY, Long.toString(now + 2), "v1=" + "ab".repeat(32) + "," + sign(secret, now + 2, BODY));
        assertThat(rotated.statusCode()).isEqualTo(201);
    }

    @Test
    void aSignedButMalformedBodyIs400AndFreesItsNonce() throws Exception {
        long now = clock.instant().getEpochSecond();
        String bad = "{\"rows\": 7}";
        var response = post(url, bad, Long.toString(now), sign(secret, now, bad));
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json.readTree(response.body()).get("code").asString()).isEqualTo("malformed_body");
    }

    private void assertProblem(HttpResponse<String> response, String code) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(401);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
        JsonNode problem = json.readTree(response.body());
        assertThat(problem.get("code").asString()).isEqualTo(code);
        assertThat(problem.get("detail").asString()).isNotBlank();
    }
}
