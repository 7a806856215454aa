package dev.crosspost.accounts.internal;

import dev.crosspost.system.config.InvalidSettingsException.Violation;
import dev.crosspost.system.config.SettingsValidator;
import org.junit.jupiter.api.Test;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Bad account settings stop startup with every property named, like every other setting. */
class AccountsSettingsUnitTests {

    private static List<Violation> validate(Map<String, Object> props) {
        var env = new StandardEnvironment();
        env.getPropertySources().addFirst(new MapPropertySource("test", props));
        return SettingsValidator.validate(env);
    }

    @Test
    void defaultsAndAFullPlatformAreValid() {
        assertThat(validate(Map.of())).isEmpty();
        assertThat(validate(Map.of(
                "crosspost.accounts.platforms.pinterest.client-id", "1234",
                "crosspost.accounts.platforms.pinterest.client-secret", "s3cret",
                "crosspost.accounts.platforms.pinterest.scopes", "boards:read,pins:write",
                "crosspost.accounts.platforms.x.client-id", "public-client",
                "crosspost.accounts.previous-encryption-keys", AccountsIntegrationTestBase.KEY_A))).isEmpty();
    }

    @Test
    void everyBadValueIsNamedAndKeysAreNotShown() {
        var violations = validate(Map.of(
                "crosspost.accounts.platforms.tiktok.client-id", "key-without-secret",
                "crosspost.accounts.platforms.myspace.client-id", "x",
                "crosspost.accounts.previous-encryption-keys", "short-key",
                "crosspost.accounts.state-ttl", "2h",
                "crosspost.accounts.refresh.lifetime-fraction", "1.5"));

        assertThat(violations).extracting(Violation::property).containsExactlyInAnyOrder(
                "crosspost.accounts.every-secret-given", "crosspost.accounts.platforms<k>[myspace].<map key>",
                "crosspost.accounts.previous-encryption-keys[0].<list element>", "crosspost.accounts.state-ttl", "crosspost.accounts.refresh.lifetime-fraction");
        assertThat(violations).filteredOn(v -> v.property().startsWith("crosspost.accounts.previous"))
                .singleElement().satisfies(v -> assertThat(v.shownValue()).isEqualTo("'****'"));
    }
}
