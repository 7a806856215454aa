package dev.crosspost.identity;

import dev.crosspost.support.CrosspostIntegrationTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The dashboard's cookie session: sign-in page, cookie attributes, CSRF on cookie writes, logout, security headers. */
@CrosspostIntegrationTest
class SessionLoginIntegrationTests {

    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

    @LocalServerPort int port;
    IdentityClient client;

    @BeforeEach
    void setUp() {
        client = new IdentityClient(port);
    }

    /** A page load: the session cookie it set (if any) and the CSRF token in its form. */
    record Page(String cookie, String csrf, HttpResponse<String> response) {
    }

    @Test
    void theSignInPageIsAccessibleAndCarriesSecurityHeaders() {
        HttpResponse<String> page = client.get("/login", null);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("<label for=\"email\">", "name=\"email\"", "<label for=\"password\">", "name=\"password\"",
                ">Sign in</button>", "name=\"_csrf\"");
        assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(csp ->
                assertThat(csp).contains("default-src 'self'", "frame-ancestors 'none'", "object-src 'none'"));
        assertThat(page.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(page.headers().firstValue("Referrer-Policy")).hasValue("strict-origin-when-cross-origin");
        assertThat(page.headers().firstValue("X-Frame-Options")).hasValue("DENY");
        assertThat(page.headers().firstValue("Strict-Transport-Security")).as("HSTS only under prod").isEmpty();
        assertThat(client.get("/css/login.css", null).body()).contains("prefers-color-scheme: dark");
    }

    @Test
    void aWrongPasswordGoesBackToTheFormWithAnError() {
        Page login = load("/login", null);
        HttpResponse<String> post = form("/login", login.cookie(), "email=demo%40crosspost.local&password=nope-nope&_csrf=" + enc(login.csrf()));
        assertThat(post.statusCode()).isEqualTo(302);
        assertThat(post.headers().firstValue("Location").orElseThrow()).endsWith("/login?error");
        assertThat(client.send(client.to("/login?error").header("Cookie", login.cookie())).body()).contains("role=\"alert\"", "Email or password is wrong.");
    }

    @Test
    void signingInSetsAHardenedSessionCookieThatTheApiAcceptsWithCsrfForWrites() {
        IdentityClient.User user = client.register();
        Page login = load("/login", null);
        HttpResponse<String> post = form("/login", login.cookie(),
                "email=" + enc(user.email()) + "&password=" + enc(user.password()) + "&_csrf=" + enc(login.csrf()));
        assertThat(post.statusCode()).isEqualTo(302);
        assertThat(post.headers().firstValue("Location").orElseThrow()).endsWith("/app");
        String setCookie = post.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(setCookie).contains("HttpOnly", "SameSite=Lax").doesNotContain("Secure");
        String session = setCookie.substring(0, setCookie.indexOf(';'));
        assertThat(session).as("a new session id after sign-in").isNotEqualTo(login.cookie());

        HttpResponse<String> me = client.send(client.to("/api/v1/auth/me").header("Cookie", session));
        assertThat(me.statusCode()).isEqualTo(200);
        assertThat(client.body(me).get("email").asString()).isEqualTo(user.email());

        String post1 = "{\"text\":\"from the dashboard\",\"targets\":[{\"platform\":\"bluesky\"}],\"publishAt\":\"2099-01-01T09:00\",\"timezone\":\"UTC\"}";
        HttpResponse<String> noToken = client.send(client.to("/api/v1/posts").header("Cookie", session)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(post1)));
        assertThat(noToken.statusCode()).isEqualTo(403);
        assertThat(client.body(noToken).get("code").asString()).isEqualTo("csrf_failed");

        String csrf = load("/login", session).csrf();
        HttpResponse<String> withToken = client.send(client.to("/api/v1/posts").header("Cookie", session).header("X-CSRF-TOKEN", csrf)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(post1)));
        assertThat(withToken.statusCode()).as(withToken.body()).isEqualTo(201);

        HttpResponse<String> logout = form("/logout", session, "_csrf=" + enc(csrf));
        assertThat(logout.statusCode()).isEqualTo(302);
        assertThat(logout.headers().firstValue("Location").orElseThrow()).endsWith("/login?logout");
        assertThat(client.send(client.to("/api/v1/auth/me").header("Cookie", session)).statusCode()).isEqualTo(401);
    }

    @Test
    void bearerCallsNeedNoCsrfToken() {
        IdentityClient.User user = client.register();
        HttpResponse<String> created = client.postJson("/api/v1/posts",
                "{\"text\":\"machine\",\"targets\":[{\"platform\":\"bluesky\"}],\"publishAt\":\"2099-01-01T09:00\",\"timezone\":\"UTC\"}", user.bearer());
        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(created.headers().firstValue("Set-Cookie")).as("token calls make no session: %s", created.headers().allValues("Set-Cookie")).isEmpty();
    }

    private Page load(String path, String cookie) {
        HttpRequest.Builder request = client.to(path);
        if (cookie != null) {
            request.header("Cookie", cookie);
        }
        HttpResponse<String> response = client.send(request);
        Matcher m = CSRF.matcher(response.body());
        assertThat(m.find()).as(response.body()).isTrue();
        String setCookie = response.headers().firstValue("Set-Cookie").orElse(cookie);
        return new Page(setCookie == null ? "" : setCookie.split(";")[0], m.group(1), response);
    }

    private HttpResponse<String> form(String path, String cookie, String body) {
        return client.send(client.to(path).header("Cookie", cookie).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
