package dev.crosspost.system;

import dev.crosspost.system.config.InvalidSettingsException.Violation;
import dev.crosspost.system.config.SettingsValidator;
import org.junit.jupiter.api.Test;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class SettingsValidatorUnitTests {

    private static List<Violation> validate(Map<String, Object> props, String... profiles) {
        var env = new StandardEnvironment();
        env.getPropertySources().addFirst(new MapPropertySource("test", props));
        env.setActiveProfiles(profiles);
        return SettingsValidator.validate(env);
    }

    private static List<String> names(List<Violation> violations) {
        return violations.stream().map(Violation::property).toList();
    }

    @Test
    void defaultsAreValid() {
        assertThat(validate(Map.of())).isEmpty();
    }

    @Test
    void everyInvalidPropertyIsNamedAtOnce() {
        var violations = validate(Map.of(
                "crosspost.database.pool-size", "0",
                "crosspost.shutdown.grace", "forever",
                "crosspost.log.format", "xml",
                "crosspost.database.url", "mysql://db/crosspost"));

        assertThat(names(violations)).containsExactly(
                "crosspost.database.pool-size", "crosspost.database.url", "crosspost.log.format", "crosspost.shutdown.grace");
        assertThat(violations).extracting(Violation::reason).allSatisfy(r -> assertThat(r).isNotBlank());
        assertThat(violations.get(3).reason()).contains("Duration");
        assertThat(violations.get(3).shownValue()).isEqualTo("'forever'");
    }

    @Test
    void graceAboveTenMinutesIsRefused() {
        assertThat(names(validate(Map.of("crosspost.shutdown.grace", "2h")))).containsExactly("crosspost.shutdown.grace");
    }

    @Test
    void prodRefusesWeakSecretsHttpCallbacksAndAMissingEncryptionKey() {
        var violations = validate(Map.of(
                "crosspost.security.jwt-secret", "changeme",
                "crosspost.public-base-url", "http://crosspost.example.com"), "prod");

        assertThat(names(violations)).containsExactlyInAnyOrder(
                "crosspost.security.jwt-secret", "crosspost.public-base-url", "crosspost.security.encryption-key");
        assertThat(violations).filteredOn(v -> v.property().endsWith("jwt-secret"))
                .singleElement().satisfies(v -> assertThat(v.shownValue()).isEqualTo("'****'"));
    }

    @Test
    void prodRefusesLongPlaceholderSecrets() {
        var violations = validate(Map.of(
                "crosspost.security.jwt-secret", "this-is-my-test-secret-but-it-is-long-enough",
                "crosspost.security.encryption-key", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
                "crosspost.public-base-url", "https://crosspost.example.com"), "prod");
        assertThat(names(violations)).containsExactlyInAnyOrder("crosspost.security.jwt-secret", "crosspost.security.encryption-key");
    }

    @Test
    void prodAcceptsStrongSecretsAndHttps() {
        var violations = validate(Map.of(
                "crosspost.security.jwt-secret", "q8Jd0vN2xLr5Tz9WmK4yHc7Bp1Fs6Ge3Ua",
                "crosspost.security.encryption-key", "3mZ9yQk1Xr7Vb2Nw5Lp8Hd4Jc6Gt0Fs+Ea1Ku2Oi3Ye=",
                "crosspost.public-base-url", "https://crosspost.example.com"), "prod");
        assertThat(violations).isEmpty();
    }

    @Test
    void weakSecretsPassOutsideProd() {
        assertThat(validate(Map.of("crosspost.security.jwt-secret", "changeme"))).isEmpty();
    }
}
