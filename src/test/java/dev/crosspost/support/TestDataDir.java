package dev.crosspost.support;

import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.test.context.support.TestPropertySourceUtils;

import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;

/**
 * Gives each test application context its own data dir (and so its own embedded PostgreSQL), and lifts the
 * request rate limits: every test acts as the demo user in shared contexts. A test class's own
 * {@code @TestPropertySource} still wins, so rate-limit tests can set tight limits.
 */
public class TestDataDir implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    private static final Map<String, Object> RELAXED_LIMITS = Map.of(
            "crosspost.identity.rate-limits.general.limit", "100000000",
            "crosspost.identity.rate-limits.ai.limit", "100000000",
            "crosspost.identity.rate-limits.uploads.limit", "100000000",
            "crosspost.identity.rate-limits.auth.limit", "100000000",
            "crosspost.identity.rate-limits.status.limit", "100000000");

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        var env = context.getEnvironment();
        MutablePropertySources sources = env.getPropertySources();
        if (env.getProperty("crosspost.data-dir") == null) {
            Path dir = Path.of("target", "test-data", UUID.randomUUID().toString()).toAbsolutePath();
            sources.addFirst(new MapPropertySource("test-data-dir", Map.of("crosspost.data-dir", dir.toString())));
        }
        MapPropertySource relaxed = new MapPropertySource("test-rate-limits", RELAXED_LIMITS);
        String inlined = TestPropertySourceUtils.INLINED_PROPERTIES_PROPERTY_SOURCE_NAME;
        if (sources.contains(inlined)) {
            sources.addAfter(inlined, relaxed);
        } else {
            sources.addFirst(relaxed);
        }
    }
}
