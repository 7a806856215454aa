package dev.crosspost.accounts.internal;

import dev.crosspost.accounts.AccountNeedsReconnect;
import dev.crosspost.accounts.AccountStatus;
import dev.crosspost.system.CrosspostException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * Refreshes one account's tokens under a row lock, so two nodes (or the job and a publish) never spend the same
 * rotating refresh token twice. A refusal ({@code invalid_grant}, revoked, {@code ExpiredToken}) moves the account to
 * {@code reconnect_required} and publishes {@link AccountNeedsReconnect}; a platform that cannot answer leaves the
 * account as it is, to be tried again.
 */
@Component
class TokenRefresher {

    private static final Logger log = LoggerFactory.getLogger(TokenRefresher.class);

    /** When to call the platform. */
    enum Mode {
        /** The job: only once {@code refresh_at} has come. */
        WHEN_PLANNED,
        /** Before handing out a token: only when it is expiring. */
        WHEN_EXPIRING,
        /** Always. */
        NOW
    }

    /** What a refresh came to. */
    sealed interface Outcome {
        /** New tokens are stored; refresh again at {@code next} (null: nothing left to refresh). */
        record Refreshed(@Nullable Instant next) implements Outcome {
        }

        /** Not due yet, or someone else refreshed first; the next refresh is at {@code at}. */
        record NotDue(Instant at) implements Outcome {
        }

        /** The platform could not answer; the account is unchanged. */
        record RetryLater(String reason) implements Outcome {
        }

        /** Nothing to refresh: the account is gone, disconnected, or now needs a reconnect. */
        record Ended() implements Outcome {
        }
    }

    private final AccountStore store;
    private final TokenCipher cipher;
    private final PlatformClients platforms;
    private final ApplicationEventPublisher events;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final RefreshPlan plan;

    TokenRefresher(AccountStore store, TokenCipher cipher, PlatformClients platforms, ApplicationEventPublisher events,
                   TransactionTemplate tx, Clock clock, AccountsSettings settings) {
        this.store = store;
        this.cipher = cipher;
        this.platforms = platforms;
        this.events = events;
        this.tx = tx;
        this.clock = clock;
        this.plan = new RefreshPlan(settings.refresh());
    }

    Outcome refresh(UUID accountId, Mode mode) {
        return Objects.requireNonNull(tx.execute(status -> refreshLocked(accountId, mode)));
    }

    private Outcome refreshLocked(UUID accountId, Mode mode) {
        StoredAccount account = store.lock(accountId).orElse(null);
        if (account == null || account.status() != AccountStatus.CONNECTED) {
            return new Outcome.Ended();
        }
        Instant now = clock.instant();
        if (mode == Mode.WHEN_PLANNED) {
            if (account.refreshAt() == null) {
                // a stale job (the account was reconnected without anything to refresh): nothing to do
                return new Outcome.Ended();
            }
            if (account.refreshAt().isAfter(now)) {
                return new Outcome.NotDue(account.refreshAt());
            }
        }
        if (mode == Mode.WHEN_EXPIRING && !plan.expiring(account.expiresAt(), now)) {
            // someone refreshed it while we waited for the lock
            return account.refreshAt() != null ? new Outcome.NotDue(account.refreshAt()) : new Outcome.Ended();
        }
        Credentials current;
        try {
            current = platforms.credentials(account, cipher);
        } catch (TokenCipher.Undecryptable e) {
            // a configuration problem (a key removed too early), not the owner's: keep the account, keep trying
            log.error("Cannot refresh {} account {}: {}", account.platform(), account.id(), e.getMessage());
            return new Outcome.RetryLater(e.getMessage());
        }
        TokenGrant grant;
        try {
            grant = platforms.refresh(account, current, now);
        } catch (PlatformRefused e) {
            needsReconnect(account, e.reason(), now);
            return new Outcome.Ended();
        } catch (PlatformUnavailable e) {
            log.warn("Refreshing {} account {} failed for now: {}", account.platform(), account.id(), e.getMessage());
            return new Outcome.RetryLater(e.getMessage());
        } catch (CrosspostException e) {
            // the platform is no longer configured (client id removed, sandbox off): an operator fix, keep the account
            log.error("Cannot refresh {} account {}: {}", account.platform(), account.id(), e.getMessage());
            return new Outcome.RetryLater(e.getMessage());
        }
        AccountStore.SealedTokens sealed = seal(account.platform(), grant, now);
        store.saveRefreshed(account.id(), sealed, grant.scopes(), now);
        log.info("Refreshed the {} account {} ({}); next refresh at {}", account.platform(), account.id(), account.handle(), sealed.refreshAt());
        return new Outcome.Refreshed(sealed.refreshAt());
    }

    /** Encrypts a grant and works out its expiry and next refresh. */
    AccountStore.SealedTokens seal(String platform, TokenGrant grant, Instant now) {
        boolean refreshable = grant.refreshToken() != null || PlatformClients.refreshesAccessToken(platform);
        return new AccountStore.SealedTokens(cipher.encrypt(grant.accessToken()),
                grant.refreshToken() == null ? null : cipher.encrypt(grant.refreshToken()),
                grant.expiresIn() == null ? null : now.plus(grant.expiresIn()),
                grant.refreshExpiresIn() == null ? null : now.plus(grant.refreshExpiresIn()),
                plan.refreshAt(now, grant.expiresIn(), refreshable));
    }

    private void needsReconnect(StoredAccount account, String reason, Instant now) {
        if (store.markReconnectRequired(account.id(), reason, now)) {
            log.warn("The {} account {} ({}) needs to be reconnected: {}", account.platform(), account.id(), account.handle(), reason);
            events.publishEvent(new AccountNeedsReconnect(account.id(), account.workspaceId(), account.platform(), reason));
        }
    }

    RefreshPlan plan() {
        return plan;
    }
}
