package dev.crosspost.sandbox;

import dev.crosspost.sandbox.simulator.SimulatorSupport;
import dev.crosspost.system.config.InvalidSettingsException.Violation;
import dev.crosspost.system.config.SettingsValidator;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import tools.jackson.databind.json.JsonMapper;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Sandbox settings: binding, defaults, validation, and the switch that removes the simulator. */
class SandboxSettingsTests {

    private static final Class<?>[] SIMULATOR = {SimulatedPlatforms.class, FaultInjector.class, PlatformController.class,
            SandboxAdminController.class, ConnectionDropFilter.class, SimulatorSupport.class};

    private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
            .withUserConfiguration(Settings.class)
            .withUserConfiguration(SIMULATOR)
            .withBean(Clock.class, Clock::systemUTC)
            .withBean(JsonMapper.class, () -> JsonMapper.builder().build());

    /** Binds the settings record as the app does. */
    @EnableConfigurationProperties(SandboxSettings.class)
    static class Settings {
    }

    @Test
    void unlistedPlatformsUseDefaultsAndListedOnesKeepTheirOtherDefaults() {
        runner.withPropertyValues("crosspost.sandbox.platforms.tiktok.quota-limit=5",
                        "crosspost.sandbox.platforms.tiktok.faults.error-rate=0.5")
                .run(context -> {
                    SandboxSettings settings = context.getBean(SandboxSettings.class);
                    assertThat(settings.enabled()).isTrue();
                    assertThat(settings.platform("x")).isEqualTo(SandboxSettings.PlatformSim.DEFAULTS);
                    var tiktok = settings.platform("tiktok");
                    assertThat(tiktok.quotaLimit()).isEqualTo(5);
                    assertThat(tiktok.quotaWindow()).isEqualTo(Duration.ofHours(1));
                    assertThat(tiktok.maxTextLength()).isEqualTo(5000);
                    assertThat(tiktok.faults().errorRate()).isEqualTo(0.5);
                    assertThat(tiktok.faults().hangMs()).isEqualTo(30_000);
                    assertThat(tiktok.faults().seed()).isEqualTo(42);
                });
    }

    @Test
    void simulatorIsOnByDefaultAndGoneWhenDisabled() {
        runner.run(context -> assertThat(context).hasSingleBean(SandboxRecords.class).hasSingleBean(PlatformController.class));
        runner.withPropertyValues("crosspost.sandbox.enabled=false").run(context -> assertThat(context)
                .doesNotHaveBean(SandboxRecords.class).doesNotHaveBean(PlatformController.class)
                .doesNotHaveBean(SandboxAdminController.class).doesNotHaveBean(ConnectionDropFilter.class)
                .doesNotHaveBean(SimulatorSupport.class));
    }

    @Test
    void defaultsAreValid() {
        assertThat(validate(Map.of("crosspost.sandbox.platforms.x.processing-time", "30s"))).isEmpty();
    }

    @Test
    void invalidPlatformSettingsAreNamed() {
        var violations = validate(Map.of(
                "crosspost.sandbox.platforms.x.quota-limit", "0",
                "crosspost.sandbox.platforms.x.quota-window", "0s",
                "crosspost.sandbox.platforms.x.processing-time", "-1s",
                "crosspost.sandbox.platforms.x.faults.error-rate", "1.5",
                "crosspost.sandbox.platforms.x.faults.latency-ms", "-1"));

        assertThat(violations).extracting(Violation::property).containsExactlyInAnyOrder(
                "crosspost.sandbox.platforms[x].quota-limit",
                "crosspost.sandbox.platforms[x].quota-window",
                "crosspost.sandbox.platforms[x].processing-time",
                "crosspost.sandbox.platforms[x].faults.error-rate",
                "crosspost.sandbox.platforms[x].faults.latency-ms");
    }

    private static java.util.List<Violation> validate(Map<String, Object> props) {
        var env = new StandardEnvironment();
        env.getPropertySources().addFirst(new MapPropertySource("test", props));
        return SettingsValidator.validate(env);
    }
}
