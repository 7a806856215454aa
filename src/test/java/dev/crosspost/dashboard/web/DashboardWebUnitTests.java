package dev.crosspost.dashboard.web;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneId;

import static org.assertj.core.api.Assertions.assertThat;

/** The small rules pages rely on: redirects stay inside the dashboard, times read the way people say them. */
class DashboardWebUnitTests {

    @Test
    void formsOnlyRedirectBackIntoTheDashboard() {
        assertThat(Redirects.back("/app/posts/42", "/app/dead-letters")).isEqualTo("redirect:/app/posts/42");
        assertThat(Redirects.back(null, "/app/dead-letters")).isEqualTo("redirect:/app/dead-letters");
        for (String evil : new String[] {"https://evil.example/app", "//evil.example/app", "/app//evil.example", "/app\\\\evil",
                "/application", "/api/v1/posts", "/app/posts\r\nSet-Cookie: x=1"}) {
            assertThat(Redirects.back(evil, "/app/dead-letters")).as(evil).isEqualTo("redirect:/app/dead-letters");
        }
    }

    @Test
    void timesAreShownInTheViewersZone() {
        Instant at = Instant.parse("2026-03-29T00:30:00Z");
        Viewer berlin = new Viewer(ZoneId.of("Europe/Berlin"), Instant.parse("2026-03-28T23:00:00Z"));

        assertThat(berlin.time(at)).isEqualTo("Sun 29 Mar 2026, 01:30");
        assertThat(berlin.input(at.plusSeconds(3600))).isEqualTo("2026-03-29T03:30");
        assertThat(berlin.relative(at)).isEqualTo("in 1 h");
        assertThat(berlin.relative(Instant.parse("2026-03-28T22:58:00Z"))).isEqualTo("2 min ago");
        assertThat(berlin.relative(null)).isEmpty();
    }
}
