package dev.crosspost.accounts.internal;

import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The calls made to authorization servers: form posts, JSON posts and GETs, with a timeout. A reply that is an error
 * becomes {@link PlatformRefused} (4xx) or {@link PlatformUnavailable} (408, 429, 5xx, network, unreadable body);
 * nothing here logs a request or response, since both carry secrets.
 */
@Component
class PlatformHttp {

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).followRedirects(HttpClient.Redirect.NEVER).build();
    private final JsonMapper json;
    private final Duration timeout;

    PlatformHttp(JsonMapper json, AccountsSettings settings) {
        this.json = json;
        this.timeout = settings.httpTimeout();
    }

    /** One request; build with {@link #form}, {@link #get} or {@link #json}. */
    static final class Call {
        private final String platform;
        private final String what;
        private final HttpRequest.Builder builder;

        private Call(String platform, String what, HttpRequest.Builder builder) {
            this.platform = platform;
            this.what = what;
            this.builder = builder;
        }

        Call basic(String user, @Nullable String password) {
            String pair = user + ":" + (password == null ? "" : password);
            builder.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
            return this;
        }

        Call bearer(String token) {
            builder.header("Authorization", "Bearer " + token);
            return this;
        }
    }

    Call form(String platform, String what, String url, Map<String, String> fields) {
        String body = fields.entrySet().stream().map(e -> enc(e.getKey()) + "=" + enc(e.getValue())).collect(Collectors.joining("&"));
        return new Call(platform, what, HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    Call get(String platform, String what, String url, Map<String, String> query) {
        return new Call(platform, what, HttpRequest.newBuilder(URI.create(withQuery(url, query)))
                .header("Accept", "application/json").GET());
    }

    /** A POST with a JSON body, or with no body at all when {@code body} is null (XRPC refreshSession). */
    Call json(String platform, String what, String url, @Nullable Object body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).header("Accept", "application/json");
        if (body == null) {
            b.POST(HttpRequest.BodyPublishers.noBody());
        } else {
            b.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)));
        }
        return new Call(platform, what, b);
    }

    /** Sends the call and returns its JSON body, or throws the platform's error in its own words. */
    JsonNode send(Call call) {
        JsonNode body = checked(call);
        if (body == null) {
            // a 2xx that is not JSON (a proxy's page, a truncated body): not an answer we can act on
            throw new PlatformUnavailable(call.platform + " answered the " + call.what + " with a body that is not JSON");
        }
        return body;
    }

    /** Sends the call and only checks that it succeeded (revocations may answer with an empty body). */
    void sendIgnoringBody(Call call) {
        checked(call);
    }

    private @Nullable JsonNode checked(Call call) {
        HttpResponse<String> response;
        try {
            response = http.send(call.builder.timeout(timeout).build(), HttpResponse.BodyHandlers.ofString());
        } catch (HttpTimeoutException e) {
            throw new PlatformUnavailable(call.platform + " did not answer the " + call.what + " within " + timeout.toSeconds() + "s");
        } catch (IOException e) {
            throw new PlatformUnavailable(call.platform + " could not be reached for the " + call.what + " (" + e.getClass().getSimpleName() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PlatformUnavailable(call.platform + " " + call.what + " was interrupted");
        }
        int status = response.statusCode();
        String raw = response.body() == null ? "" : response.body();
        JsonNode body = parse(raw);
        if (status == 408 || status == 429 || status >= 500) {
            throw new PlatformUnavailable(call.platform + " failed the " + call.what + " with HTTP " + status + ": "
                    + PlatformErrors.of(status, body, raw).describe());
        }
        if (status >= 300 || PlatformErrors.isError(body)) {
            PlatformErrors.PlatformError error = PlatformErrors.of(status, body, raw);
            throw new PlatformRefused(call.platform, error.code(), call.platform + " refused the " + call.what + ": " + error.describe(), status);
        }
        return body;
    }

    private @Nullable JsonNode parse(String raw) {
        if (raw.isBlank()) {
            return null;
        }
        try {
            return json.readTree(raw);
        } catch (JacksonException e) {
            return null;
        }
    }

    /** Name/value pairs in the order given, so URLs and bodies are deterministic. */
    static Map<String, String> params(String... namesAndValues) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i + 1 < namesAndValues.length; i += 2) {
            map.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        return map;
    }

    static String withQuery(String url, Map<String, String> query) {
        if (query.isEmpty()) {
            return url;
        }
        String q = query.entrySet().stream().map(e -> enc(e.getKey()) + "=" + enc(e.getValue()))
                .collect(Collectors.joining("&"));
        return url + (url.contains("?") ? "&" : "?") + q;
    }

    static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
