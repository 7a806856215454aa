package dev.crosspost.trends;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import dev.crosspost.support.Chromium;
import dev.crosspost.support.CrosspostIntegrationTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

import java.nio.file.Paths;
import java.util.regex.Pattern;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

/**
 * The trends page in a real browser (Debian's chromium), on the same app as {@link TrendsApiTests}: its collector
 * reads the app's own Jetstream simulator. The top tag shows, the window links switch the panel, and the panel
 * refreshes itself without a reload.
 */
@CrosspostIntegrationTest
@TestPropertySource(properties = "crosspost.trends.enabled=true")
class TrendsBrowserTests {

    private static final double PATIENCE_MS = 60_000;

    @RegisterExtension
    static final Chromium chromium = new Chromium(PATIENCE_MS);

    @LocalServerPort
    int port;

    @Test
    void theTopTagLeadsAndTheWindowLinksSwitchThePanel() {
        try (BrowserContext context = chromium.browser().newContext(new Browser.NewContextOptions().setViewportSize(1280, 900))) {
            context.setDefaultTimeout(PATIENCE_MS);
            Page page = context.newPage();
            Chromium.open(page, "http://127.0.0.1:" + port, "/app/trends?window=15m");
            assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Trending on Bluesky"))).isVisible();

            // the collector may still be reading the sample: the panel refreshes itself every 10 s, without a reload
            Locator firstTag = page.locator("section[data-kind=tags] tbody tr").first();
            assertThat(firstTag).hasAttribute("data-key", "bluesky");
            assertThat(firstTag.locator("td").first()).hasText("#bluesky");
            assertThat(page.locator("[data-collector] .badge")).hasText("connected");
            page.waitForRequest(r -> r.url().contains("/app/trends?window=15m") && "true".equals(r.headers().get("hx-request")),
                    new Page.WaitForRequestOptions().setTimeout(15_000), () -> {
                    });

            Locator window = page.getByRole(AriaRole.NAVIGATION, new Page.GetByRoleOptions().setName("Window"));
            assertThat(window.getByRole(AriaRole.LINK, new Locator.GetByRoleOptions().setName("15m"))).hasAttribute("aria-current", "page");
            window.getByRole(AriaRole.LINK, new Locator.GetByRoleOptions().setName("24h")).click();
            page.waitForURL(Pattern.compile(".*/app/trends\\?window=24h$"));
            assertThat(window.getByRole(AriaRole.LINK, new Locator.GetByRoleOptions().setName("24h"))).hasAttribute("aria-current", "page");
            assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Hashtags, last 24h"))).isVisible();
            assertThat(page.locator("section[data-kind=tags] tbody tr").first()).hasAttribute("data-key", "bluesky");
            page.screenshot(new Page.ScreenshotOptions().setPath(Paths.get("target", "screenshots", "trends.png")).setFullPage(true));
        }
    }
}
