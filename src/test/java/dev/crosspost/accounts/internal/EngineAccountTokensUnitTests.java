package dev.crosspost.accounts.internal;

import dev.crosspost.accounts.AccountStatus;

import dev.crosspost.publishing.adapter.AccountTokens;
import dev.crosspost.sandbox.SandboxSettings;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

/** Targets that are not stored accounts: the sandbox token while the sandbox runs, "not connected" without it. */
class EngineAccountTokensUnitTests {

    private final AccountStore store = mock(AccountStore.class);

    private EngineAccountTokens tokens(boolean sandbox) {
        when(store.find(any(UUID.class))).thenReturn(Optional.empty());
        return new EngineAccountTokens(store, mock(TokenCipher.class), mock(TokenRefresher.class), mock(PlatformClients.class),
                mock(RefreshJobs.class), new SandboxSettings(sandbox, Map.of()), Clock.systemUTC());
    }

    @Test
    void withTheSandboxUnknownTargetsPublishWithTheSandboxToken() {
        assertThat(tokens(true).accessToken(dev.crosspost.system.Workspaces.SANDBOX, "x", "sandbox-x")).isEqualTo("sandbox-token");
        assertThat(tokens(true).accessToken(dev.crosspost.system.Workspaces.SANDBOX, "x", UUID.randomUUID().toString())).isEqualTo("sandbox-token");
    }

    @Test
    void withoutTheSandboxUnknownTargetsAreNotConnected() {
        assertThatThrownBy(() -> tokens(false).accessToken(dev.crosspost.system.Workspaces.SANDBOX, "x", "sandbox-x"))
                .isInstanceOf(AccountTokens.ReconnectRequired.class).hasMessage("not connected: no x account sandbox-x");
    }

    @Test
    void anotherWorkspacesAccountIsNeverUsed() {
        UUID theirs = UUID.randomUUID();
        UUID accountId = UUID.randomUUID();
        var stored = new StoredAccount(accountId, theirs, "x", "ext-1", "@them", AccountStatus.CONNECTED, "v1:enc", null, null, null,
                java.util.List.of(), null, null, null, java.time.Instant.EPOCH, java.time.Instant.EPOCH);
        var tokens = new EngineAccountTokens(store, mock(TokenCipher.class), mock(TokenRefresher.class), mock(PlatformClients.class),
                mock(RefreshJobs.class), new SandboxSettings(false, Map.of()), Clock.systemUTC());
        when(store.find(accountId)).thenReturn(Optional.of(stored));

        assertThatThrownBy(() -> tokens.accessToken(dev.crosspost.system.Workspaces.SANDBOX, "x", accountId.toString()))
                .isInstanceOf(AccountTokens.ReconnectRequired.class).hasMessageStartingWith("not connected");
    }
}
