package dev.crosspost.intake.internal;

import dev.crosspost.system.CrosspostException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A small Google Sheets v4 client for a service account: mints an RS256-signed JWT, trades it for an access token
 * (JWT bearer grant, no refresh token: a new JWT when it expires), reads a range and writes ranges in one atomic
 * batch with {@code valueInputOption=RAW}, so nothing we write is ever parsed as a formula. It keeps under a
 * per-minute request budget itself and, on 429 or 5xx, backs off exponentially (honouring {@code Retry-After})
 * up to {@code maxRetries}.
 */
public class SheetsClient {

    private static final Logger log = LoggerFactory.getLogger(SheetsClient.class);
    static final String SCOPE = "https://www.googleapis.com/auth/spreadsheets";

    /** Sheets refused or could not be reached; {@code status} is Google's error status, e.g. {@code NOT_FOUND}. */
    public static final class SheetsFailed extends CrosspostException {
        private final String status;

        SheetsFailed(Kind kind, String status, String message) {
            super(kind, "sheets_" + status.toLowerCase(java.util.Locale.ROOT), message);
            this.status = status;
        }

        public String status() {
            return status;
        }
    }

    /** One range to write and its rows. */
    public record Write(String range, List<List<String>> values) {
    }

    /** Pauses between retries; tests replace it so they never sleep. */
    @FunctionalInterface
    interface Pause {
        void sleep(Duration duration) throws InterruptedException;
    }

    private final Supplier<String> baseUrl;
    private final Supplier<String> tokenUrl;
    private final String clientEmail;
    private final PrivateKey key;
    private final int maxRetries;
    private final int perMinute;
    private final Duration timeout;
    private final HttpClient http;
    private final JsonMapper json;
    private final Clock clock;
    private final Pause pause;
    private @Nullable String accessToken;
    private Instant tokenExpires = Instant.EPOCH;
    private long budgetMinute = -1;
    private int budgetUsed;

    SheetsClient(Supplier<String> baseUrl, Supplier<String> tokenUrl, String clientEmail, PrivateKey key, int maxRetries, int perMinute,
                 Duration timeout, JsonMapper json, Clock clock, Pause pause) {
        this.baseUrl = baseUrl;
        this.tokenUrl = tokenUrl;
        this.clientEmail = clientEmail;
        this.key = key;
        this.maxRetries = maxRetries;
        this.perMinute = perMinute;
        this.timeout = timeout;
        this.json = json;
        this.clock = clock;
        this.pause = pause;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    /** Reads a range as rows of formatted cell text (Google omits trailing empty cells and rows). */
    public List<List<String>> read(String spreadsheetId, String range) {
        JsonNode body = call(() -> HttpRequest.newBuilder(URI.create(baseUrl.get() + "/v4/spreadsheets/" + path(spreadsheetId) + "/values/"
                + path(range) + "?majorDimension=ROWS&valueRenderOption=FORMATTED_VALUE")).GET());
        List<List<String>> rows = new ArrayList<>();
        for (JsonNode row : body.path("values")) {
            List<String> cells = new ArrayList<>();
            row.forEach(c -> cells.add(c.isNull() ? "" : c.asString()));
            rows.add(cells);
        }
        return rows;
    }

    /** Writes every range in one request, which Google applies atomically. */
    public void write(String spreadsheetId, List<Write> writes) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("valueInputOption", "RAW");
        body.put("data", writes.stream().map(w -> Map.of("range", w.range(), "values", w.values())).toList());
        byte[] bytes = json.writeValueAsBytes(body);
        call(() -> HttpRequest.newBuilder(URI.create(baseUrl.get() + "/v4/spreadsheets/" + path(spreadsheetId) + "/values:batchUpdate"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(bytes)));
    }

    private JsonNode call(Supplier<HttpRequest.Builder> request) {
        for (int attempt = 0; ; attempt++) {
            takeBudget();
            HttpResponse<String> response = send(request.get().header("Authorization", "Bearer " + token()).timeout(timeout).build());
            int status = response.statusCode();
            if (status == 200) {
                return json.readTree(response.body());
            }
            if (status == 401 && attempt == 0) {
                accessToken = null; // revoked or expired early: mint a new JWT once
                continue;
            }
            JsonNode error = parse(response.body()).path("error");
            String googleStatus = error.path("status").asString("HTTP_" + status);
            String message = error.path("message").asString("HTTP " + status);
            if ((status == 429 || status >= 500) && attempt < maxRetries) {
                Duration wait = backoff(attempt, response);
                log.info("Sheets answered {} {}; retrying in {} ms", status, googleStatus, wait.toMillis());
                sleep(wait);
                continue;
            }
            CrosspostException.Kind kind = status == 429 ? CrosspostException.Kind.RATE_LIMITED
                    : status == 404 ? CrosspostException.Kind.NOT_FOUND
                    : status >= 500 ? CrosspostException.Kind.UNAVAILABLE : CrosspostException.Kind.UNPROCESSABLE;
            throw new SheetsFailed(kind, googleStatus, "Google Sheets: " + message);
        }
    }

    /** Exponential from 1 s (Google's advice for 429), or the server's Retry-After when it sends one. */
    private static Duration backoff(int attempt, HttpResponse<String> response) {
        var retryAfter = response.headers().firstValue("Retry-After");
        if (retryAfter.isPresent() && retryAfter.get().matches("[0-9]{1,5}")) {
            return Duration.ofSeconds(Long.parseLong(retryAfter.get()));
        }
        return Duration.ofMillis(Math.min(64_000, 1000L << Math.min(attempt, 6)));
    }

    /** Keeps this node under the per-minute budget by waiting for the next minute instead of collecting 429s. */
    private synchronized void takeBudget() {
        Instant now = clock.instant();
        long minute = now.getEpochSecond() / 60;
        if (minute != budgetMinute) {
            budgetMinute = minute;
            budgetUsed = 0;
        }
        if (budgetUsed >= perMinute) {
            sleep(Duration.ofSeconds(60 - now.getEpochSecond() % 60));
            budgetMinute = clock.instant().getEpochSecond() / 60;
            budgetUsed = 0;
        }
        budgetUsed++;
    }

    private synchronized String token() {
        Instant now = clock.instant();
        if (accessToken != null && now.isBefore(tokenExpires.minusSeconds(60))) {
            return accessToken;
        }
        String form = "grant_type=" + URLEncoder.encode("urn:ietf:params:oauth:grant-type:jwt-bearer", StandardCharsets.UTF_8)
                + "&assertion=" + URLEncoder.encode(assertion(now), StandardCharsets.UTF_8);
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(tokenUrl.get())).timeout(timeout)
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)).build());
        JsonNode body = parse(response.body());
        if (response.statusCode() != 200 || !body.hasNonNull("access_token")) {
            throw new SheetsFailed(CrosspostException.Kind.UNPROCESSABLE, "UNAUTHENTICATED", "Google refused the service account: "
                    + body.path("error").asString("HTTP " + response.statusCode()) + " " + body.path("error_description").asString(""));
        }
        accessToken = body.get("access_token").asString();
        tokenExpires = now.plusSeconds(body.path("expires_in").asLong(3600));
        return accessToken;
    }

    /** The signed JWT: {@code {"alg":"RS256","typ":"JWT"}} and the claims of platforms.md §10. */
    String assertion(Instant now) {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", clientEmail);
        claims.put("scope", SCOPE);
        claims.put("aud", tokenUrl.get()); // Google's audience is its token endpoint itself
        claims.put("iat", now.getEpochSecond());
        claims.put("exp", now.getEpochSecond() + 3600);
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String signingInput = b64.encodeToString("{\"alg\":\"RS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(json.writeValueAsBytes(claims));
        try {
            Signature rsa = Signature.getInstance("SHA256withRSA");
            rsa.initSign(key);
            rsa.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + b64.encodeToString(rsa.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign the service-account JWT", e);
        }
    }

    /** Reads a PKCS#8 PEM private key as found in a service account's JSON key file. */
    static PrivateKey privateKey(String pem) {
        String base64 = pem.replace("\\n", "\n").replaceAll("-----(BEGIN|END) PRIVATE KEY-----", "").replaceAll("\\s", "");
        try {
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("crosspost.intake.sheets.private-key is not a PKCS#8 PEM RSA key", e);
        }
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new SheetsFailed(CrosspostException.Kind.UNAVAILABLE, "UNAVAILABLE", "Google Sheets could not be reached");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SheetsFailed(CrosspostException.Kind.UNAVAILABLE, "UNAVAILABLE", "interrupted");
        }
    }

    private void sleep(Duration duration) {
        try {
            pause.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SheetsFailed(CrosspostException.Kind.UNAVAILABLE, "UNAVAILABLE", "interrupted");
        }
    }

    private JsonNode parse(String body) {
        try {
            JsonNode node = json.readTree(body);
            return node == null ? json.createObjectNode() : node;
        } catch (RuntimeException e) {
            return json.createObjectNode();
        }
    }

    private static String path(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
