package dev.crosspost.identity;

import dev.crosspost.support.CrosspostIntegrationTest;
import dev.crosspost.support.TestApi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** SQL-injection probes on every filter, oversized bodies, and header injection. */
@CrosspostIntegrationTest
class HostileInputIntegrationTests {

    private static final List<String> PROBES = List.of("' OR '1'='1", "1; DROP TABLE posts; --", "x') UNION SELECT email, password_hash FROM users --",
            "%", "\\", "'; SELECT pg_sleep(5); --");

    /** Every list filter and cursor, with {probe} where the hostile value goes. */
    private static final List<String> FILTERS = List.of(
            "/api/v1/posts?cursor={probe}",
            "/api/v1/posts?limit={probe}",
            "/api/v1/dead-letters?platform={probe}",
            "/api/v1/dead-letters?cursor={probe}",
            "/api/v1/api-keys?cursor={probe}",
            "/api/v1/accounts?cursor={probe}",
            "/api/v1/webhooks?cursor={probe}",
            "/api/v1/assets?cursor={probe}",
            "/api/v1/credits/ledger?cursor={probe}",
            "/api/v1/posts/{probe}/events?lastEventId={probe}");

    @LocalServerPort int port;
    @Autowired JdbcClient jdbc;
    IdentityClient client;

    @BeforeEach
    void setUp() {
        client = new IdentityClient(port);
    }

    @Test
    void sqlInjectionProbesOnFiltersAreRefusedOrMatchNothingAndNeverFail() {
        String token = "Bearer " + TestApi.accessToken(port);
        long users = jdbc.sql("SELECT count(*) FROM users").query(Long.class).single();
        for (String filter : FILTERS) {
            for (String probe : PROBES) {
                String path = filter.replace("{probe}", URLEncoder.encode(probe, StandardCharsets.UTF_8));
                HttpResponse<String> response = client.get(path, token);
                assertThat(response.statusCode()).as(path + " -> " + response.body()).isIn(200, 400, 404);
                // the probe itself may be echoed in "instance"; what must never show is data or internals
                assertThat(response.body()).as(path).doesNotContain("$2a$", "PSQLException", "org.postgresql", "BadSqlGrammar", "at dev.crosspost");
                if (response.statusCode() == 200 && path.contains("platform=")) {
                    assertThat(client.body(response).get("data")).as(path).isEmpty();
                }
            }
        }
        assertThat(jdbc.sql("SELECT count(*) FROM users").query(Long.class).single()).isEqualTo(users);
        assertThat(jdbc.sql("SELECT to_regclass('posts') IS NOT NULL").query(Boolean.class).single()).isTrue();
    }

    @Test
    void oversizedBodiesAre413BeforeAnythingReadsThem() {
        String huge = "{\"text\":\"" + "x".repeat(2 * 1024 * 1024) + "\",\"targets\":[{\"platform\":\"bluesky\"}]}";
        HttpResponse<String> response = client.send(TestApi.request(port, "/api/v1/posts").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(huge)));
        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(client.body(response).get("code").asString()).isEqualTo("payload_too_large");

        HttpResponse<String> login = client.postJson("/api/v1/auth/login", "{\"email\":\"a@b.c\",\"password\":\"" + "p".repeat(2 * 1024 * 1024) + "\"}", null);
        assertThat(login.statusCode()).isEqualTo(413);
    }

    @Test
    void headerValuesCannotInjectResponseHeadersOrRedirects() throws Exception {
        String response = raw("GET /app HTTP/1.1\r\nHost: evil.example\r\nX-Request-Id: abc%0d%0aSet-Cookie:%20pwned=1\r\nConnection: close\r\n\r\n");
        String head = response.substring(0, response.indexOf("\r\n\r\n"));
        assertThat(head).startsWith("HTTP/1.1 302");
        assertThat(head).doesNotContain("pwned", "evil.example", "%0d%0a");
        assertThat(head).containsPattern("(?im)^Location: /login\\r?$");

        String api = raw("GET /api/v1/posts HTTP/1.1\r\nHost: localhost\r\nX-Request-Id: " + "\u00e9vil" + "\r\nAuthorization: Bearer x\r\n y\r\nConnection: close\r\n\r\n");
        String apiHead = api.substring(0, api.indexOf("\r\n\r\n"));
        assertThat(apiHead).matches("(?s)HTTP/1.1 (400|401).*");
        assertThat(apiHead).doesNotContain("\u00e9vil");
    }

    @Test
    void aControlCharacterInAHeaderIsRefusedByTheFirewall() throws Exception {
        // byte 0x85 reaches the app as U+0085 (a C1 control): the firewall refuses the request when a filter reads it
        String head = raw("GET /api/v1/posts HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer a\u0085b\r\nConnection: close\r\n\r\n");
        assertThat(head).startsWith("HTTP/1.1 400");
        String fine = raw("GET /api/v1/posts HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer a\u00e9b\r\nConnection: close\r\n\r\n");
        assertThat(fine).startsWith("HTTP/1.1 401");
    }

    private String raw(String request) throws Exception {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }
}
