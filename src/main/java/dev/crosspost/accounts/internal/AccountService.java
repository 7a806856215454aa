package dev.crosspost.accounts.internal;

import dev.crosspost.accounts.AccountConnected;
import dev.crosspost.accounts.AccountStatus;
import dev.crosspost.accounts.AccountView;
import dev.crosspost.accounts.Accounts;
import dev.crosspost.accounts.AuthorizationCallback;
import dev.crosspost.accounts.AuthorizationStart;
import dev.crosspost.accounts.BlueskyLogin;
import dev.crosspost.accounts.KeyRotation;
import dev.crosspost.system.CrosspostException;
import dev.crosspost.system.CrosspostException.Kind;
import dev.crosspost.system.Cursors;
import dev.crosspost.system.Page;
import dev.crosspost.system.web.Problems;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * The connection flows. Platform calls happen outside transactions; what they return is written in one transaction
 * with the account's refresh job and its {@link AccountConnected} event.
 */
@Service
class AccountService implements Accounts {

    private static final Logger log = LoggerFactory.getLogger(AccountService.class);

    private final AccountStore store;
    private final OAuthStates states;
    private final TokenCipher cipher;
    private final PlatformClients platforms;
    private final PlatformEndpoints endpoints;
    private final TokenRefresher refresher;
    private final RefreshJobs jobs;
    private final KeyRotator rotator;
    private final AccountsSettings settings;
    private final ApplicationEventPublisher events;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final Cursors cursors;

    AccountService(AccountStore store, OAuthStates states, TokenCipher cipher, PlatformClients platforms, PlatformEndpoints endpoints,
                   TokenRefresher refresher, RefreshJobs jobs, KeyRotator rotator, AccountsSettings settings,
                   ApplicationEventPublisher events, TransactionTemplate tx, Clock clock, Cursors cursors) {
        this.cursors = cursors;
        this.store = store;
        this.states = states;
        this.cipher = cipher;
        this.platforms = platforms;
        this.endpoints = endpoints;
        this.refresher = refresher;
        this.jobs = jobs;
        this.rotator = rotator;
        this.settings = settings;
        this.events = events;
        this.tx = tx;
        this.clock = clock;
    }

    @Override
    public AuthorizationStart connect(UUID workspaceId, String platform) {
        return start(workspaceId, platform, null, null);
    }

    @Override
    public AuthorizationStart reconnect(UUID workspaceId, UUID accountId) {
        StoredAccount account = store.find(workspaceId, accountId).orElseThrow(() -> CrosspostException.notFound("account", accountId));
        return start(workspaceId, account.platform(), account.id(), null);
    }

    @Override
    public AuthorizationStart connect(UUID workspaceId, String platform, String returnTo) {
        return start(workspaceId, platform, null, OAuthStates.returnPath(returnTo));
    }

    @Override
    public AuthorizationStart reconnect(UUID workspaceId, UUID accountId, String returnTo) {
        String path = OAuthStates.returnPath(returnTo);
        StoredAccount account = store.find(workspaceId, accountId).orElseThrow(() -> CrosspostException.notFound("account", accountId));
        return start(workspaceId, account.platform(), account.id(), path);
    }

    @Override
    public Optional<String> returnPath(@Nullable String state) {
        return state == null || state.isBlank() || state.length() > 200 ? Optional.empty() : states.returnTo(state);
    }

    private AuthorizationStart start(UUID workspaceId, String platform, @Nullable UUID accountId, @Nullable String returnTo) {
        if (PlatformClients.BLUESKY.equals(platform)) {
            throw new CrosspostException(Kind.INVALID, "use_app_password",
                    "Bluesky accounts connect with an app password: POST /api/v1/accounts/bluesky {identifier, appPassword}");
        }
        OAuthPlatform protocol = platforms.oauth(platform);
        Endpoints e = platforms.endpoints(platform);
        Instant now = clock.instant();
        String state = Pkce.random(32);
        String verifier = Pkce.verifier();
        String redirectUri = endpoints.redirectUri(platform);
        states.purgeExpired(now);
        states.insert(new OAuthStates.Pending(state, workspaceId, platform, accountId, cipher.encrypt(verifier), redirectUri, now,
                now.plus(settings.stateTtl())), returnTo);
        return new AuthorizationStart(protocol.authorizeUrl(e, redirectUri, state, verifier), state);
    }

    @Override
    public AccountView completeAuthorization(@Nullable UUID workspaceId, String platform, AuthorizationCallback callback) {
        if (callback.state() == null || callback.state().isBlank()) {
            throw invalidState();
        }
        OAuthStates.Pending pending = states.consume(callback.state()).orElseThrow(AccountService::invalidState);
        if (!pending.platform().equals(platform) || (workspaceId != null && !pending.workspaceId().equals(workspaceId)) || !pending.expiresAt().isAfter(clock.instant())) {
            throw invalidState();
        }
        if (callback.error() != null && !callback.error().isBlank()) {
            String reason = platform + " did not authorize the account: " + callback.error()
                    + (callback.errorDescription() == null || callback.errorDescription().isBlank() ? "" : ": " + callback.errorDescription());
            noteFailedReconnect(pending, reason);
            throw new CrosspostException(Kind.UNPROCESSABLE, "authorization_denied", reason);
        }
        if (callback.code() == null || callback.code().isBlank()) {
            throw CrosspostException.invalid("code", "the callback carries neither a code nor an error");
        }
        OAuthPlatform protocol = platforms.oauth(platform);
        Endpoints e = platforms.endpoints(platform);
        String verifier = cipher.decrypt(pending.codeVerifier());
        TokenGrant grant;
        try {
            grant = protocol.exchange(e, callback.code(), pending.redirectUri(), verifier);
            OAuthPlatform.Identity identity = protocol.identify(e, grant);
            grant = grant.withIdentity(identity.externalId(), identity.handle());
        } catch (PlatformRefused refused) {
            noteFailedReconnect(pending, refused.reason());
            throw new CrosspostException(Kind.UNPROCESSABLE, "authorization_failed", refused.reason());
        } catch (PlatformUnavailable unavailable) {
            throw new CrosspostException(Kind.UNAVAILABLE, "platform_unavailable", unavailable.getMessage() + "; try connecting again later");
        }
        if (pending.accountId() != null) {
            StoredAccount existing = store.find(pending.workspaceId(), pending.accountId()).orElse(null);
            if (existing != null && !existing.externalId().equals(grant.externalId())) {
                throw new CrosspostException(Kind.CONFLICT, "account_mismatch", "this reconnects the " + platform + " account " + existing.handle()
                        + ", but the platform signed in " + grant.handle() + "; sign in as " + existing.handle() + " and try again");
            }
        }
        return save(pending.workspaceId(), platform, grant, null).view();
    }

    @Override
    public AccountView connectBluesky(UUID workspaceId, BlueskyLogin login) {
        List<Problems.FieldError> missing = new ArrayList<>();
        if (login.identifier() == null || login.identifier().isBlank()) {
            missing.add(new Problems.FieldError("identifier", "must not be blank"));
        }
        if (login.appPassword() == null || login.appPassword().isBlank()) {
            missing.add(new Problems.FieldError("appPassword", "must not be blank"));
        }
        if (!missing.isEmpty()) {
            throw CrosspostException.invalid(missing);
        }
        String pds = login.pds() == null || login.pds().isBlank() ? endpoints.defaultBlueskyPds() : pds(login.pds());
        TokenGrant grant;
        try {
            grant = platforms.bluesky().login(pds, login.identifier().trim(), login.appPassword(), clock.instant());
        } catch (PlatformRefused refused) {
            throw new CrosspostException(Kind.UNPROCESSABLE, "authorization_failed", refused.reason());
        } catch (PlatformUnavailable unavailable) {
            throw new CrosspostException(Kind.UNAVAILABLE, "platform_unavailable", unavailable.getMessage() + "; try again later");
        }
        return save(workspaceId, PlatformClients.BLUESKY, grant, pds).view();
    }

    /** Stores a fresh grant as a connected account, plans its refresh and announces it, in one transaction. */
    private StoredAccount save(UUID workspaceId, String platform, TokenGrant grant, @Nullable String serviceUrl) {
        String externalId = Objects.requireNonNull(grant.externalId(), "the identity step names the account");
        StoredAccount saved = Objects.requireNonNull(tx.execute(status -> {
            Instant now = clock.instant();
            AccountStore.SealedTokens sealed = refresher.seal(platform, grant, now);
            List<String> scopes = grant.scopes() != null ? grant.scopes() : List.of();
            StoredAccount account = store.upsertConnected(workspaceId, platform, externalId, grant.handle(), sealed, scopes, serviceUrl, now);
            jobs.plan(account.id(), sealed.refreshAt());
            events.publishEvent(new AccountConnected(account.id(), workspaceId, platform, account.handle()));
            return account;
        }));
        log.info("Connected the {} account {} ({}); token expires at {}", platform, saved.id(), saved.handle(), saved.expiresAt());
        return saved;
    }

    /** A failed reconnect keeps a broken account's status but records the platform's latest words. */
    private void noteFailedReconnect(OAuthStates.Pending pending, String reason) {
        if (pending.accountId() != null) {
            store.find(pending.workspaceId(), pending.accountId())
                    .filter(a -> a.status() == AccountStatus.RECONNECT_REQUIRED)
                    .ifPresent(a -> tx.executeWithoutResult(s -> store.markReason(a.id(), reason, clock.instant())));
        }
    }

    @Override
    public List<AccountView> list(UUID workspaceId) {
        return store.list(workspaceId).stream().map(StoredAccount::view).toList();
    }

    @Override
    public Page<AccountView> list(UUID workspaceId, @Nullable String cursor, int limit) {
        Cursors.At after = cursor == null ? null : cursors.decodeAt("accounts", cursor);
        return Page.of(store.list(workspaceId, after, limit + 1), limit, a -> cursors.encode("accounts", a.createdAt(), a.id()),
                rows -> rows.stream().map(StoredAccount::view).toList());
    }

    @Override
    public Optional<AccountView> find(UUID workspaceId, UUID accountId) {
        return store.find(workspaceId, accountId).map(StoredAccount::view);
    }

    @Override
    public AccountView disconnect(UUID workspaceId, UUID accountId) {
        StoredAccount account = store.find(workspaceId, accountId).orElseThrow(() -> CrosspostException.notFound("account", accountId));
        if (account.status() == AccountStatus.DISCONNECTED) {
            return account.view();
        }
        String reason = "disconnected by its owner";
        if (account.accessToken() != null) {
            try {
                boolean revoked = platforms.revoke(account, platforms.credentials(account, cipher));
                reason += revoked ? "; access revoked at " + account.platform() : "; " + account.platform() + " has no revoke endpoint";
            } catch (TokenCipher.Undecryptable e) {
                reason += "; the stored tokens could not be decrypted, so they were not revoked";
            } catch (PlatformRefused | PlatformUnavailable e) {
                log.warn("Revoking the {} account {} failed: {}", account.platform(), account.id(), e.getMessage());
                reason += "; revoking failed (" + e.getMessage() + ")";
            } catch (CrosspostException e) {
                // e.g. the platform is no longer configured: the owner can still let go of the account
                reason += "; not revoked (" + e.getMessage() + ")";
            }
        }
        String why = reason;
        tx.executeWithoutResult(status -> {
            store.markDisconnected(account.id(), why, clock.instant());
            jobs.cancel(account.id());
        });
        log.info("Disconnected the {} account {} ({})", account.platform(), account.id(), account.handle());
        return store.find(account.id()).orElseThrow().view();
    }

    @Override
    public KeyRotation rotateKeys() {
        return rotator.rotate();
    }

    private static CrosspostException invalidState() {
        return new CrosspostException(Kind.INVALID, "invalid_state",
                "the state is unknown, expired or already used, or belongs to another platform; start the connection again");
    }

    /** A PDS the caller named: an https origin, nothing else (it receives the app password). */
    private static String pds(String value) {
        try {
            URI uri = new URI(value.trim());
            if (!"https".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null || uri.getRawQuery() != null
                    || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
                throw new URISyntaxException(value, "not an https origin");
            }
            String s = uri.toString();
            return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
        } catch (URISyntaxException e) {
            throw CrosspostException.invalid("pds", "must be an https:// URL such as https://bsky.social");
        }
    }
}
