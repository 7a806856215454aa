package dev.crosspost.system;

import dev.crosspost.system.config.StrongSecret;
import jakarta.validation.constraints.NotBlank;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Secrets under {@code crosspost.security.*}. Outside {@code prod} a missing key is generated once and kept in
 * the data dir; under {@code prod} each must be set and strong.
 *
 * @param encryptionKey base64 of 32 random bytes; encrypts platform tokens at rest (AES-256-GCM)
 * @param jwtSecret HMAC key that signs access tokens
 */
@ConfigurationProperties("crosspost.security")
public record SecuritySettings(
        @Nullable @NotBlank(groups = SystemSettings.ProdChecks.class, message = "must be set in prod") @StrongSecret(groups = SystemSettings.ProdChecks.class) String encryptionKey,
        @Nullable @NotBlank(groups = SystemSettings.ProdChecks.class, message = "must be set in prod") @StrongSecret(groups = SystemSettings.ProdChecks.class) String jwtSecret) {

    @Override
    public String toString() {
        return "SecuritySettings[secrets hidden]";
    }
}
