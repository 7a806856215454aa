package dev.crosspost.generation;

import dev.crosspost.generation.internal.Credits;
import dev.crosspost.support.TestApi;
import dev.crosspost.system.Workspaces;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** The credits ledger under concurrency on real PostgreSQL, the signed payment webhook, and the credits API. */
@GenerationTestSetup
class CreditsIntegrationTests {

    @LocalServerPort int port;
    @Autowired Credits credits;
    @Autowired JdbcClient jdbc;
    private final HttpClient http = HttpClient.newHttpClient();
    private final JsonMapper json = JsonMapper.builder().build();

    private long ledgerSum(UUID workspace) {
        return jdbc.sql("SELECT COALESCE(SUM(amount), 0) FROM credit_ledger WHERE workspace_id = :w").param("w", workspace)
                .query(Long.class).single();
    }

    @Test
    void theBalanceEqualsTheLedgerSumUnderConcurrentReservesRefundsAndTopUps() throws Exception {
        UUID workspace = UUID.randomUUID();
        credits.grantOnce(workspace, 200, "start");
        List<UUID> reservations = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            reservations.add(UUID.randomUUID());
        }
        AtomicLong paidIn = new AtomicLong(200);
        List<Callable<Void>> work = new ArrayList<>();
        for (int t = 0; t < 16; t++) {
            int thread = t;
            work.add(() -> {
                Random random = new Random(thread);
                for (int i = 0; i < 40; i++) {
                    UUID r = reservations.get(random.nextInt(reservations.size()));
                    switch (random.nextInt(5)) {
                        case 0, 1 -> credits.reserve(workspace, r, 1 + random.nextInt(9), "test");
                        case 2 -> credits.refund(r);
                        case 3 -> credits.commit(r);
                        default -> {
                            // the same payment is delivered by several threads; it counts once
                            String payment = "pay_" + workspace + "_" + random.nextInt(10);
                            if (credits.topUp(payment, workspace, 7).credited()) {
                                paidIn.addAndGet(7);
                            }
                        }
                    }
                }
                return null;
            });
        }
        try (ExecutorService pool = Executors.newFixedThreadPool(16)) {
            for (Future<Void> f : pool.invokeAll(work)) {
                f.get();
            }
        }

        long balance = credits.balance(workspace);
        assertThat(balance).isEqualTo(ledgerSum(workspace)).isNotNegative();
        long held = jdbc.sql("SELECT COALESCE(SUM(amount), 0) FROM credit_reservations WHERE workspace_id = :w AND state <> 'refunded'")
                .param("w", workspace).query(Long.class).single();
        assertThat(balance + held).isEqualTo(paidIn.get());
        // every reservation was settled at most once: one reserve row, and at most one commit or refund row
        assertThat(jdbc.sql("""
                        SELECT count(*) FROM (SELECT reservation_id FROM credit_ledger WHERE workspace_id = :w AND reservation_id IS NOT NULL
                        GROUP BY reservation_id HAVING count(*) FILTER (WHERE kind = 'reserve') <> 1
                           OR count(*) FILTER (WHERE kind IN ('commit', 'refund')) > 1) bad""")
                .param("w", workspace).query(Long.class).single()).isZero();
        assertThat(jdbc.sql("SELECT count(*) FROM credit_payments WHERE workspace_id = :w").param("w", workspace)
                .query(Long.class).single()).isEqualTo((paidIn.get() - 200) / 7);
    }

    @Test
    void aReservationNeverOverdrawsTheBalance() {
        UUID workspace = UUID.randomUUID();
        credits.grantOnce(workspace, 5, "start");
        assertThat(credits.reserve(workspace, UUID.randomUUID(), 4, "a")).isInstanceOf(Credits.Reservation.Taken.class);
        assertThat(credits.reserve(workspace, UUID.randomUUID(), 4, "b")).isEqualTo(new Credits.Reservation.Insufficient(4, 1));
        assertThat(credits.balance(workspace)).isEqualTo(1).isEqualTo(ledgerSum(workspace));
    }

    private static String sign(String timestamp, String body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(GenerationTestSetup.PAYMENT_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return "v1=" + HexFormat.of().formatHex(mac.doFinal((timestamp + "." + body).getBytes(StandardCharsets.UTF_8)));
    }

    private HttpResponse<String> pay(String body, String timestamp, String signature) throws Exception {
        var request = TestApi.request(port, "/api/v1/hooks/payments").header("Content-Type", "application/json");
        if (timestamp != null) {
            request.header("Crosspost-Timestamp", timestamp);
        }
        if (signature != null) {
            request.header("Crosspost-Signature", signature);
        }
        return http.send(request.POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> paySigned(String body) throws Exception {
        String now = Long.toString(Instant.now().getEpochSecond());
        return pay(body, now, sign(now, body));
    }

    private JsonNode problem(HttpResponse<String> response, int status, String code) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        JsonNode body = json.readTree(response.body());
        assertThat(body.get("code").asString()).isEqualTo(code);
        return body;
    }

    @Test
    void aSignedPaymentCreditsOnceAndTheSamePaymentAgainCreditsNothing() throws Exception {
        UUID workspace = UUID.randomUUID();
        String body = "{\"paymentId\":\"pay_" + UUID.randomUUID() + "\",\"workspaceId\":\"" + workspace + "\",\"credits\":250}";

        String at = Long.toString(Instant.now().getEpochSecond());
        HttpResponse<String> first = pay(body, at, sign(at, body));
        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        assertThat(json.readTree(first.body()).get("credited").asBoolean()).isTrue();
        // the provider delivers the payment again, signed anew (another timestamp than the first, whenever the
        // clock ticks: "now - 1" taken a second later was the first's and read as a replay)
        String later = Long.toString(Long.parseLong(at) - 1);
        HttpResponse<String> again = pay(body, later, sign(later, body));
        assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
        assertThat(json.readTree(again.body()).get("credited").asBoolean()).isFalse();

        assertThat(credits.balance(workspace)).isEqualTo(250).isEqualTo(ledgerSum(workspace));
        String reused = body.replace("250", "999");
        problem(paySigned(reused), 422, "payment_id_reused");
    }

    @Test
    void aCapturedDeliveryReplayedInsideTheWindowIsRefused() throws Exception {
        UUID workspace = UUID.randomUUID();
        String body = "{\"paymentId\":\"pay_" + UUID.randomUUID() + "\",\"workspaceId\":\"" + workspace + "\",\"credits\":40}";
        String now = Long.toString(Instant.now().getEpochSecond());
        String signature = sign(now, body);

        assertThat(pay(body, now, signature).statusCode()).isEqualTo(200);
        JsonNode replayed = problem(pay(body, now, signature), 401, "replayed");
        assertThat(replayed.get("detail").asString()).contains("already received");
        assertThat(credits.balance(workspace)).isEqualTo(40);
    }

    @Test
    void badSignaturesGetClear401s() throws Exception {
        String body = "{\"paymentId\":\"pay_x\",\"workspaceId\":\"" + UUID.randomUUID() + "\",\"credits\":10}";
        String now = Long.toString(Instant.now().getEpochSecond());
        String old = Long.toString(Instant.now().minusSeconds(301).getEpochSecond());

        problem(pay(body, null, null), 401, "signature_missing");
        problem(pay(body, now, sign(now, body.replace("10", "10000"))), 401, "signature_invalid");
        problem(pay(body, now, "v1=" + "0".repeat(64)), 401, "signature_invalid");
        problem(pay(body, "yesterday", sign("yesterday", body)), 401, "signature_invalid");
        JsonNode expired = problem(pay(body, old, sign(old, body)), 401, "timestamp_outside_window");
        assertThat(expired.get("detail").asString()).contains("5 minutes");
        // a rotated secret: any one matching v1 value is enough
        assertThat(pay(body, now, "v1=" + "0".repeat(64) + "," + sign(now, body)).statusCode()).isEqualTo(200);
    }

    @Test
    void invalidPaymentsGet422WithFieldErrors() throws Exception {
        JsonNode problem = problem(paySigned("{\"paymentId\":\"has spaces\",\"workspaceId\":\"nope\",\"credits\":-5}"), 422, "validation_failed");
        assertThat(problem.get("errors").valueStream().map(e -> e.get("field").asString())).containsExactly("paymentId", "workspaceId", "credits");
        problem(paySigned("{\"paymentId\":\"p1\",\"workspaceId\":\"" + UUID.randomUUID() + "\",\"credits\":1.5}"), 422, "validation_failed");
        problem(paySigned("{\"paymentId\":\"p1\",\"workspaceId\":\"" + UUID.randomUUID() + "\",\"credits\":100000000}"), 422, "validation_failed");
        problem(paySigned("not json"), 422, "validation_failed");
    }

    @Test
    void theApiShowsTheBalanceCostsAndAPagedLedger() throws Exception {
        // the sandbox workspace got its demo balance at start; add movements of our own to page through
        long before = credits.balance(Workspaces.SANDBOX);
        for (int i = 0; i < 5; i++) {
            credits.topUp("pay_api_" + UUID.randomUUID(), Workspaces.SANDBOX, 1);
        }
        JsonNode balance = json.readTree(http.send(TestApi.request(port, "/api/v1/credits").build(), HttpResponse.BodyHandlers.ofString()).body());
        assertThat(balance.get("balance").asLong()).isEqualTo(before + 5);
        assertThat(balance.get("costs").get("avatarVideo").asLong()).isEqualTo(5);

        List<Long> ids = new ArrayList<>();
        String cursor = null;
        do {
            String path = "/api/v1/credits/ledger?limit=2" + (cursor == null ? "" : "&cursor=" + cursor);
            JsonNode page = json.readTree(http.send(TestApi.request(port, path).build(), HttpResponse.BodyHandlers.ofString()).body());
            page.get("data").forEach(m -> ids.add(m.get("id").asLong()));
            cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asString();
        } while (cursor != null);
        assertThat(ids).isSortedAccordingTo((a, b) -> Long.compare(b, a)).doesNotHaveDuplicates()
                .hasSize(credits.ledger(Workspaces.SANDBOX, null, 500).size());
        assertThat(credits.ledger(Workspaces.SANDBOX, null, 500).getLast().kind()).isEqualTo("grant");

        var bad = http.send(TestApi.request(port, "/api/v1/credits/ledger?cursor=abc").build(), HttpResponse.BodyHandlers.ofString());
        problem(bad, 400, "invalid_cursor");
        var tooMany = http.send(TestApi.request(port, "/api/v1/credits/ledger?limit=100000").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(tooMany.statusCode()).isEqualTo(400);
    }
}
