package dev.crosspost.system;

import dev.crosspost.support.TestApi;
import dev.crosspost.support.CrosspostIntegrationTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/** Errors, request ids, health and metrics over real HTTP against the whole app. */
@CrosspostIntegrationTest
@ActiveProfiles("drill")
@ExtendWith(OutputCaptureExtension.class)
class FoundationIntegrationTests {

    @LocalServerPort
    int port;

    private final HttpClient http = HttpClient.newHttpClient();
    private final JsonMapper json = JsonMapper.builder().build();

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder to(String path) {
        return TestApi.request(port, path);
    }

    private HttpRequest.Builder postJson(String path, String body) {
        return to(path).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
    }

    @Test
    void malformedBodyIsAProblemWithRequestIdAndNoInternals() throws Exception {
        var response = send(postJson("/drill/echo", "{\"name\": \"Ada\", \"email\": ").header("X-Request-Id", "req-malformed-1"));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        JsonNode body = json.readTree(response.body());
        assertThat(body.get("code").asString()).isEqualTo("malformed_body");
        assertThat(body.get("requestId").asString()).isEqualTo("req-malformed-1");
        assertThat(body.get("status").asInt()).isEqualTo(400);
        assertThat(response.body()).doesNotContain("Exception", "jackson", "at dev.", "at org.");
    }

    @Test
    void validationErrorsNameEachField() throws Exception {
        var response = send(postJson("/drill/echo", "{\"name\": \"\", \"email\": \"not-an-email\", \"seats\": 0}"));

        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode body = json.readTree(response.body());
        assertThat(body.get("code").asString()).isEqualTo("validation_failed");
        assertThat(body.get("requestId").asString()).isNotBlank();
        assertThat(body.get("errors").valueStream().map(e -> e.get("field").asString()))
                .containsExactlyInAnyOrder("name", "email", "seats");
    }

    @Test
    void unexpectedErrorsHideInternals() throws Exception {
        var response = send(to("/drill/fail").header("X-Request-Id", "req-fail-1"));

        assertThat(response.statusCode()).isEqualTo(500);
        JsonNode body = json.readTree(response.body());
        assertThat(body.get("code").asString()).isEqualTo("internal_error");
        assertThat(body.get("requestId").asString()).isEqualTo("req-fail-1");
        assertThat(response.body()).doesNotContain("secret_stuff", "IllegalState", "dev.crosspost");
    }

    @Test
    void unknownPathsAndWrongMethodsAreProblems() throws Exception {
        var missing = send(to("/no/such/thing"));
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(json.readTree(missing.body()).get("code").asString()).isEqualTo("not_found");

        var wrongMethod = send(to("/drill/echo").DELETE());
        assertThat(wrongMethod.statusCode()).isEqualTo(405);
        assertThat(json.readTree(wrongMethod.body()).get("code").asString()).isEqualTo("method_not_allowed");
    }

    @Test
    void wellFormedRequestIdsAreEchoedAndOthersReplaced(CapturedOutput output) throws Exception {
        var kept = send(postJson("/drill/echo", "{\"name\":\"Ada\",\"email\":\"ada@example.com\",\"seats\":2}")
                .header("X-Request-Id", "trace-42.a_b"));
        assertThat(kept.statusCode()).isEqualTo(200);
        assertThat(kept.headers().firstValue("X-Request-Id")).hasValue("trace-42.a_b");
        assertThat(output.getOut()).containsPattern("\"requestId\":\"trace-42.a_b\"[^\\n]*drill echo for Ada|drill echo for Ada[^\\n]*\"requestId\":\"trace-42.a_b\"");

        var replaced = send(to("/actuator/health/liveness").header("X-Request-Id", "bad id;<script>"));
        assertThat(replaced.headers().firstValue("X-Request-Id")).hasValueSatisfying(
                id -> assertThat(id).matches("[0-9a-f-]{36}"));
    }

    @Test
    void healthHasEveryComponentAndProbes() throws Exception {
        JsonNode health = json.readTree(send(to("/actuator/health")).body());
        assertThat(health.get("status").asString()).isEqualTo("UP");
        JsonNode components = health.get("components");
        assertThat(components.propertyNames()).contains("db", "scheduler", "diskSpace", "storage", "memory", "uptime");
        assertThat(components.get("db").get("details").get("latencyMs").isNumber()).isTrue();
        assertThat(components.get("db").get("details").get("synchronousCommit").asString()).isEqualTo("on");
        assertThat(components.get("db").get("details").get("fsync").asString()).isEqualTo("on");
        assertThat(components.get("db").get("details").has("warning")).isFalse();
        assertThat(components.get("scheduler").get("details").get("state").asString()).isEqualTo("running");
        assertThat(components.get("scheduler").get("details").has("overdue")).isTrue();
        assertThat(components.get("memory").get("details").get("heapUsedPercent").isNumber()).isTrue();
        assertThat(components.get("uptime").get("details").get("uptimeSeconds").isNumber()).isTrue();

        assertThat(send(to("/actuator/health/liveness")).statusCode()).isEqualTo(200);
        JsonNode readiness = json.readTree(send(to("/actuator/health/readiness")).body());
        assertThat(readiness.get("components").propertyNames()).contains("db", "scheduler", "readinessState");
    }

    @Test
    void prometheusHasJvmHttpPoolAndSchedulerMetrics() throws Exception {
        send(to("/actuator/health"));
        String metrics = send(to("/actuator/prometheus")).body();
        assertThat(metrics).contains("jvm_memory_used_bytes", "http_server_requests_seconds", "hikaricp_connections",
                "crosspost_scheduler_due", "crosspost_scheduler_overdue", "crosspost_scheduler_running",
                "crosspost_http_requests_waiting", "crosspost_http_requests_refused_total");
        // operators' endpoints never wait behind the requests they are there to watch: the scrape is not counted
        var running = java.util.regex.Pattern.compile("(?m)^crosspost_http_requests_running(?:\\{[^}]*})? ([0-9.]+)$").matcher(metrics);
        assertThat(running.find()).as("running gauge in %s", metrics).isTrue();
        assertThat(Double.parseDouble(running.group(1))).isZero();
    }

    @Test
    void flywayOwnsTheInfrastructureTables(@org.springframework.beans.factory.annotation.Autowired org.springframework.jdbc.core.simple.JdbcClient jdbc) {
        var tables = jdbc.sql("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'").query(String.class).list();
        assertThat(tables).contains("scheduled_tasks", "event_publication", "bucket", "flyway_schema_history");
    }
}
