package dev.crosspost.intake.internal;

import dev.crosspost.support.CrosspostIntegrationTest;
import dev.crosspost.support.TestApi;
import dev.crosspost.system.Workspaces;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.KeyPairGenerator;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The Sheets contract against the built-in simulator, plus the whole sheet round trip: sync rows in, publish
 * them, and find each row's status and links written back into its sheet row.
 */
@CrosspostIntegrationTest
class SheetsSimulatorIntegrationTests extends SheetsClientContract {

    @LocalServerPort int port;
    @Autowired JsonMapper json;
    @Autowired Clock clock;
    @Autowired ContentIntake intake;
    private final HttpClient http = HttpClient.newHttpClient();

    private String sim() {
        return "http://127.0.0.1:" + port + "/sandbox/sheets";
    }

    @Override
    protected SheetsClient client() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return new SheetsClient(this::sim, () -> sim() + "/token", "tester@project.iam.gserviceaccount.com",
                    generator.generateKeyPair().getPrivate(), 3, 60, Duration.ofSeconds(5), json, clock, pauses::add);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    protected void givenSheet(String id, List<List<String>> rows) throws Exception {
        var response = http.send(HttpRequest.newBuilder(URI.create(sim() + "/admin/spreadsheets/" + id)).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(Map.of("sheets", Map.of("Sheet1", rows))))).build(),
                HttpResponse.BodyHandlers.discarding());
        assertThat(response.statusCode()).isEqualTo(204);
    }

    @Override
    protected void givenRateLimitedOnce() throws Exception {
        http.send(HttpRequest.newBuilder(URI.create(sim() + "/admin/faults")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"rateLimitNext\":1}")).build(), HttpResponse.BodyHandlers.discarding());
    }

    private JsonNode sheet(String id) throws Exception {
        return json.readTree(http.send(HttpRequest.newBuilder(URI.create(sim() + "/admin/spreadsheets/" + id)).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body()).get("Sheet1");
    }

    @Override
    protected void assertWritten(String id, List<SheetsClient.Write> writes) throws Exception {
        JsonNode sheet = sheet(id);
        assertThat(sheet.get(1).get(3).asString()).isEqualTo("published");
        assertThat(sheet.get(1).get(4).asString()).isEqualTo("=not a formula");
    }

    @Override
    protected void assertTokenGrant() throws Exception {
        // the simulator refuses grants whose form, header or claims are wrong
        var bad = http.send(HttpRequest.newBuilder(URI.create(sim() + "/token")).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion=a.b.c")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(json.readTree(bad.body()).get("error").asString()).isEqualTo("invalid_grant");
        var noToken = http.send(HttpRequest.newBuilder(URI.create(sim() + "/v4/spreadsheets/sheet-read/values/Sheet1%21A1%3AL")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(noToken.statusCode()).isEqualTo(401);
        assertThat(json.readTree(noToken.body()).get("error").get("status").asString()).isEqualTo("UNAUTHENTICATED");
    }

    @Test
    void aSheetCampaignIsSyncedPublishedAndWrittenBack() throws Exception {
        String sheetId = "sheet-" + UUID.randomUUID().toString().substring(0, 8);
        givenSheet(sheetId, List.of(
                List.of("id", "title", "description", "platforms"),
                List.of("G-1", "From the sheet", "Synced", "x;bluesky"),
                List.of("G-2", "", "no title", "x"),
                List.of("G-3", "Fails", "generation fails", "bluesky")));
        var created = http.send(TestApi.request(port, "/api/v1/campaigns").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"sheet\",\"sheet\":{\"spreadsheetId\":\"" + sheetId
                        + "\",\"range\":\"Sheet1!A1:Z\"}}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        UUID campaign = UUID.fromString(json.readTree(created.body()).get("id").asString());

        var synced = http.send(TestApi.request(port, "/api/v1/campaigns/" + campaign + "/sheet/sync").POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(synced.statusCode()).as(synced.body()).isEqualTo(200);
        JsonNode report = json.readTree(synced.body());
        assertThat(report.get("rowsAccepted").asInt()).isEqualTo(2);
        assertThat(report.get("problems").get(0).get("row").asInt()).isEqualTo(3); // the sheet's own row number
        assertThat(report.get("problems").get(0).get("field").asString()).isEqualTo("title");
        // a second sync doubles nothing
        var again = json.readTree(http.send(TestApi.request(port, "/api/v1/campaigns/" + campaign + "/sheet/sync")
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString()).body());
        assertThat(again.get("rowsAccepted").asInt()).isZero();

        // generation writes the captions (template: no model here); the rows' outcomes go back into the sheet
        intake.start(Workspaces.SANDBOX, campaign);

        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() -> {
            JsonNode sheet = sheet(sheetId);
            assertThat(sheet.get(0).get(4).asString()).isEqualTo("status");
            assertThat(sheet.get(0).get(5).asString()).isEqualTo("post_urls");
            assertThat(sheet.get(1).get(4).asString()).isEqualTo("published");
            assertThat(sheet.get(1).get(5).asString()).contains("x: http").contains("bluesky: http");
            assertThat(sheet.get(3).get(4).asString()).isEqualTo("published");
            assertThat(sheet.get(3).get(5).asString()).contains("bluesky: http");
        });
        assertThat(sheet(sheetId).get(2).size()).isEqualTo(4); // the invalid row is not touched
    }
}
