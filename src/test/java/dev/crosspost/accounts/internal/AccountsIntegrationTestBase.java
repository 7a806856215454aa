package dev.crosspost.accounts.internal;

import dev.crosspost.support.TestApi;
import dev.crosspost.sandbox.oauth.SandboxOAuth;
import dev.crosspost.support.AppProcess;
import dev.crosspost.support.CrosspostIntegrationTest;
import dev.crosspost.support.ShiftedClock;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.modulith.test.EnableScenarios;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Base64;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole app on a fixed port, so that the public base URL (and so the OAuth redirect URI) points at it and the
 * simulated authorization servers' 302s land on our callback. Key B is current, key A is still accepted. Test
 * classes extending this share one context.
 */
@CrosspostIntegrationTest
@EnableScenarios
@TestPropertySource(properties = {
        "crosspost.security.encryption-key=" + AccountsIntegrationTestBase.KEY_B,
        "crosspost.accounts.previous-encryption-keys=" + AccountsIntegrationTestBase.KEY_A,
        "db-scheduler.polling-interval=100ms"})
@org.springframework.context.annotation.Import(ShiftedClock.AppClock.class)
abstract class AccountsIntegrationTestBase {

    static final String KEY_A = "q2Jd0vN2xLr5Tz9WmK4yHc7Bp1Fs6Ge3UaQ8Xw2Zk1M=";
    static final String KEY_B = "3mZ9yQk1Xr7Vb2Nw5Lp8Hd4Jc6Gt0Fs+Ea1Ku2Oi3Ye=";
    static final int PORT = freePort();

    @DynamicPropertySource
    static void fixedPort(DynamicPropertyRegistry registry) {
        registry.add("server.port", () -> PORT);
        registry.add("crosspost.public-base-url", () -> "http://127.0.0.1:" + PORT);
    }


    @Autowired ShiftedClock clock;
    @Autowired JdbcClient jdbc;
    @Autowired TokenCipher cipher;
    @Autowired SandboxOAuth sandbox;

    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    final JsonMapper json = JsonMapper.builder().build();

    static byte[] bytes(String base64) {
        return Base64.getDecoder().decode(base64);
    }

    // ---- HTTP

    HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    HttpRequest.Builder to(String pathOrUrl) {
        return pathOrUrl.startsWith("http") ? HttpRequest.newBuilder(URI.create(pathOrUrl)) : TestApi.request(PORT, pathOrUrl);
    }

    HttpResponse<String> post(String path) {
        return send(to(path).POST(HttpRequest.BodyPublishers.noBody()));
    }

    HttpResponse<String> postJson(String path, String body) {
        return send(to(path).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    HttpResponse<String> get(String pathOrUrl) {
        return send(to(pathOrUrl).GET());
    }

    JsonNode body(HttpResponse<String> response) {
        return json.readTree(response.body());
    }

    /** The owner's browser: opens the authorize URL (as {@code user}) and returns the 302's Location. */
    String approve(String authorizeUrl, @Nullable String user) {
        HttpResponse<String> page = get(authorizeUrl + (user == null ? "" : "&login_hint=" + user));
        assertThat(page.statusCode()).as(page.body()).isEqualTo(302);
        return page.headers().firstValue("Location").orElseThrow();
    }

    /** POST connect, approve at the simulated platform, follow the 302 to our callback: the callback's answer. */
    HttpResponse<String> connect(String platform, @Nullable String user) {
        HttpResponse<String> start = post("/api/v1/accounts/connect/" + platform);
        assertThat(start.statusCode()).as(start.body()).isEqualTo(200);
        String location = approve(body(start).path("authorizeUrl").asString(), user);
        assertThat(location).startsWith("http://127.0.0.1:" + PORT + "/api/v1/accounts/callback/" + platform + "?");
        return get(location);
    }

    /** A connected account's id, after the whole flow succeeded. */
    UUID connected(String platform, String user) {
        HttpResponse<String> callback = connect(platform, user);
        assertThat(callback.statusCode()).as(callback.body()).isEqualTo(200);
        assertThat(body(callback).path("status").asString()).isEqualTo("connected");
        return UUID.fromString(body(callback).path("id").asString());
    }

    UUID bluesky(String identifier) {
        HttpResponse<String> created = postJson("/api/v1/accounts/bluesky",
                "{\"identifier\":\"" + identifier + "\",\"appPassword\":\"abcd-efgh-ijkl-mnop\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return UUID.fromString(body(created).path("id").asString());
    }

    // ---- the stored row, decrypted

    String storedAccessToken(UUID id) {
        return cipher.decrypt(jdbc.sql("SELECT access_token FROM accounts WHERE id = :id").param("id", id).query(String.class).single());
    }

    @Nullable String storedRefreshToken(UUID id) {
        String sealed = jdbc.sql("SELECT refresh_token FROM accounts WHERE id = :id").param("id", id).query(String.class).optional().orElse(null);
        return sealed == null ? null : cipher.decrypt(sealed);
    }

    String status(UUID id) {
        return jdbc.sql("SELECT status FROM accounts WHERE id = :id").param("id", id).query(String.class).single();
    }

    static int freePort() {
        try {
            return AppProcess.freePort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
