package dev.crosspost.accounts;

import dev.crosspost.system.Page;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Connecting, reading and removing platform accounts, always within one workspace: an account of another
 * workspace reads as not found.
 */
public interface Accounts {

    /** Starts an authorization: stores the state and PKCE verifier, returns where to send the owner. */
    AuthorizationStart connect(UUID workspaceId, String platform);

    /**
     * Finishes an authorization: checks the state, exchanges the code, stores the tokens encrypted. The state binds
     * the workspace; {@code workspaceId} is null when the redirect arrives without a sign-in, else it must match.
     */
    AccountView completeAuthorization(@org.jspecify.annotations.Nullable UUID workspaceId, String platform, AuthorizationCallback callback);

    /** Logs in with an app password and stores the session; the password is not kept. */
    AccountView connectBluesky(UUID workspaceId, BlueskyLogin login);

    /** Every account of the workspace, oldest first (a workspace holds a handful). */
    List<AccountView> list(UUID workspaceId);

    /** One page of {@link #list(UUID)}; a bad cursor is {@code invalid_cursor}. */
    Page<AccountView> list(UUID workspaceId, @org.jspecify.annotations.Nullable String cursor, int limit);

    Optional<AccountView> find(UUID workspaceId, UUID accountId);

    /** Starts a new authorization for an existing account; the callback must come back as the same account. */
    AuthorizationStart reconnect(UUID workspaceId, UUID accountId);

    /**
     * Like {@link #connect} and {@link #reconnect}, but the callback sends the browser to {@code returnTo} instead of
     * answering JSON. The path is bound to the state; only dashboard paths ({@code /app} and below) are taken, so
     * the flow cannot become an open redirect.
     */
    AuthorizationStart connect(UUID workspaceId, String platform, String returnTo);

    AuthorizationStart reconnect(UUID workspaceId, UUID accountId, String returnTo);

    /** The return path of an authorization in flight, if it was started with one; the state stays usable. */
    Optional<String> returnPath(@org.jspecify.annotations.Nullable String state);

    /** Revokes the tokens where the platform offers it, deletes them, and marks the account disconnected. */
    AccountView disconnect(UUID workspaceId, UUID accountId);

    /** Re-encrypts every stored secret that is not under the current key, in batches. */
    KeyRotation rotateKeys();
}
