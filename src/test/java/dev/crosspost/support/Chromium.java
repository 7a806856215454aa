package dev.crosspost.support;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import com.microsoft.playwright.options.AriaRole;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Debian's chromium driven by Playwright (whose own browser download cannot work here) for a test class, and the dashboard's sign-in. */
public final class Chromium implements BeforeAllCallback, AfterAllCallback {

    /** The default test user, once sign-in exists; in single-user mode /app opens without it. */
    public static final String EMAIL = "demo@crosspost.local";
    public static final String PASSWORD = "crosspost-demo";

    private final double patienceMs;
    private @Nullable Playwright playwright;
    private @Nullable Browser browser;

    /** Register as a static {@code @RegisterExtension} field: one browser per test class. Assertions wait up to {@code patienceMs}. */
    public Chromium(double patienceMs) {
        this.patienceMs = patienceMs;
    }

    /**
     * Headless /usr/bin/chromium (.ci/run installs it), without the sandbox it cannot have as root, and Playwright
     * told never to download a browser (the surefire run sets this too; here it also holds from an IDE).
     */
    @Override
    public void beforeAll(ExtensionContext context) {
        playwright = Playwright.create(new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        PlaywrightAssertions.setDefaultAssertionTimeout(patienceMs);
        browser = playwright.chromium().launch(new BrowserType.LaunchOptions()
                .setExecutablePath(Paths.get("/usr/bin/chromium"))
                .setArgs(List.of("--no-sandbox", "--headless", "--disable-gpu", "--disable-quic", "--no-first-run",
                        "--disable-background-networking", "--disable-component-update", "--disable-sync")));
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (browser != null) {
            browser.close();
        }
        if (playwright != null) {
            playwright.close();
        }
    }

    public Browser browser() {
        return java.util.Objects.requireNonNull(browser, "the browser starts before the test class");
    }

    /** Opens {@code path}; when the app asks for sign-in, signs in as the default test user and comes back to it. */
    public static void open(Page page, String base, String path) {
        page.navigate(base + path);
        if (page.url().contains("/login")) {
            page.locator("input[name=email]").fill(EMAIL);
            page.locator("input[name=password]").fill(PASSWORD);
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in")).click();
            page.waitForURL(Pattern.compile(".*/app.*"));
            if (!page.url().endsWith(path)) {
                page.navigate(base + path);
            }
        }
    }
}
