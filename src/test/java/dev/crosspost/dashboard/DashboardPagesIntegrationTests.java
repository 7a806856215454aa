package dev.crosspost.dashboard;

import dev.crosspost.accounts.AccountView;
import dev.crosspost.accounts.Accounts;
import dev.crosspost.publishing.LocalSchedule;
import dev.crosspost.publishing.NewPost;
import dev.crosspost.publishing.PostView;
import dev.crosspost.publishing.Posts;
import dev.crosspost.publishing.Priority;
import dev.crosspost.publishing.Publications;
import dev.crosspost.support.CrosspostIntegrationTest;
import dev.crosspost.support.TestApi;
import dev.crosspost.system.Workspaces;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;

import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The dashboard's pages over plain HTTP: what each shows, that it acts only for the caller's workspace, and that
 * bad input gets a readable error page instead of a stack trace or problem JSON.
 */
@CrosspostIntegrationTest
@ActiveProfiles("sandbox-e2e")
class DashboardPagesIntegrationTests {

    @LocalServerPort int port;
    @Autowired Posts posts;
    @Autowired Publications publications;
    @Autowired Accounts accounts;

    private final HttpClient http = HttpClient.newHttpClient();
    private static final UUID WS = Workspaces.SANDBOX;

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(TestApi.request(port, path).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String form) throws Exception {
        return http.send(TestApi.request(port, path).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The composer's first checkbox value for the platform ({@code platform|account}). */
    private static String offered(String form, String platform) {
        var match = java.util.regex.Pattern.compile("value=\"(" + platform + "\\|[^\"]+)\"").matcher(form);
        assertThat(match.find()).as(platform + " is offered").isTrue();
        return match.group(1);
    }

    /** The post a redirect to {@code /app/posts/{id}} names. */
    private static UUID postIdIn(String location) {
        assertThat(location).matches(".*/app/posts/[0-9a-f-]{36}");
        return UUID.fromString(location.substring(location.lastIndexOf('/') + 1));
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private PostView scheduled(UUID workspace, String text, LocalDateTime at, ZoneId zone) {
        return posts.create(new NewPost(workspace, null, text, List.of(), List.of(new NewPost.Target("acme", "acct-acme")),
                LocalSchedule.resolve(at, zone), Priority.SCHEDULED));
    }

    @Test
    void theAppOpensOnThePostsPage() throws Exception {
        HttpResponse<String> home = get("/app");
        assertThat(home.statusCode()).isEqualTo(302);
        assertThat(home.headers().firstValue("Location").orElseThrow()).endsWith("/app/posts");

        HttpResponse<String> list = get("/app/posts");
        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(list.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html");
        assertThat(list.body()).contains("<a class=\"skip\" href=\"#main\">Skip to content</a>", "name=\"_csrf_header\"", "Sign out");
    }

    @Test
    void aPlatformChipOnThePostsPageSaysWhyItWaits() throws Exception {
        PostView post = scheduled(WS, "chip reason", LocalDate.now(ZoneId.of("UTC")).plusDays(20).atTime(9, 0), ZoneId.of("UTC"));
        String reason = post.publications().getFirst().waitingReason();
        assertThat(reason).startsWith("scheduled for ");

        assertThat(get("/app/posts").body()).contains("title=\"" + reason + "\"");
    }

    @Test
    void anotherWorkspacesPostAndPublicationsReadAsNotFound() throws Exception {
        PostView theirs = scheduled(UUID.randomUUID(), "their secret launch", LocalDateTime.now().plusDays(2), ZoneId.of("UTC"));
        UUID publication = theirs.publications().getFirst().id();

        for (String path : List.of("/app/posts/" + theirs.id(), "/app/posts/" + theirs.id() + "/publications",
                "/app/publications/" + publication)) {
            HttpResponse<String> page = get(path);
            assertThat(page.statusCode()).as(path).isEqualTo(404);
            assertThat(page.body()).as(path).contains("not found").doesNotContain("their secret launch");
        }
        assertThat(post("/app/dead-letters/" + publication + "/discard", "").statusCode()).isEqualTo(404);
        assertThat(post("/app/calendar/reschedule", "postId=" + theirs.id() + "&publishAt=2031-01-01T09:00").statusCode()).isEqualTo(404);
        assertThat(get("/app/calendar?date=" + LocalDate.now().plusDays(2)).body()).doesNotContain("their secret launch");
    }

    @Test
    void theComposerPublishesToThePickedAccountsAndSaysOnThePostWhatAPlatformWillRefuse() throws Exception {
        HttpResponse<String> form = get("/app/posts/new");
        assertThat(form.statusCode()).isEqualTo(200);
        assertThat(form.body()).contains("New post");
        assertThat(get("/app/posts").body()).contains("href=\"/app/posts/new\"");
        // each platform's connected account (another test may have connected one), else its sandbox account
        String x = offered(form.body(), "x");
        String bluesky = offered(form.body(), "bluesky");

        // 290 characters: over X's 280, within Bluesky's 300
        String text = ("Composed " + UUID.randomUUID() + " ").repeat(7).substring(0, 290);
        // the flash notice lives in the session the redirect starts, as a browser keeps it
        HttpClient browser = HttpClient.newBuilder().cookieHandler(new java.net.CookieManager()).build();
        HttpResponse<String> created = browser.send(TestApi.request(port, "/app/posts/new").header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("text=" + enc(text) + "&target=" + enc(x) + "&target=" + enc(bluesky)
                        + "&publishAt=")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(302);
        String location = created.headers().firstValue("Location").orElseThrow();
        UUID id = postIdIn(location);
        PostView post = posts.find(WS, id).orElseThrow();
        assertThat(post.text()).isEqualTo(text);
        assertThat(post.publications()).extracting(p -> p.platform() + "|" + p.accountId()).containsExactlyInAnyOrder(x, bluesky);

        String page = browser.send(TestApi.request(port, location).build(), HttpResponse.BodyHandlers.ofString()).body();
        assertThat(page).contains("Publishing now to 2 account(s).",
                "x will refuse it: X: the text is 290 characters long (URLs count 23); the limit is 280.", "The other accounts still get it.");
        await().atMost(Duration.ofSeconds(30)).until(() -> posts.find(WS, id).orElseThrow().summary().settled());
        assertThat(posts.find(WS, id).orElseThrow().publications()).extracting(p -> p.platform() + ":" + p.state())
                .containsExactlyInAnyOrder("x:failed", "bluesky:published");
    }

    @Test
    void theComposerSchedulesInTheViewersZoneAndSaysWhatIsMissing() throws Exception {
        String x = offered(get("/app/posts/new").body(), "x");
        HttpResponse<String> scheduled = post("/app/posts/new?tz=Europe/Berlin",
                "text=" + enc("Composed for later") + "&target=" + enc(x) + "&publishAt=2099-03-29T02:30");
        assertThat(scheduled.statusCode()).isEqualTo(302);
        PostView post = posts.find(WS, postIdIn(scheduled.headers().firstValue("Location").orElseThrow())).orElseThrow();
        // 02:30 does not exist that night in Berlin (the clocks skip an hour): it moves forward, as everywhere else
        assertThat(post.timezone()).isEqualTo("Europe/Berlin");
        assertThat(post.publishAt()).isEqualTo(java.time.Instant.parse("2099-03-29T01:30:00Z"));
        assertThat(post.publications()).singleElement().satisfies(p -> assertThat(p.state()).isEqualTo("scheduled"));

        for (var bad : java.util.Map.of(
                "text=&target=" + enc(x), "Write the post&#39;s text first.",
                "text=hello", "Pick at least one account to publish to.",
                "text=hello&target=" + enc("x|someone-elses-account"), "is not connected to this workspace",
                "text=hello&target=" + enc(x) + "&publishAt=2020-01-01T09:00", "is in the past").entrySet()) {
            HttpResponse<String> refused = post("/app/posts/new", bad.getKey());
            assertThat(refused.statusCode()).as(bad.getKey()).isEqualTo(400);
            assertThat(refused.body()).as(bad.getKey()).contains(bad.getValue(), "<form");
        }
        // what was typed stays in the form
        assertThat(post("/app/posts/new", "text=keep+me").body()).contains(">keep me</textarea>");
    }

    @Test
    void aDashboardAddressThatNamesNoPageGetsTheDashboardsNotFoundPage() throws Exception {
        HttpResponse<String> page = get("/app/postz");
        assertThat(page.statusCode()).isEqualTo(404);
        assertThat(page.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html");
        assertThat(page.body()).contains("there is no dashboard page at /app/postz", "href=\"/app/posts\"");
        // the pages and the dashboard's own files are still served
        assertThat(get("/app/posts").statusCode()).isEqualTo(200);
        assertThat(get("/dashboard/app.css").statusCode()).isEqualTo(200);
    }

    @Test
    void badInputGetsAnErrorPageThatSaysWhatIsWrong() throws Exception {
        HttpResponse<String> badId = get("/app/posts/not-a-uuid");
        assertThat(badId.statusCode()).isEqualTo(400);
        assertThat(badId.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html");
        assertThat(badId.body()).contains("id: &#39;not-a-uuid&#39; is not a valid value");

        HttpResponse<String> platform = get("/app/dead-letters?platform=myspace");
        assertThat(platform.statusCode()).isEqualTo(400);
        assertThat(platform.body()).contains("myspace", "is not configured");

        assertThat(get("/app/calendar?view=month").statusCode()).isEqualTo(400);
        assertThat(get("/app/posts?cursor=garbage").body()).contains("cursor is not one this API returned");

        HttpResponse<String> zone = get("/app/posts?tz=" + enc("<script>alert(1)</script>"));
        assertThat(zone.statusCode()).isEqualTo(200);
        assertThat(zone.body()).contains("data-zone=\"UTC\"").doesNotContain("<script>alert(1)");
    }

    @Test
    void theCalendarShowsScheduledPostsOnTheirDayInTheViewersZone() throws Exception {
        // 23:30 in Berlin is the next morning in Tokyo
        LocalDate day = LocalDate.now(ZoneId.of("Europe/Berlin")).plusDays(10);
        PostView post = scheduled(WS, "late-night drop", day.atTime(23, 30), ZoneId.of("Europe/Berlin"));

        HttpResponse<String> tokyo = get("/app/calendar?view=day&date=" + day.plusDays(1) + "&tz=Asia/Tokyo");
        assertThat(tokyo.body()).contains("late-night drop", ">07:30<", "data-post=\"" + post.id() + "\"", "Reschedule");
        assertThat(tokyo.headers().allValues("Set-Cookie")).anySatisfy(c -> assertThat(c).startsWith("tz=Asia/Tokyo"));

        HttpResponse<String> berlin = get("/app/calendar?view=day&date=" + day + "&tz=Europe/Berlin");
        assertThat(berlin.body()).contains("late-night drop", ">23:30<");
        assertThat(get("/app/calendar?view=day&date=" + day.plusDays(1) + "&tz=Europe/Berlin").body()).doesNotContain("late-night drop");
    }

    @Test
    void rescheduleFormsMoveOnlyToTheFuture() throws Exception {
        LocalDate day = LocalDate.now(ZoneId.of("UTC")).plusDays(12);
        PostView post = scheduled(WS, "move me", day.atTime(9, 0), ZoneId.of("UTC"));

        HttpResponse<String> past = post("/app/calendar/reschedule", "postId=" + post.id() + "&publishAt=2020-01-01T09:00&tz=UTC");
        assertThat(past.statusCode()).isEqualTo(302);
        assertThat(posts.find(WS, post.id()).orElseThrow().localTime()).isEqualTo(day.atTime(9, 0).toString());

        HttpResponse<String> moved = post("/app/calendar/reschedule", "postId=" + post.id() + "&publishAt=" + day + "T18:15&tz=Asia/Tokyo");
        assertThat(moved.statusCode()).isEqualTo(302);
        assertThat(moved.headers().firstValue("Location").orElseThrow()).contains("date=" + day);
        PostView after = posts.find(WS, post.id()).orElseThrow();
        assertThat(after.publishAt()).isEqualTo(day.atTime(18, 15).atZone(ZoneId.of("Asia/Tokyo")).toInstant());
        assertThat(after.publications().getFirst().nextAttemptAt()).isEqualTo(after.publishAt());
    }

    @Test
    void accountsAreConnectedAndDisconnectedFromTheirPage() throws Exception {
        String handle = "dash-" + UUID.randomUUID().toString().substring(0, 8);
        HttpResponse<String> connected = post("/app/accounts/bluesky", "identifier=" + handle + "&appPassword=abcd-efgh-ijkl-mnop");
        assertThat(connected.statusCode()).isEqualTo(302);
        AccountView account = accounts.list(WS).stream().filter(a -> a.handle() != null && a.handle().startsWith(handle)).findFirst()
                .orElseThrow();

        HttpResponse<String> page = get("/app/accounts");
        assertThat(page.body()).contains(account.handle(), "a-connected", "Connect x").doesNotContain("abcd-efgh-ijkl-mnop");

        HttpResponse<String> oauth = post("/app/accounts/connect/x", "");
        assertThat(oauth.statusCode()).isEqualTo(302);
        assertThat(oauth.headers().firstValue("Location").orElseThrow()).contains("/sandbox/oauth/x/authorize", "state=", "code_challenge=");
        assertThat(post("/app/accounts/connect/" + enc("X!"), "").statusCode()).isEqualTo(400);

        assertThat(post("/app/accounts/" + account.id() + "/disconnect", "").statusCode()).isEqualTo(302);
        assertThat(accounts.find(WS, account.id()).orElseThrow().status()).isEqualTo("disconnected");
        assertThat(post("/app/accounts/" + UUID.randomUUID() + "/disconnect", "").statusCode()).isEqualTo(404);
    }

    @Test
    void theSystemPageShowsQuotaUsePerAccount() throws Exception {
        PostView post = posts.create(new NewPost(WS, null, "counted", List.of(), List.of(new NewPost.Target("acme", "acct-quota")), null,
                Priority.NOW));
        UUID id = post.publications().getFirst().id();
        await().atMost(Duration.ofSeconds(30)).until(() -> publications.find(WS, id).orElseThrow().publication().state(), "published"::equals);

        HttpResponse<String> system = get("/app/system");

        assertThat(system.body()).contains("acct-quota: 1 of 1000 used", "data-component=\"db\"", "Circuit breaker");
        assertThat(get("/app/dead-letters?reason=" + enc("%")).body()).doesNotContain("data-id=");
    }
}
