package dev.crosspost.accounts.internal;

import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Account connections under {@code crosspost.accounts.*}.
 *
 * @param previousEncryptionKeys older keys (base64 of 32 bytes) still accepted for decryption until
 *         {@code POST /api/v1/accounts/rotate-keys} has re-encrypted everything under the current key
 * @param platforms OAuth endpoints and client credentials per platform; a platform without {@code client-id} uses the
 *         sandbox authorization server (when the sandbox is enabled)
 * @param stateTtl how long an authorization may take from connect to callback
 * @param refresh when tokens are refreshed and how failures are retried
 * @param bluesky Bluesky sessions
 * @param rotationBatchSize rows re-encrypted per transaction by a key rotation
 * @param httpTimeout the most one call to a platform's token endpoint may take
 */
@ConfigurationProperties("crosspost.accounts")
record AccountsSettings(
        @DefaultValue List<@NotNull @Base64Key String> previousEncryptionKeys,
        @DefaultValue Map<@Pattern(regexp = PLATFORMS, message = "must be one of x, instagram, youtube, tiktok, pinterest") String,
                @Valid @NotNull Platform> platforms,
        @NotNull @DurationMin(minutes = 1) @DurationMax(hours = 1) @DefaultValue("10m") Duration stateTtl,
        @Valid @NotNull @DefaultValue Refresh refresh,
        @Valid @NotNull @DefaultValue Bluesky bluesky,
        @Min(1) @Max(10_000) @DefaultValue("100") int rotationBatchSize,
        @NotNull @DurationMin(seconds = 1) @DurationMax(minutes = 2) @DefaultValue("15s") Duration httpTimeout) {

    static final String PLATFORMS = "x|instagram|youtube|tiktok|pinterest";

    @SuppressWarnings("ConstantValue") // binders and callers may still pass null
    AccountsSettings {
        previousEncryptionKeys = previousEncryptionKeys == null ? List.of() : List.copyOf(previousEncryptionKeys);
        platforms = platforms == null ? Map.of() : Map.copyOf(platforms);
    }

    /** The configured platform, or one with nothing set (the sandbox, when enabled). */
    Platform platform(String name) {
        return platforms.getOrDefault(name, Platform.UNSET);
    }

    @Override
    public String toString() {
        return "AccountsSettings[platforms=" + platforms.keySet() + ", previousEncryptionKeys=" + previousEncryptionKeys.size() + " hidden]";
    }

    /**
     * One OAuth platform. Any URL left unset takes the platform's real endpoint once {@code client-id} is set.
     *
     * @param clientId the app's client id ({@code client_key} on TikTok); unset means the sandbox server
     * @param clientSecret the app's secret; X may omit it (public client), the others need it
     * @param scopes scopes to request; unset means the ones publishing needs
     * @param revokeUrl where tokens are revoked on disconnect; platforms without one are only forgotten
     * @param refreshUrl Instagram's {@code refresh_access_token}; the others refresh at {@code token-url}
     * @param exchangeUrl Instagram's short- to long-lived exchange ({@code ig_exchange_token})
     * @param identityUrl where the account's id and handle are read after connecting
     */
    record Platform(@Nullable String authorizeUrl, @Nullable String tokenUrl, @Nullable String clientId,
                    @Nullable String clientSecret, @Nullable List<String> scopes, @Nullable String revokeUrl,
                    @Nullable String refreshUrl, @Nullable String exchangeUrl, @Nullable String identityUrl) {

        static final Platform UNSET = new Platform(null, null, null, null, null, null, null, null, null);

        boolean configured() {
            return clientId != null && !clientId.isBlank();
        }

        @Override
        public String toString() {
            return "Platform[clientId=" + clientId + ", clientSecret=" + (clientSecret == null ? "unset" : "****") + "]";
        }
    }

    @AssertTrue(message = "client-secret must be set with client-id (only x may be a public client)")
    boolean isEverySecretGiven() {
        return platforms.entrySet().stream().allMatch(e -> !e.getValue().configured() || e.getKey().equals("x")
                || (e.getValue().clientSecret() != null && !e.getValue().clientSecret().isBlank()));
    }

    /**
     * When refresh runs: at {@code lifetimeFraction} of the token's lifetime, but at least {@code minBeforeExpiry}
     * before it expires. A refresh the platform could not answer (5xx, 429, network) is retried after
     * {@code retryDelay}, doubling up to {@code maxRetryDelay}, without touching the account's status.
     *
     * @param expirySkew a token that expires within this is refreshed before it is handed out
     */
    record Refresh(@DecimalMin("0.1") @DecimalMax("0.95") @DefaultValue("0.8") double lifetimeFraction,
                   @NotNull @DurationMin(seconds = 0) @DurationMax(hours = 1) @DefaultValue("1m") Duration minBeforeExpiry,
                   @NotNull @DurationMin(seconds = 1) @DefaultValue("30s") Duration retryDelay,
                   @NotNull @DurationMin(seconds = 1) @DurationMax(days = 1) @DefaultValue("30m") Duration maxRetryDelay,
                   @NotNull @DurationMin(seconds = 0) @DurationMax(minutes = 10) @DefaultValue("1m") Duration expirySkew) {
    }

    /** @param defaultPds the PDS used when a login names none; unset means the sandbox (or https://bsky.social without it) */
    record Bluesky(@Nullable String defaultPds) {
    }
}
