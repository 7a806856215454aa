package dev.crosspost.system;

import dev.crosspost.support.TestApi;
import dev.crosspost.support.CrosspostIntegrationTest;
import dev.crosspost.system.logging.Redactor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import tools.jackson.databind.json.JsonMapper;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Real secrets flow through log calls, MDC, exceptions and a request; none may reach the output. */
@CrosspostIntegrationTest
@ActiveProfiles("drill")
@ExtendWith(OutputCaptureExtension.class)
class LogRedactionTests {

    private static final Logger log = LoggerFactory.getLogger(LogRedactionTests.class);
    private static final String CONFIGURED_SECRET = "drill-jwt-secret-9f8e7d6c5b4a3210";
    private static final String JWT = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhZGEifQ.c2lnbmF0dXJlLXZhbHVl";

    @LocalServerPort
    int port;

    @Test
    void secretsNeverReachTheLog(CapturedOutput output) throws Exception {
        log.info("signing with {}", CONFIGURED_SECRET);
        log.info("calling platform with Authorization: Bearer {}", "ya29.a0AfH6SMBx-token-value");
        log.info("token response {}", "{\"access_token\":\"at-0123456789\",\"refresh_token\":\"rt-0123456789\",\"expires_in\":3600}");
        log.warn("oauth form client_id=abc&client_secret=s3cr3t-value-77&code=xyz");
        log.info("api key presented: cp_live_AbCdEfGhIjKlMnOp");
        log.info("session {}", JWT);
        MDC.put("password", "mdc-password-value");
        try {
            log.info("login attempt password=plain-password-1 for ada@example.com");
        } finally {
            MDC.remove("password");
        }
        log.error("refresh failed", new IllegalStateException("invalid_grant for refresh_token=rt-in-exception-42"));

        var response = HttpClient.newHttpClient().send(TestApi.request(port, "/drill/echo")
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + JWT)
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"Ada\",\"email\":\"ada@example.com\",\"seats\":1}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);

        String out = output.getOut();
        assertThat(out).contains("signing with ****", "drill echo for Ada", "api key presented: ****");
        assertThat(out).doesNotContain(CONFIGURED_SECRET, "ya29.a0AfH6SMBx-token-value", "at-0123456789", "rt-0123456789",
                "s3cr3t-value-77", "cp_live_AbCdEfGhIjKlMnOp", JWT, "mdc-password-value", "plain-password-1",
                "rt-in-exception-42", "hunter2-drill");

        // redaction keeps every structured line valid JSON
        var mapper = JsonMapper.builder().build();
        Arrays.stream(out.split("\n")).filter(l -> l.startsWith("{"))
                .forEach(line -> assertThat(mapper.readTree(line).has("message")).as(line).isTrue());
    }

    @Test
    void redactorMasksKnownShapesAndLeavesPlainTextAlone() {
        assertThat(Redactor.redact("Authorization: Basic dXNlcjpwYXNzd29yZA==")).isEqualTo("Authorization: Basic ****");
        assertThat(Redactor.redact("{\"password\":\"p@ss-word\"}")).isEqualTo("{\"password\":\"****\"}");
        assertThat(Redactor.redact("{\\\"client_secret\\\":\\\"abc123xyz\\\"}")).isEqualTo("{\\\"client_secret\\\":\\\"****\\\"}");
        assertThat(Redactor.redact("X-Api-Key: k-123456")).isEqualTo("X-Api-Key: ****");
        assertThat(Redactor.redact("published 3 posts to x and bluesky")).isEqualTo("published 3 posts to x and bluesky");
        assertThat(Redactor.redact("token bucket for x refilled")).isEqualTo("token bucket for x refilled");
        assertThat(Redactor.redact("must be a strong secret: at least 32 bytes")).isEqualTo("must be a strong secret: at least 32 bytes");
        assertThat(Redactor.redact("password: hunter2")).isEqualTo("password: ****");
        assertThat(Redactor.redact("subscription secret whsec_AbCdEfGhIjKlMnOpQrStUvWx")).isEqualTo("subscription secret ****");
        assertThat(Redactor.redact("POST /token grant_type=refresh_token&refresh_token=1//0gAbC")).isEqualTo("POST /token grant_type=refresh_token&refresh_token=****");
    }

    @Test
    void everySecretNameIsMaskedInAnyCaseAndShape() {
        // every name the patterns know, so that the cheap words checked before each pattern miss none of them
        for (String name : List.of("password", "passwd", "pwd", "client_secret", "clientsecret", "client-secret", "secret",
                "refresh_token", "refreshtoken", "access_token", "accesstoken", "id_token", "api_key", "api-key", "apikey",
                "x-api-key", "token", "authorization", "app_password", "assertion", "private_key", "encryption_key",
                "encryption-key", "encryptionkey", "jwt_secret", "jwt-secret", "jwtsecret", "code_verifier")) {
            for (String n : List.of(name, name.toUpperCase(java.util.Locale.ROOT), Character.toUpperCase(name.charAt(0)) + name.substring(1))) {
                assertThat(Redactor.redact("got " + n + "=v4lue-123 back")).isEqualTo("got " + n + "=**** back");
                assertThat(Redactor.redact("{\"" + n + "\":\"v4lue-123\"}")).isEqualTo("{\"" + n + "\":\"****\"}");
            }
        }
        for (String header : List.of("Authorization", "PROXY-AUTHORIZATION", "x-api-key", "Api-Key", "Cookie", "Set-Cookie", "PASSWORD", "passwd")) {
            assertThat(Redactor.redact(header + ": v4lue-123")).isEqualTo(header + ": ****");
        }
        assertThat(Redactor.redact("AUTHORIZATION: BEARER abcdef123456")).isEqualTo("AUTHORIZATION: BEARER ****");
    }
}
