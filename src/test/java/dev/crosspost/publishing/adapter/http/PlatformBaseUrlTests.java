package dev.crosspost.publishing.adapter.http;

import dev.crosspost.publishing.PlatformsSettings;
import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

import java.util.Map;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

class PlatformBaseUrlTests {

    private final PlatformsSettings noBaseUrls = new PlatformsSettings(Map.of());

    @Test
    void theSimulatorsUrlFollowsTheConfiguredPortUntilTheAppListensThenKeepsTheListeningPort() {
        MockEnvironment env = new MockEnvironment().withProperty("server.port", "0");
        Supplier<String> url = PlatformBaseUrl.of(noBaseUrls, env, "x", "/sandbox/x");

        assertThat(url.get()).isEqualTo("http://127.0.0.1:0/sandbox/x");

        env.setProperty("local.server.port", "41234");
        assertThat(url.get()).isEqualTo("http://127.0.0.1:41234/sandbox/x");

        // kept: the port never changes once the server listens, and the lookup is not made per call any more
        env.setProperty("local.server.port", "1");
        assertThat(url.get()).isEqualTo("http://127.0.0.1:41234/sandbox/x");
    }
}
