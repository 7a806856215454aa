package dev.crosspost.accounts.internal;

import dev.crosspost.accounts.AccountView;
import dev.crosspost.accounts.Accounts;
import dev.crosspost.accounts.AuthorizationCallback;
import dev.crosspost.accounts.AuthorizationStart;
import dev.crosspost.accounts.BlueskyLogin;
import dev.crosspost.system.CrosspostException;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.web.util.UriComponentsBuilder;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** One workspace never sees, changes or completes another's accounts: they read as not found. */
class WorkspaceIsolationIntegrationTests extends AccountsIntegrationTestBase {

    @Autowired Accounts accounts;

    private final UUID a = UUID.randomUUID();
    private final UUID b = UUID.randomUUID();

    private static void assertNotFound(Runnable call) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(CrosspostException.class,
                e -> assertThat(e.kind()).isEqualTo(CrosspostException.Kind.NOT_FOUND));
    }

    @Test
    void anotherWorkspacesAccountReadsAsNotFound() {
        AccountView mine = accounts.connectBluesky(a, new BlueskyLogin("judy.example.com", "abcd-efgh-ijkl-mnop", null));

        assertThat(accounts.find(a, mine.id())).isPresent();
        assertThat(accounts.find(b, mine.id())).isEmpty();
        assertThat(accounts.list(b)).isEmpty();
        assertThat(accounts.list(a)).extracting(AccountView::id).containsExactly(mine.id());
        assertNotFound(() -> accounts.disconnect(b, mine.id()));
        assertNotFound(() -> accounts.reconnect(b, mine.id()));
        assertThat(accounts.find(a, mine.id()).orElseThrow().status()).isEqualTo("connected");
    }

    @Test
    void theSameIdentityInTwoWorkspacesIsTwoAccounts() {
        BlueskyLogin login = new BlueskyLogin("ken.example.com", "abcd-efgh-ijkl-mnop", null);
        AccountView inA = accounts.connectBluesky(a, login);
        AccountView inB = accounts.connectBluesky(b, login);

        assertThat(inB.id()).isNotEqualTo(inA.id());
        assertThat(inB.externalId()).isEqualTo(inA.externalId());
        accounts.disconnect(b, inB.id());
        assertThat(accounts.find(a, inA.id()).orElseThrow().status()).isEqualTo("connected");
    }

    @Test
    void anAuthorizationStartedInOneWorkspaceCannotBeFinishedInAnother() {
        AuthorizationStart start = accounts.connect(a, "x");
        String code = UriComponentsBuilder.fromUriString(approve(start.authorizeUrl(), "leo")).build().getQueryParams().getFirst("code");

        assertThatThrownBy(() -> accounts.completeAuthorization(b, "x", new AuthorizationCallback(code, start.state(), null, null)))
                .isInstanceOfSatisfying(CrosspostException.class, e -> assertThat(e.code()).isEqualTo("invalid_state"));
        assertThat(accounts.list(a)).isEmpty();
        assertThat(accounts.list(b)).isEmpty();
    }
}
