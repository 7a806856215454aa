package dev.crosspost.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one way tests build requests to the app's own API, so that signing in is added in one place: every request
 * built here acts for the demo user, whose workspace is {@code Workspaces.SANDBOX}. At first use per port it signs
 * in as the demo user and makes an API key with every scope; an API key does not expire, so tests that move the
 * app's clock forward keep working.
 */
public final class TestApi {

    public static final String DEMO_EMAIL = "demo@crosspost.local";
    public static final String DEMO_PASSWORD = "crosspost-demo";

    private static final Map<Integer, String> KEYS = new ConcurrentHashMap<>();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Pattern FIELD = Pattern.compile("\"(accessToken|key)\"\\s*:\\s*\"([^\"]+)\"");

    private TestApi() {
    }

    public static URI uri(int port, String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    /** A request to {@code path} on the app at {@code port}, acting for the demo user. */
    public static HttpRequest.Builder request(int port, String path) {
        return HttpRequest.newBuilder(uri(port, path)).header("X-API-Key", KEYS.computeIfAbsent(port, TestApi::mintKey));
    }

    /** Signs in as the demo user and returns a fresh access token (for tests of tokens themselves). */
    public static String accessToken(int port) {
        return field(post(port, "/api/v1/auth/login", "{\"email\":\"" + DEMO_EMAIL + "\",\"password\":\"" + DEMO_PASSWORD + "\"}", null), "accessToken");
    }

    private static String mintKey(int port) {
        String token = accessToken(port);
        return field(post(port, "/api/v1/api-keys", "{\"name\":\"tests\",\"scopes\":[\"read\",\"write\",\"admin\"]}", token), "key");
    }

    private static String post(int port, String path, String json, String bearer) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri(port, path)).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.ofString(json));
        if (bearer != null) {
            builder.header("Authorization", "Bearer " + bearer);
        }
        try {
            HttpResponse<String> response = HTTP.send(builder.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                throw new IllegalStateException("signing in the demo user failed: " + path + " answered " + response.statusCode() + " " + response.body());
            }
            return response.body();
        } catch (IOException e) {
            throw new IllegalStateException("cannot reach the app on port " + port, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String field(String json, String name) {
        Matcher m = FIELD.matcher(json);
        while (m.find()) {
            if (m.group(1).equals(name)) {
                return m.group(2);
            }
        }
        throw new IllegalStateException("no " + name + " in " + json.replaceAll("cp_(live|rt)_[A-Za-z0-9_-]+", "****"));
    }
}
