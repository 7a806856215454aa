package dev.crosspost.publishing.metrics;

import dev.crosspost.system.config.InvalidSettingsException.Violation;
import dev.crosspost.system.config.SettingsValidator;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code crosspost.metrics.*}: defaults, a platform's own read quota, and bad values named at start-up. */
class MetricsSettingsTests {

    @EnableConfigurationProperties(MetricsSettings.class)
    static class Settings {
    }

    @Test
    void defaultsAndAPlatformsOwnReadQuota() {
        new ApplicationContextRunner().withUserConfiguration(Settings.class)
                .withPropertyValues("crosspost.metrics.read-quotas.x.limit=15", "crosspost.metrics.read-quotas.x.period=15m")
                .run(context -> {
                    MetricsSettings s = context.getBean(MetricsSettings.class);
                    assertThat(s.enabled()).isTrue();
                    assertThat(s.interval()).isEqualTo(Duration.ofHours(1));
                    assertThat(s.maxAge()).isEqualTo(Duration.ofDays(30));
                    assertThat(s.firstDelay()).isEqualTo(Duration.ofMinutes(5));
                    assertThat(s.readQuota("x").limit()).isEqualTo(15);
                    assertThat(s.readQuota("x").period()).isEqualTo(Duration.ofMinutes(15));
                    assertThat(s.readQuota("tiktok")).isEqualTo(s.readQuota());
                });
    }

    @Test
    void defaultsAreValid() {
        assertThat(validate(Map.of()).stream().filter(v -> v.property().startsWith("crosspost.metrics"))).isEmpty();
    }

    @Test
    void invalidValuesAreNamed() {
        List<Violation> violations = validate(Map.of(
                "crosspost.metrics.interval", "10s",
                "crosspost.metrics.batch-size", "0",
                "crosspost.metrics.base-backoff", "2h",
                "crosspost.metrics.max-backoff", "1h",
                "crosspost.metrics.read-quota.limit", "0"));

        assertThat(violations).extracting(Violation::property).contains(
                "crosspost.metrics.interval", "crosspost.metrics.batch-size", "crosspost.metrics.backoff-ordered",
                "crosspost.metrics.read-quota.limit");
    }

    private static List<Violation> validate(Map<String, Object> props) {
        var env = new StandardEnvironment();
        env.getPropertySources().addFirst(new MapPropertySource("test", props));
        return SettingsValidator.validate(env);
    }
}
