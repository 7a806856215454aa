package dev.crosspost.identity;

import dev.crosspost.support.CrosspostIntegrationTest;
import dev.crosspost.support.TestApi;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.TestPropertySource;

import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The app as it runs in production ({@code prod} profile, strong secrets, an https base URL): no demo user, HSTS
 * on every response, a {@code Secure} session cookie, and no sandbox simulators. One context for all of it.
 */
@CrosspostIntegrationTest
@ActiveProfiles("prod")
@TestPropertySource(properties = {
        "crosspost.public-base-url=https://crosspost.example.com",
        "crosspost.security.jwt-secret=Vq3m9ZtY2pL8xKc4RwN7bHs1JdF6gTa0EuQyPiMoXvCl",
        "crosspost.security.encryption-key=3q1Yb2l8Pz0cF7nJm4kR9sT6vX5wA2dE8hG1jK0mN3o="})
class ProdProfileIntegrationTests {

    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

    @LocalServerPort int port;
    @Autowired JdbcClient jdbc;

    @Test
    void prodHasNoDemoUserSendsHstsSecuresTheCookieAndServesNoSandbox() {
        IdentityClient client = new IdentityClient(port);

        assertThat(jdbc.sql("SELECT count(*) FROM users").query(Long.class).single()).as("no demo user, nobody yet").isZero();
        HttpResponse<String> demo = client.postJson("/api/v1/auth/login",
                IdentityClient.credentials(TestApi.DEMO_EMAIL, TestApi.DEMO_PASSWORD), null);
        assertThat(demo.statusCode()).as(demo.body()).isEqualTo(401);

        IdentityClient.User first = client.register();
        assertThat(client.body(client.get("/api/v1/auth/me", first.bearer())).get("admin").asBoolean())
                .as("the first user to register is the admin").isTrue();

        HttpResponse<String> page = client.get("/login", null);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Strict-Transport-Security")).hasValueSatisfying(hsts ->
                assertThat(hsts).contains("max-age=31536000"));
        assertThat(client.get("/api/v1/posts", first.bearer()).headers().firstValue("Strict-Transport-Security")).isPresent();

        Matcher csrf = CSRF.matcher(page.body());
        assertThat(csrf.find()).isTrue();
        String anonymous = page.headers().firstValue("Set-Cookie").orElse("");
        HttpResponse<String> signIn = client.send(client.to("/login").header("Cookie", anonymous.split(";")[0])
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("email=" + enc(first.email()) + "&password=" + enc(first.password())
                        + "&_csrf=" + enc(csrf.group(1)))));
        assertThat(signIn.statusCode()).isEqualTo(302);
        assertThat(signIn.headers().firstValue("Location").orElseThrow()).endsWith("/app");
        assertThat(signIn.headers().firstValue("Set-Cookie").orElseThrow()).contains("Secure", "HttpOnly", "SameSite=Lax");

        // the open health endpoint names components and their status only; the signed-in System page has the details
        var health = client.body(client.get("/actuator/health", null));
        assertThat(health.get("components").get("db").get("status").asString()).isEqualTo("UP");
        assertThat(health.get("components").get("db").has("details")).isFalse();
        HttpResponse<String> system = client.send(client.to("/app/system")
                .header("Cookie", signIn.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0]).GET());
        assertThat(system.statusCode()).isEqualTo(200);
        assertThat(system.body()).contains("synchronousCommit", "fsync");

        for (String sandbox : List.of("/sandbox/oauth/x/authorize?client_id=a&redirect_uri=b&state=c", "/sandbox/x/2/users/1/tweets",
                "/sandbox/oauth/bluesky/xrpc/com.atproto.server.getSession")) {
            assertThat(client.get(sandbox, first.bearer()).statusCode()).as(sandbox).isEqualTo(404);
        }
        HttpResponse<String> tiktok = client.postJson("/sandbox/tiktok/v2/post/publish/creator_info/query/", "{}", first.bearer());
        assertThat(tiktok.statusCode()).isEqualTo(404);
        assertThat(client.body(client.get("/v3/api-docs", null)).get("paths").propertyNames())
                .as("no simulator in the API description").noneMatch(p -> p.startsWith("/sandbox"));
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
