package dev.crosspost.dashboard;

import dev.crosspost.accounts.Accounts;
import dev.crosspost.media.AssetView;
import dev.crosspost.media.Assets;
import dev.crosspost.publishing.NewPost;
import dev.crosspost.publishing.PostView;
import dev.crosspost.publishing.Posts;
import dev.crosspost.publishing.Priority;
import dev.crosspost.publishing.adapter.MediaRef;
import dev.crosspost.support.CrosspostIntegrationTest;
import dev.crosspost.support.TestApi;
import dev.crosspost.system.CrosspostException;
import dev.crosspost.system.Workspaces;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The second round of dashboard pages over plain HTTP: the site root, the campaigns and credits pages, the post's
 * media with thumbnails, and OAuth connects started from the dashboard coming back to it.
 */
@CrosspostIntegrationTest
@ActiveProfiles("sandbox-e2e")
class DashboardCampaignPagesIntegrationTests {

    private static final UUID WS = Workspaces.SANDBOX;

    @LocalServerPort int port;
    @Autowired Accounts accounts;
    @Autowired Assets assets;
    @Autowired Posts posts;

    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(TestApi.request(port, path).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A request as the owner's browser makes it after leaving the platform: no sign-in header. */
    private HttpResponse<String> anonymous(String pathAndQuery) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String location(HttpResponse<?> response) {
        return response.headers().firstValue("Location").orElseThrow();
    }

    @Test
    void theSiteRootOpensTheDashboard() throws Exception {
        HttpResponse<String> root = get("/");
        assertThat(root.statusCode()).isEqualTo(302);
        assertThat(location(root)).endsWith("/app");
        // without a session the dashboard asks for sign-in first
        assertThat(location(anonymous("/"))).contains("/login");
    }

    @Test
    void theCampaignAndCreditsPagesOfferTheirForms() throws Exception {
        HttpResponse<String> list = get("/app/campaigns");
        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(list.body()).contains("id=\"campaign-upload\"", "<label for=\"campaign-file\">", "<progress id=\"upload-bar\"",
                "/dashboard/campaigns.js", "aria-current=\"page\"");

        UUID id = UUID.randomUUID();
        HttpResponse<String> one = get("/app/campaigns/" + id);
        assertThat(one.statusCode()).isEqualTo(200);
        assertThat(one.body()).contains("data-campaign=\"" + id + "\"", "/api/v1/campaigns/" + id + "/export", "Validation report");
        HttpResponse<String> bad = get("/app/campaigns/not-a-uuid");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("id: &#39;not-a-uuid&#39; is not a valid value").doesNotContain("Exception");

        HttpResponse<String> credits = get("/app/credits");
        assertThat(credits.statusCode()).isEqualTo(200);
        assertThat(credits.body()).contains("data-balance", "Ledger");
    }

    @Test
    void aConnectStartedFromTheDashboardComesBackToTheAccountsPage() throws Exception {
        String hint = "dash" + UUID.randomUUID().toString().substring(0, 6);
        HttpResponse<String> start = http.send(TestApi.request(port, "/app/accounts/connect/x").header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(start.statusCode()).isEqualTo(302);
        URI authorize = URI.create(location(start));
        HttpResponse<String> approved = anonymous(authorize.getRawPath() + "?" + authorize.getRawQuery() + "&login_hint=" + hint);
        String callback = location(approved);
        String callbackPath = callback.substring(callback.indexOf("/api/"));

        HttpResponse<String> back = anonymous(callbackPath);
        assertThat(back.statusCode()).as(back.body()).isEqualTo(303);
        assertThat(location(back)).isEqualTo("/app/accounts?connected=x");
        assertThat(accounts.list(WS)).anySatisfy(a -> {
            assertThat(a.platform()).isEqualTo("x");
            assertThat(a.status()).isEqualTo("connected");
            assertThat(a.handle() + " " + a.externalId()).contains(hint);
        });
        assertThat(get("/app/accounts?connected=x").body()).contains("Connected the x account.");

        // the state was used up: the same callback again is the API's problem, not a redirect
        HttpResponse<String> again = anonymous(callbackPath);
        assertThat(again.statusCode()).isEqualTo(400);
        assertThat(again.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/problem+json");

        // a refusal at the platform also comes back, with our error code, never the platform's text
        URI second = URI.create(location(http.send(TestApi.request(port, "/app/accounts/connect/x").POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString())));
        HttpResponse<String> denied = anonymous(second.getRawPath() + "?" + second.getRawQuery() + "&deny=true");
        HttpResponse<String> refused = anonymous(location(denied).substring(location(denied).indexOf("/api/")));
        assertThat(refused.statusCode()).isEqualTo(303);
        assertThat(location(refused)).startsWith("/app/accounts?oauth_error=").matches("/app/accounts\\?oauth_error=[a-z_]+");
        HttpResponse<String> page = get(location(refused));
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("Could not connect the account");
    }

    @Test
    void onlyDashboardPathsAreTakenAsReturnPaths() {
        for (String target : List.of("https://evil.example/app", "//evil.example/app", "/app//evil.example", "/login", "/app\\evil",
                "/app/accounts\r\nSet-Cookie: x=1", "/apps")) {
            assertThatThrownBy(() -> accounts.connect(WS, "x", target)).as(target)
                    .isInstanceOfSatisfying(CrosspostException.class, e -> assertThat(e.kind()).isEqualTo(CrosspostException.Kind.INVALID));
        }
        assertThat(accounts.returnPath(accounts.connect(WS, "x", "/app/accounts").state())).contains("/app/accounts");
        assertThat(accounts.returnPath(accounts.connect(WS, "x").state())).isEmpty();
        assertThat(accounts.returnPath("no-such-state")).isEmpty();
    }

    @Test
    void thePostPageShowsItsMediaWithThumbnails() throws Exception {
        BufferedImage image = new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB);
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(image, "png", png);
        AssetView asset = assets.store(WS, new ByteArrayInputStream(png.toByteArray()), "image/png", "product.png");
        PostView post = posts.create(new NewPost(WS, null, "with a picture", List.of(new MediaRef("asset:" + asset.id(), "image/png", asset.sizeBytes())),
                List.of(new NewPost.Target("acme", "acct-media")), null, Priority.NOW));

        HttpResponse<String> page = get("/app/posts/" + post.id());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("Media and renditions", "/api/v1/assets/" + asset.id() + "/content", "64×48", "original");
        HttpResponse<String> thumbnail = get("/api/v1/assets/" + asset.id() + "/content");
        assertThat(thumbnail.statusCode()).isEqualTo(200);
        assertThat(thumbnail.headers().firstValue("Content-Type").orElseThrow()).isEqualTo("image/png");

        // another workspace's asset in a post's media is not shown as an asset (nor its bytes served)
        AssetView foreign = assets.store(UUID.randomUUID(), new ByteArrayInputStream(png.toByteArray()), "image/png", "theirs.png");
        PostView borrowing = posts.create(new NewPost(WS, null, "borrowing", List.of(new MediaRef("asset:" + foreign.id(), "image/png", 1)),
                List.of(new NewPost.Target("acme", "acct-media")), null, Priority.NOW));
        assertThat(get("/app/posts/" + borrowing.id()).body()).contains("remote medium").doesNotContain(foreign.id() + "/content");
        assertThat(get("/api/v1/assets/" + foreign.id() + "/content").statusCode()).isEqualTo(404);
    }
}
