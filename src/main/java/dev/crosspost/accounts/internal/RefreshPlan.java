package dev.crosspost.accounts.internal;

import org.jspecify.annotations.Nullable;

import java.time.Duration;
import java.time.Instant;

/** When to refresh a token, and how long to wait after a refresh the platform could not answer. */
record RefreshPlan(AccountsSettings.Refresh settings) {

    /**
     * At {@code lifetimeFraction} of the lifetime, but at least {@code minBeforeExpiry} before expiry, and never in
     * the past; null when the token cannot be refreshed or never expires.
     */
    @Nullable Instant refreshAt(Instant issuedAt, @Nullable Duration lifetime, boolean refreshable) {
        if (!refreshable || lifetime == null) {
            return null;
        }
        Instant atFraction = issuedAt.plusMillis((long) (lifetime.toMillis() * settings.lifetimeFraction()));
        Instant latest = issuedAt.plus(lifetime).minus(settings.minBeforeExpiry());
        Instant at = atFraction.isAfter(latest) ? latest : atFraction;
        return at.isBefore(issuedAt) ? issuedAt : at;
    }

    /** Exponential: {@code retryDelay}, doubling per consecutive failure, capped at {@code maxRetryDelay}. */
    Duration retryDelay(int failures) {
        Duration delay = settings.retryDelay();
        for (int i = 1; i < failures && delay.compareTo(settings.maxRetryDelay()) < 0; i++) {
            delay = delay.multipliedBy(2);
        }
        return delay.compareTo(settings.maxRetryDelay()) > 0 ? settings.maxRetryDelay() : delay;
    }

    /** Whether a token is expired or so close to it that it would die in flight. */
    boolean expiring(@Nullable Instant expiresAt, Instant now) {
        return expiresAt != null && !expiresAt.isAfter(now.plus(settings.expirySkew()));
    }
}
