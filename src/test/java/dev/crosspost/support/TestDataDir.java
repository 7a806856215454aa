package dev.crosspost.support;

import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;

import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;

/** Gives each test application context its own data dir (and so its own embedded PostgreSQL). */
public class TestDataDir implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        var env = context.getEnvironment();
        if (env.getProperty("crosspost.data-dir") == null) {
            Path dir = Path.of("target", "test-data", UUID.randomUUID().toString()).toAbsolutePath();
            env.getPropertySources().addFirst(new MapPropertySource("test-data-dir", Map.of("crosspost.data-dir", dir.toString())));
        }
    }
}
