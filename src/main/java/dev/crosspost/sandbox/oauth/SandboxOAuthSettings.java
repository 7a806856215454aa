package dev.crosspost.sandbox.oauth;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;
import java.util.Set;

/**
 * The simulated authorization servers under {@code crosspost.sandbox.oauth.*}.
 *
 * @param codeTtl how long an authorization code can be exchanged (X documents 30 s)
 * @param deny platforms whose authorize page declines ({@code error=access_denied}) from startup
 */
@ConfigurationProperties("crosspost.sandbox.oauth")
record SandboxOAuthSettings(
        @NotNull @DurationMin(seconds = 1) @DurationMax(minutes = 10) @DefaultValue("30s") Duration codeTtl,
        @NotNull @DefaultValue Set<@Pattern(regexp = "x|tiktok|pinterest|youtube|instagram", message = "must be an OAuth platform") String> deny) {

    @SuppressWarnings("ConstantValue") // binders and callers may still pass null
    SandboxOAuthSettings {
        deny = deny == null ? Set.of() : Set.copyOf(deny);
    }
}
