package dev.crosspost.identity;

import dev.crosspost.media.internal.TestMedia;
import dev.crosspost.support.CrosspostIntegrationTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Tight limits: per-user and per-IP rate limits with their headers, brute-force lockout, and the CORS allowlist. */
@CrosspostIntegrationTest
@TestPropertySource(properties = {
        "crosspost.identity.rate-limits.general.limit=5",
        "crosspost.identity.rate-limits.general.period=1m",
        "crosspost.identity.rate-limits.auth.limit=30",
        "crosspost.identity.rate-limits.uploads.limit=3",
        "crosspost.identity.rate-limits.status.limit=300", // the default, which tests otherwise lift
        "crosspost.identity.lockout.max-failures=3",
        "crosspost.identity.cors.allowed-origins=https://app.example.com,https://*.example.org"})
class EdgeProtectionIntegrationTests {

    @LocalServerPort int port;
    IdentityClient client;

    @BeforeEach
    void setUp() {
        client = new IdentityClient(port);
    }

    @Test
    void eachUserHasItsOwnBucketReportedInHeadersAndThe429IsProblemJsonWithRetryAfter() {
        IdentityClient.User first = client.register();
        IdentityClient.User second = client.register();
        for (int i = 1; i <= 5; i++) {
            HttpResponse<String> ok = client.get("/api/v1/posts", first.bearer());
            assertThat(ok.statusCode()).isEqualTo(200);
            assertThat(ok.headers().firstValue("X-RateLimit-Limit")).hasValue("5");
            assertThat(ok.headers().firstValue("X-RateLimit-Remaining")).hasValue(Integer.toString(5 - i));
            assertThat(Long.parseLong(ok.headers().firstValue("X-RateLimit-Reset").orElseThrow())).isBetween(1L, 60L);
        }
        HttpResponse<String> limited = client.get("/api/v1/posts", first.bearer());
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/problem+json");
        assertThat(client.body(limited).get("code").asString()).isEqualTo("rate_limited");
        assertThat(Long.parseLong(limited.headers().firstValue("Retry-After").orElseThrow())).isBetween(1L, 60L);
        assertThat(limited.headers().firstValue("X-RateLimit-Remaining")).hasValue("0");

        assertThat(client.get("/api/v1/posts", second.bearer()).statusCode()).as("another user is not limited by the first").isEqualTo(200);
    }

    @Test
    void pollingARenderJobHasItsOwnLimitWhileTheWritesKeepTheirs() throws Exception {
        IdentityClient.User user = client.register();
        Path video = TestMedia.video(Files.createTempDirectory("edge-poll"), "poll.mp4", 160, 120, 2, 48000);
        HttpResponse<String> asset = client.send(client.to("/api/v1/assets").header("Authorization", user.bearer())
                .header("Content-Type", "video/mp4").POST(HttpRequest.BodyPublishers.ofFile(video)));
        assertThat(asset.statusCode()).as(asset.body()).isEqualTo(201);
        String renditions = "/api/v1/assets/" + client.body(asset).get("id").asString() + "/renditions";
        HttpResponse<String> accepted = client.postJson(renditions, "{\"platforms\":[\"x\"]}", user.bearer());
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        String job = accepted.headers().firstValue("Location").orElseThrow();

        // a client following Retry-After: 2 through a 10-minute render reads the job 300 times
        for (int i = 1; i <= 200; i++) {
            HttpResponse<String> poll = client.get(job, user.bearer());
            assertThat(poll.statusCode()).as("poll " + i + ": " + poll.body()).isEqualTo(200);
            assertThat(poll.headers().firstValue("X-RateLimit-Limit")).hasValue("300");
        }

        // the polls took nothing from the other classes, whose limits still hold
        HttpResponse<String> read = client.get("/api/v1/posts", user.bearer());
        assertThat(read.headers().firstValue("X-RateLimit-Remaining")).as("general, after 200 polls").hasValue("4");
        HttpResponse<String> write = client.send(client.to(job).header("Authorization", user.bearer()).DELETE());
        assertThat(write.headers().firstValue("X-RateLimit-Limit")).as("a write on the job's path is general").hasValue("5");
        assertThat(client.postJson(renditions, "{\"platforms\":[\"x\"]}", user.bearer()).statusCode()).as("third upload-class call").isEqualTo(202);
        HttpResponse<String> limited = client.postJson(renditions, "{\"platforms\":[\"x\"]}", user.bearer());
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(client.body(limited).get("detail").asString()).contains("uploads: 3 per");
    }

    @Test
    void anUploadIsCountedOnceHoweverManyChunksItTakes() throws Exception {
        IdentityClient.User user = client.register();
        byte[] bytes = new byte[8 * 1024];
        new java.util.Random(7).nextBytes(bytes);
        String start = "{\"sizeBytes\":" + bytes.length + ",\"filename\":\"big.bin\",\"contentType\":\"video/mp4\"}";
        HttpResponse<String> session = client.postJson("/api/v1/assets/uploads", start, user.bearer());
        assertThat(session.statusCode()).as(session.body()).isEqualTo(201);
        assertThat(session.headers().firstValue("X-RateLimit-Remaining")).as("uploads, after starting one").hasValue("2");
        String chunks = "/api/v1/assets/uploads/" + client.body(session).get("id").asString();

        // eight chunks, more than the class allows in a minute: none is counted or refused
        int size = bytes.length / 8;
        for (int from = 0; from < bytes.length; from += size) {
            int to = from + size;
            HttpResponse<String> put = client.send(client.to(chunks).header("Authorization", user.bearer())
                    .header("Content-Range", "bytes " + from + "-" + (to - 1) + "/" + bytes.length)
                    .PUT(HttpRequest.BodyPublishers.ofByteArray(java.util.Arrays.copyOfRange(bytes, from, to))));
            assertThat(put.statusCode()).as("chunk at " + from + ": " + put.body()).isNotEqualTo(429);
            assertThat(put.headers().firstValue("X-RateLimit-Limit")).as("chunks are not limited").isEmpty();
        }
        // reading its progress is a cheap read
        assertThat(client.get(chunks, user.bearer()).headers().firstValue("X-RateLimit-Limit")).hasValue("300");

        assertThat(client.postJson("/api/v1/assets/uploads", start, user.bearer()).statusCode()).isEqualTo(201);
        assertThat(client.postJson("/api/v1/assets/uploads", start, user.bearer()).statusCode()).isEqualTo(201);
        HttpResponse<String> fourth = client.postJson("/api/v1/assets/uploads", start, user.bearer());
        assertThat(fourth.statusCode()).as("a fourth new upload within the minute").isEqualTo(429);
        assertThat(client.body(fourth).get("detail").asString()).contains("uploads: 3 per");
    }

    @Test
    void anonymousCallsAreLimitedPerClientIp() {
        int limitedAt = -1;
        for (int i = 1; i <= 8 && limitedAt < 0; i++) {
            if (client.get("/api/v1/publications/stats", null).statusCode() == 429) {
                limitedAt = i;
            }
        }
        assertThat(limitedAt).as("the IP's bucket of 5 runs out").isBetween(1, 6);
    }

    @Test
    void repeatedWrongPasswordsLockTheEmailEvenForTheRightPassword() {
        IdentityClient.User user = client.register();
        for (int i = 0; i < 2; i++) {
            assertThat(client.postJson("/api/v1/auth/login", IdentityClient.credentials(user.email(), "wrong password"), null).statusCode()).isEqualTo(401);
        }
        HttpResponse<String> third = client.postJson("/api/v1/auth/login", IdentityClient.credentials(user.email(), "wrong password"), null);
        assertThat(third.statusCode()).isEqualTo(429);
        HttpResponse<String> right = client.postJson("/api/v1/auth/login", IdentityClient.credentials(user.email(), user.password()), null);
        assertThat(right.statusCode()).isEqualTo(429);
        assertThat(client.body(right).get("code").asString()).isEqualTo("login_locked");
        assertThat(Long.parseLong(right.headers().firstValue("Retry-After").orElseThrow())).isGreaterThan(60L);
        // other emails are not affected
        assertThat(client.postJson("/api/v1/auth/login", IdentityClient.credentials("other-" + UUID.randomUUID() + "@example.com", "wrong password"), null)
                .statusCode()).isEqualTo(401);
    }

    @Test
    void theSignInFormCountsEachWrongPasswordOnceAndShowsTheLock() {
        IdentityClient.User user = client.register();
        HttpResponse<String> page = client.get("/login", null);
        String cookie = page.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
        java.util.regex.Matcher csrf = java.util.regex.Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"").matcher(page.body());
        assertThat(csrf.find()).isTrue();
        String form = "email=" + java.net.URLEncoder.encode(user.email(), java.nio.charset.StandardCharsets.UTF_8)
                + "&password=wrong-password&_csrf=" + java.net.URLEncoder.encode(csrf.group(1), java.nio.charset.StandardCharsets.UTF_8);
        String[] expected = {"/login?error", "/login?error", "/login?locked"};
        for (String location : expected) {
            HttpResponse<String> post = client.send(client.to("/login").header("Cookie", cookie)
                    .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)));
            assertThat(post.statusCode()).isEqualTo(302);
            assertThat(post.headers().firstValue("Location").orElseThrow()).endsWith(location);
        }
        assertThat(client.send(client.to("/login?locked").header("Cookie", cookie)).body()).contains("Too many failed attempts");
    }

    @Test
    void corsPreflightsAnswerAllowedOriginsForADayAndRefuseLookAlikes() {
        for (String origin : new String[] {"https://app.example.com", "https://a.example.org", "https://a.b.example.org"}) {
            HttpResponse<String> ok = preflight(origin);
            assertThat(ok.statusCode()).as(origin).isEqualTo(200);
            assertThat(ok.headers().firstValue("Access-Control-Allow-Origin")).hasValue(origin);
            assertThat(ok.headers().firstValue("Access-Control-Max-Age")).hasValue("86400");
            assertThat(ok.headers().firstValue("Access-Control-Allow-Credentials")).isEmpty();
        }
        for (String origin : new String[] {"https://example.org", "https://evil-example.org", "https://example.org.evil.net",
                "http://a.example.org", "https://a.example.org:8443", "https://app.example.com.evil.net", "https://xapp.example.com", "null"}) {
            HttpResponse<String> refused = preflight(origin);
            assertThat(refused.statusCode()).as(origin).isEqualTo(403);
            assertThat(refused.headers().firstValue("Access-Control-Allow-Origin")).as(origin).isEmpty();
        }
        IdentityClient.User user = client.register();
        HttpResponse<String> actual = client.send(client.to("/api/v1/auth/me").header("Origin", "https://a.example.org").header("Authorization", user.bearer()));
        assertThat(actual.headers().firstValue("Access-Control-Allow-Origin")).hasValue("https://a.example.org");
        assertThat(actual.headers().firstValue("Access-Control-Expose-Headers").orElseThrow()).contains("X-RateLimit-Remaining", "Retry-After");
    }

    private HttpResponse<String> preflight(String origin) {
        return client.send(client.to("/api/v1/posts").header("Origin", origin).header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "authorization,content-type").method("OPTIONS", HttpRequest.BodyPublishers.noBody()));
    }
}
