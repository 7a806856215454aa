package dev.crosspost.intake;

import dev.crosspost.support.CrosspostIntegrationTest;
import dev.crosspost.support.TestApi;
import org.junit.jupiter.api.Test;
import dev.crosspost.intake.internal.ContentIntake;
import dev.crosspost.system.CrosspostException;
import dev.crosspost.system.Workspaces;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** CSV import over HTTP: the validation report, valid rows kept beside broken ones, paging, idempotency, export. */
@CrosspostIntegrationTest
class CampaignImportIntegrationTests {

    static final String HEADER = "id,title,description,price,currency,product_url,image_url,video_url,platforms,publish_at,timezone,hashtags";

    @LocalServerPort int port;
    @Autowired ContentIntake intake;
    @Autowired org.springframework.jdbc.core.simple.JdbcClient jdbc;
    private final HttpClient http = HttpClient.newHttpClient();
    private final JsonMapper json = JsonMapper.builder().build();

    JsonNode campaign(String name) throws Exception {
        var response = send(TestApi.request(port, "/api/v1/campaigns").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"" + name + "\"}")));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return json.readTree(response.body());
    }

    HttpResponse<String> upload(String campaignId, byte[] csv, String key) throws Exception {
        String boundary = "----crosspost" + UUID.randomUUID();
        var body = new java.io.ByteArrayOutputStream();
        body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"rows.csv\"\r\n"
                + "Content-Type: text/csv\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.write(csv);
        body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        var request = TestApi.request(port, "/api/v1/campaigns/" + campaignId + "/imports")
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()));
        if (key != null) {
            request.header("Idempotency-Key", key);
        }
        return send(request);
    }

    HttpResponse<String> get(String path) throws Exception {
        return send(TestApi.request(port, path).GET());
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Every kind of broken row the report must name, with the row, field and a reason. */
    static final String BROKEN = String.join("\r\n",
            "\uFEFF" + HEADER,
            "P-1,\"Earbuds, mini\",\"8 h battery 🌿\nאוזניות אלחוטיות — سماعات\",89.00,USD,https://shop.example.com/p/1,https://cdn.example.com/1.jpg,,x;bluesky,,,tech;audio", // 2 valid
            ",No id,,1.00,USD,,,,x,,,",                                                                 // 3 missing id
            "P-3,,,1.00,USD,,,,x,,,",                                                                   // 4 missing title
            "P-4,No platforms,,1.00,USD,,,,,,,",                                                        // 5 missing platforms
            "P-5,Unknown platform,,1.00,USD,,,,x;myspace,,,",                                           // 6 unknown platform
            "P-6,Bad zone,,1.00,USD,,,,x,2099-12-01T09:00,Mars/Olympus_Mons,",                          // 7 bad time zone
            "P-7,DST gap,,1.00,USD,,,,x,2099-03-29T02:30,Europe/Berlin,",                               // 8 DST gap: imported, warned
            "P-1,Duplicate id,,1.00,USD,,,,x,,,",                                                       // 9 duplicate id
            "P-9,Negative,,-5.00,USD,,,,x,,,",                                                          // 10 negative price
            "P-10,Not a number,,12,5,USD,,,,x,,,",                                                      // 11 unquoted comma: field count
            "P-11,Metadata,,1.00,USD,,http://169.254.169.254/latest/meta-data/,,x,,,",                  // 12 unsafe URL (metadata)
            "P-12,Hex loopback,,1.00,USD,,,http://0x7f000001/v.mp4,x,,,",                               // 13 unsafe URL (hex)
            "P-13,Script,,1.00,USD,javascript:alert(1),,,x,,,",                                         // 14 bad scheme
            "P-14,Desk \"Halo\" lamp,,1.00,USD,,,,x,,,",                                                // 15 malformed quoting
            "P-15,No currency,,1.00,,,,,x,,,",                                                          // 16 price without currency
            "P-16,Bad currency,,1.00,ZZZ,,,,x,,,",                                                      // 17 unknown currency
            "P-17,No zone,,1.00,USD,,,,x,2099-12-01T09:00,,",                                           // 18 publish_at without timezone
            "P-18,Bad time,,1.00,USD,,,,x,tomorrow,Europe/Berlin,",                                     // 19 unparseable publish_at
            "P-19,Bad tag,,1.00,USD,,,,x,,,two words",                                                  // 20 bad hashtag
            "P-20," + "T".repeat(301) + ",,1.00,USD,,,,x,,,",                                           // 21 title too long
            "P-21,Price text,,abc,USD,,,,x,,,",                                                         // 22 price not a number
            "P-22,Overlap,,1.00,USD,,,,x,2099-10-25T02:30,Europe/Berlin,",                              // 23 DST overlap: imported, warned
            "P-23,Private v6,,1.00,USD,,http://[fd00::1]/i.png,,x,,,",                                  // 24 unsafe URL (unique-local)
            "P-24,Bad id with spaces,,1.00,USD,,,,x,,,".replace("P-24", "P 24"),                        // 25 malformed id
            "P-25,\"Never closed,,1.00,USD,,,,x,,,");                                                  // 26 unclosed quote (to EOF)

    @Test
    void everyBrokenRowIsReportedAndTheValidOnesAreImported() throws Exception {
        String campaign = campaign("broken rows").get("id").asString();
        var response = upload(campaign, BROKEN.getBytes(StandardCharsets.UTF_8), null);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        JsonNode report = json.readTree(response.body());

        assertThat(report.get("rowsTotal").asInt()).isEqualTo(25);
        assertThat(report.get("rowsAccepted").asInt()).isEqualTo(3); // P-1, the DST gap and the DST overlap
        assertThat(report.get("rowsRejected").asInt()).isEqualTo(22);
        assertThat(report.get("warnings").asInt()).isEqualTo(2);

        Set<String> found = new HashSet<>();
        for (JsonNode p : report.get("problems")) {
            found.add(p.get("row").asInt() + ":" + p.get("field").asString() + ":" + p.get("severity").asString());
            assertThat(p.get("reason").asString()).isNotBlank();
        }
        assertThat(found).contains("3:id:error", "4:title:error", "5:platforms:error", "6:platforms:error", "7:timezone:error",
                "8:publish_at:warning", "9:id:error", "10:price:error", "11:row:error", "12:image_url:error", "13:video_url:error",
                "14:product_url:error", "15:row:error", "16:currency:error", "17:currency:error", "18:timezone:error",
                "19:publish_at:error", "20:hashtags:error", "21:title:error", "22:price:error", "23:publish_at:warning",
                "24:image_url:error", "25:id:error", "26:row:error");
        // no valid row is dropped, and every rejected row has at least one error
        long rowsWithErrors = new HashSet<>(report.get("problems").valueStream()
                .filter(p -> p.get("severity").asString().equals("error")).map(p -> p.get("row").asInt()).toList()).size();
        assertThat(rowsWithErrors).isEqualTo(22);
        assertThat(text(report, 9)).contains("duplicate id P-1").contains("row 2");
        assertThat(text(report, 8)).contains("03:30");

        JsonNode rows = json.readTree(get("/api/v1/campaigns/" + campaign + "/rows").body());
        assertThat(rows.get("data").valueStream().map(r -> r.get("externalId").asString()).toList()).containsExactly("P-1", "P-7", "P-22");
        JsonNode first = rows.get("data").get(0);
        assertThat(first.get("title").asString()).isEqualTo("Earbuds, mini");
        assertThat(first.get("description").asString()).isEqualTo("8 h battery 🌿\nאוזניות אלחוטיות — سماعات");
        assertThat(first.get("platforms").valueStream().map(JsonNode::asString).toList()).containsExactly("x", "bluesky");
        assertThat(first.get("status").asString()).isEqualTo("pending");
    }

    @Test
    void aRowWhoseTimeHasPassedIsImportedWithAWarningThatItWillGoOutAtOnce() throws Exception {
        String campaign = campaign("old calendar").get("id").asString();
        byte[] csv = (HEADER + "\nOLD-1,Last year,,1.00,USD,,,,x,2020-06-01T09:00,Europe/Berlin,\nNEW-1,Next,,1.00,USD,,,,x,2099-06-01T09:00,Europe/Berlin,\n")
                .getBytes(StandardCharsets.UTF_8);
        var response = upload(campaign, csv, null);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        JsonNode report = json.readTree(response.body());
        assertThat(report.get("rowsAccepted").asInt()).isEqualTo(2);
        assertThat(report.get("warnings").asInt()).isEqualTo(1);
        JsonNode warning = report.get("problems").get(0);
        assertThat(warning.get("row").asInt()).isEqualTo(2);
        assertThat(warning.get("field").asString()).isEqualTo("publish_at");
        assertThat(warning.get("severity").asString()).isEqualTo("warning");
        assertThat(warning.get("reason").asString()).contains("2020-06-01T09:00", "Europe/Berlin", "already passed", "as soon as it is ready");
    }

    private static String text(JsonNode report, int row) {
        return report.get("problems").valueStream().filter(p -> p.get("row").asInt() == row).map(p -> p.get("reason").asString())
                .reduce("", String::concat);
    }

    @Test
    void aHeaderWithoutRequiredColumnsIsRefusedWithFieldErrors() throws Exception {
        String campaign = campaign("bad header").get("id").asString();
        var response = upload(campaign, "id,name\nP-1,x\n".getBytes(StandardCharsets.UTF_8), null);
        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
        JsonNode problem = json.readTree(response.body());
        assertThat(problem.get("code").asString()).isEqualTo("invalid_csv_header");
        assertThat(problem.get("errors").valueStream().map(e -> e.get("message").asString()).toList())
                .anySatisfy(m -> assertThat(m).contains("'title'")).anySatisfy(m -> assertThat(m).contains("'platforms'"));
        assertThat(upload(campaign, new byte[0], null).statusCode()).isEqualTo(422);
        assertThat(upload(campaign, new byte[] {(byte) 0xff, (byte) 0xfe, 'i', 'd'}, null).statusCode()).isEqualTo(422);
    }

    @Test
    void theSameUploadWithTheSameKeyReplaysAndAnotherBodyIs422() throws Exception {
        String campaign = campaign("idempotent upload").get("id").asString();
        byte[] csv = (HEADER + "\nP-1,One,,1.00,USD,,,,x,,,\n").getBytes(StandardCharsets.UTF_8);
        String key = "upload-" + UUID.randomUUID();
        var first = upload(campaign, csv, key);
        var again = upload(campaign, csv, key);
        assertThat(first.statusCode()).isEqualTo(201);
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(again.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(json.readTree(again.body()).get("id")).isEqualTo(json.readTree(first.body()).get("id"));
        var other = upload(campaign, (HEADER + "\nP-2,Two,,1.00,USD,,,,x,,,\n").getBytes(StandardCharsets.UTF_8), key);
        assertThat(other.statusCode()).isEqualTo(422);
        assertThat(json.readTree(other.body()).get("code").asString()).isEqualTo("idempotency_key_reused");
        assertThat(json.readTree(get("/api/v1/campaigns/" + campaign).body()).get("rows").get("pending").asInt()).isEqualTo(1);

        // after 24 hours the key is free again
        jdbc.sql("UPDATE intake_imports SET created_at = created_at - interval '25 hours' WHERE idempotency_key = :k").param("k", key).update();
        var later = upload(campaign, (HEADER + "\nP-2,Two,,1.00,USD,,,,x,,,\n").getBytes(StandardCharsets.UTF_8), key);
        assertThat(later.statusCode()).isEqualTo(201);
        assertThat(json.readTree(get("/api/v1/campaigns/" + campaign).body()).get("rows").get("pending").asInt()).isEqualTo(2);
    }

    @Test
    void aLargeFileIsImportedInBatchesAndPagedThrough() throws Exception {
        String campaign = campaign("large").get("id").asString();
        StringBuilder csv = new StringBuilder(HEADER).append("\r\n");
        int rows = 3_000;
        for (int i = 1; i <= rows; i++) {
            csv.append("P-").append(i).append(",\"Product ").append(i).append(", large\",,").append(i % 100).append(".50,EUR,,,,x;bluesky,,,\r\n");
        }
        csv.append("P-7,dup,,1.00,EUR,,,,x,,,\r\n");
        JsonNode report = json.readTree(upload(campaign, csv.toString().getBytes(StandardCharsets.UTF_8), null).body());
        assertThat(report.get("rowsAccepted").asInt()).isEqualTo(rows);
        assertThat(report.get("rowsRejected").asInt()).isEqualTo(1);

        List<String> ids = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode page = json.readTree(get("/api/v1/campaigns/" + campaign + "/rows?limit=500" + (cursor == null ? "" : "&cursor=" + cursor)).body());
            page.get("data").forEach(r -> ids.add(r.get("externalId").asString()));
            cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asString();
        } while (cursor != null);
        assertThat(ids).hasSize(rows).doesNotHaveDuplicates().startsWith("P-1", "P-2").endsWith("P-" + rows);
        assertThat(get("/api/v1/campaigns/" + campaign + "/rows?cursor=garbage").statusCode()).isEqualTo(400);
    }

    @Test
    void rowsCanBeAddedOneByOneWithIdempotencyKeysAndFieldErrors() throws Exception {
        String campaign = campaign("api rows").get("id").asString();
        String body = "{\"id\":\"A-1\",\"title\":\"Halo\",\"price\":\"59.99\",\"currency\":\"EUR\",\"platforms\":[\"x\",\"bluesky\"],"
                + "\"publishAt\":\"2099-12-01T18:30\",\"timezone\":\"America/New_York\",\"hashtags\":[\"homeoffice\"]}";
        var first = send(TestApi.request(port, "/api/v1/campaigns/" + campaign + "/rows").header("Content-Type", "application/json")
                .header("Idempotency-Key", "row-a1").POST(HttpRequest.BodyPublishers.ofString(body)));
        var replay = send(TestApi.request(port, "/api/v1/campaigns/" + campaign + "/rows").header("Content-Type", "application/json")
                .header("Idempotency-Key", "row-a1").POST(HttpRequest.BodyPublishers.ofString(body)));
        assertThat(first.statusCode()).as(first.body()).isEqualTo(201);
        assertThat(replay.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(json.readTree(replay.body()).get("id")).isEqualTo(json.readTree(first.body()).get("id"));

        // the row itself, and no warnings: a future time in no DST change
        assertThat(json.readTree(first.body()).get("externalId").asString()).isEqualTo("A-1");
        assertThat(json.readTree(first.body()).get("warnings")).isEmpty();
        var past = send(TestApi.request(port, "/api/v1/campaigns/" + campaign + "/rows").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.replace("A-1", "A-0").replace("2099-12-01T18:30", "2020-12-01T18:30"))));
        assertThat(past.statusCode()).as(past.body()).isEqualTo(201);
        JsonNode warned = json.readTree(past.body());
        assertThat(warned.get("externalId").asString()).isEqualTo("A-0");
        assertThat(warned.get("warnings").get(0).get("field").asString()).isEqualTo("publish_at");
        assertThat(warned.get("warnings").get(0).get("message").asString()).contains("already passed");

        var duplicate = send(TestApi.request(port, "/api/v1/campaigns/" + campaign + "/rows").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
        assertThat(duplicate.statusCode()).isEqualTo(409);
        assertThat(json.readTree(duplicate.body()).get("code").asString()).isEqualTo("duplicate_id");

        var invalid = send(TestApi.request(port, "/api/v1/campaigns/" + campaign + "/rows").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"id\":\"A-2\",\"price\":\"-1\",\"platforms\":[\"orkut\"],\"imageUrl\":\"http://127.0.0.1/x.png\"}")));
        assertThat(invalid.statusCode()).isEqualTo(400);
        JsonNode problem = json.readTree(invalid.body());
        assertThat(problem.get("errors").valueStream().map(e -> e.get("field").asString()).toList())
                .contains("title", "price", "platforms", "image_url");

        assertThat(get("/api/v1/campaigns/" + UUID.randomUUID()).statusCode()).isEqualTo(404);
        assertThat(get("/api/v1/campaigns/" + campaign + "/rows/" + UUID.randomUUID()).statusCode()).isEqualTo(404);
    }

    @Test
    void campaignsArePagedNewestFirst() throws Exception {
        for (int i = 0; i < 3; i++) {
            campaign("paged " + i);
        }
        JsonNode page = json.readTree(get("/api/v1/campaigns?limit=2").body());
        assertThat(page.get("data")).hasSize(2);
        JsonNode next = json.readTree(get("/api/v1/campaigns?limit=2&cursor=" + page.get("nextCursor").asString()).body());
        assertThat(next.get("data").get(0).get("id")).isNotEqualTo(page.get("data").get(0).get("id"));
        var blank = send(TestApi.request(port, "/api/v1/campaigns").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\" \"}")));
        assertThat(blank.statusCode()).isEqualTo(400);
        assertThat(json.readTree(blank.body()).get("errors").get(0).get("field").asString()).isEqualTo("name");
    }

    @Test
    void anotherWorkspaceSeesNoneOfItAsNotFound() throws Exception {
        UUID campaign = intake.createCampaign(Workspaces.SANDBOX, "mine", null).id();
        byte[] csv = (HEADER + "\nM-1,Mine,,1.00,USD,,,,x,,,\n").getBytes(StandardCharsets.UTF_8);
        var report = intake.importCsv(Workspaces.SANDBOX, campaign, new java.io.ByteArrayInputStream(csv), null, "csv").report();
        UUID row = intake.rows(Workspaces.SANDBOX, campaign, null, null, 10).data().getFirst().id();
        UUID other = UUID.randomUUID();

        List<org.assertj.core.api.ThrowableAssert.ThrowingCallable> calls = List.of(
                () -> intake.campaign(other, campaign),
                () -> intake.rows(other, campaign, null, null, 10),
                () -> intake.row(other, campaign, row),
                () -> intake.report(other, campaign, report.id(), null, 10),
                () -> intake.start(other, campaign),
                () -> intake.addRow(other, campaign, java.util.Map.of("id", "X-1", "title", "t", "platforms", "x")),
                () -> intake.importCsv(other, campaign, new java.io.ByteArrayInputStream(csv), null, "csv"));
        for (var call : calls) {
            assertThatThrownBy(call).isInstanceOfSatisfying(CrosspostException.class,
                    e -> assertThat(e.kind()).isEqualTo(CrosspostException.Kind.NOT_FOUND));
        }
        assertThat(intake.campaigns(other, null, 10).data()).isEmpty();
        assertThat(intake.campaign(Workspaces.SANDBOX, campaign).status()).isEqualTo("draft");
        assertThat(intake.rows(Workspaces.SANDBOX, campaign, null, null, 10).data()).hasSize(1);
    }
}
