package dev.crosspost.intake.internal;

import dev.crosspost.system.SystemSettings;
import dev.crosspost.system.config.StrongSecret;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

import java.time.Duration;

/**
 * Intake under {@code crosspost.intake.*}.
 *
 * @param webhookKey master key from which each campaign's inbound webhook secret is derived (HMAC-SHA256 of the
 *                   campaign id); unset, it is derived from {@code crosspost.security.jwt-secret} (required under
 *                   prod), else generated once under {@code data-dir/secrets}
 * @param webhookWindow how far a signed request's timestamp may be from now; its nonce is kept this long
 * @param webhookMaxBody the largest inbound webhook body
 * @param demo the demo campaign imported on the first start
 * @param sheets Google Sheets access
 */
@ConfigurationProperties("crosspost.intake")
public record IntakeSettings(
        @Nullable @StrongSecret(groups = SystemSettings.ProdChecks.class) String webhookKey,
        @NotNull @DurationMin(seconds = 30) @DurationMax(minutes = 15) @DefaultValue("5m") Duration webhookWindow,
        @NotNull @DefaultValue("1MB") DataSize webhookMaxBody,
        @Valid @DefaultValue Demo demo,
        @Valid @DefaultValue Sheets sheets) {

    /**
     * The demo campaign.
     *
     * @param enabled import the bundled products as a running campaign on a start with the sandbox on, no campaigns
     *                yet, and not under prod
     */
    public record Demo(@DefaultValue("true") boolean enabled) {
    }

    /**
     * Google Sheets via a service account (JWT bearer grant).
     *
     * @param baseUrl the Sheets API; unset means the built-in simulator at {@code /sandbox/sheets/v4}
     * @param tokenUrl the OAuth token endpoint; unset means the simulator's {@code /sandbox/sheets/token}
     * @param clientEmail the service account's email (the JWT's {@code iss})
     * @param privateKey the service account's RSA private key, PKCS#8 PEM as in its JSON key file
     * @param requestsPerMinute reads and writes per minute this node sends (Sheets allows 60 per user per minute)
     * @param maxRetries retries of a 429 or 5xx before a sync or write-back is given up for this round
     * @param httpTimeout time limit of each call
     */
    public record Sheets(@Nullable @Pattern(regexp = "https?://.+", message = "must be an http(s) URL") String baseUrl,
                         @Nullable @Pattern(regexp = "https?://.+", message = "must be an http(s) URL") String tokenUrl,
                         @Nullable String clientEmail,
                         @Nullable String privateKey,
                         @Min(1) @Max(300) @DefaultValue("60") int requestsPerMinute,
                         @Min(0) @Max(10) @DefaultValue("5") int maxRetries,
                         @NotNull @DurationMin(seconds = 1) @DurationMax(minutes = 5) @DefaultValue("20s") Duration httpTimeout) {
    }
}
