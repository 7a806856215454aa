package dev.crosspost.identity;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;

/** Plain HTTP to the app for identity tests, which sign in by themselves (unlike every other test). */
final class IdentityClient {

    final int port;
    final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();
    final JsonMapper json = JsonMapper.builder().build();

    IdentityClient(int port) {
        this.port = port;
    }

    /** A signed-in user with its own workspace. */
    record User(String email, String password, String accessToken, String refreshToken, UUID workspaceId) {
        String bearer() {
            return "Bearer " + accessToken;
        }
    }

    HttpRequest.Builder to(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(30));
    }

    HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    HttpResponse<String> postJson(String path, String body, @Nullable String authorization) {
        HttpRequest.Builder b = to(path).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return send(b);
    }

    HttpResponse<String> get(String path, @Nullable String authorization) {
        HttpRequest.Builder b = to(path).GET();
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return send(b);
    }

    JsonNode body(HttpResponse<String> response) {
        return json.readTree(response.body());
    }

    User register() {
        String email = "user-" + UUID.randomUUID() + "@example.com";
        String password = "correct horse battery";
        HttpResponse<String> r = postJson("/api/v1/auth/register", credentials(email, password), null);
        if (r.statusCode() != 201) {
            throw new IllegalStateException(r.statusCode() + " " + r.body());
        }
        JsonNode b = body(r);
        return new User(email, password, b.get("accessToken").asString(), b.get("refreshToken").asString(),
                UUID.fromString(b.get("user").get("workspaceId").asString()));
    }

    static String credentials(String email, String password) {
        return "{\"email\":\"" + email + "\",\"password\":\"" + password + "\"}";
    }
}
