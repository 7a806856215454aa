package dev.crosspost.accounts.internal;

import dev.crosspost.accounts.AccountStatus;
import dev.crosspost.publishing.adapter.AccountTokens;
import dev.crosspost.sandbox.SandboxSettings;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.util.Optional;
import java.util.UUID;

/**
 * The tokens the publishing engine asks for: the decrypted current token of a connected account, refreshed first
 * when it is expiring. Targets that are not stored accounts (the engine's {@code sandbox-x}, tests' {@code acct-x})
 * get the sandbox token while the sandbox runs.
 */
@Component
class EngineAccountTokens implements AccountTokens {

    static final String SANDBOX_TOKEN = "sandbox-token";

    private final AccountStore store;
    private final TokenCipher cipher;
    private final TokenRefresher refresher;
    private final PlatformClients platforms;
    private final RefreshJobs jobs;
    private final SandboxSettings sandbox;
    private final Clock clock;

    EngineAccountTokens(AccountStore store, TokenCipher cipher, TokenRefresher refresher, PlatformClients platforms, RefreshJobs jobs,
                        SandboxSettings sandbox, Clock clock) {
        this.store = store;
        this.cipher = cipher;
        this.refresher = refresher;
        this.platforms = platforms;
        this.jobs = jobs;
        this.sandbox = sandbox;
        this.clock = clock;
    }

    @Override
    public Credential credential(UUID workspaceId, String platform, String accountId) {
        // another workspace's account reads as absent: its token is never used, nor its existence revealed
        StoredAccount account = parse(accountId).flatMap(store::find).filter(a -> a.workspaceId().equals(workspaceId)).orElse(null);
        if (account == null) {
            if (sandbox.enabled()) {
                return new Credential(SANDBOX_TOKEN, accountId, accountId, null);
            }
            throw new ReconnectRequired("not connected: no " + platform + " account " + accountId);
        }
        if (!account.platform().equals(platform)) {
            throw new ReconnectRequired("account " + accountId + " is a " + account.platform() + " account, not " + platform);
        }
        if (refresher.plan().expiring(account.expiresAt(), clock.instant()) && account.status() == AccountStatus.CONNECTED) {
            TokenRefresher.Outcome outcome = refresher.refresh(account.id(), TokenRefresher.Mode.WHEN_EXPIRING);
            switch (outcome) {
                case TokenRefresher.Outcome.Refreshed(var next) -> jobs.plan(account.id(), next);
                case TokenRefresher.Outcome.RetryLater(String reason) ->
                        throw new TokenRefreshUnavailable("the " + platform + " token of account " + accountId + " expired and could not be refreshed yet: " + reason);
                default -> {
                }
            }
            account = store.find(account.id()).orElseThrow();
        }
        return switch (account.status()) {
            case CONNECTED -> new Credential(decrypt(account), account.externalId(), account.handle(), account.serviceUrl());
            case RECONNECT_REQUIRED -> throw new ReconnectRequired(account.statusReason() != null ? account.statusReason() : "reconnect required");
            case DISCONNECTED -> throw new ReconnectRequired("the " + platform + " account " + account.handle() + " was disconnected");
        };
    }

    private String decrypt(StoredAccount account) {
        try {
            return platforms.credentials(account, cipher).accessToken();
        } catch (TokenCipher.Undecryptable e) {
            throw new ReconnectRequired(e.getMessage());
        }
    }

    private static Optional<UUID> parse(String accountId) {
        // a sandbox account's made-up name is no UUID: answered without the exception (a stack trace per publication)
        if (accountId.length() != 36) {
            return Optional.empty();
        }
        try {
            return Optional.of(UUID.fromString(accountId));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
