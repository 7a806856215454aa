package dev.crosspost.accounts.internal;

import dev.crosspost.accounts.AccountStatus;
import dev.crosspost.system.Cursors;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Reads and writes {@code accounts}; token arguments are always ciphertext. */
@Repository
class AccountStore {

    private final JdbcClient jdbc;

    AccountStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Tokens and their lifetimes as they are about to be stored (ciphertext). */
    record SealedTokens(String accessToken, @Nullable String refreshToken, @Nullable Instant expiresAt,
                        @Nullable Instant refreshExpiresAt, @Nullable Instant refreshAt) {
        @Override
        public String toString() {
            return "SealedTokens[expiresAt=" + expiresAt + ", refreshAt=" + refreshAt + "]";
        }
    }

    Optional<StoredAccount> find(UUID id) {
        return jdbc.sql("SELECT * FROM accounts WHERE id = :id").param("id", id).query(AccountStore::map).optional();
    }

    Optional<StoredAccount> find(UUID workspace, UUID id) {
        return jdbc.sql("SELECT * FROM accounts WHERE id = :id AND workspace_id = :ws")
                .param("id", id).param("ws", workspace).query(AccountStore::map).optional();
    }

    /** Reads the row and locks it until the transaction ends, so one refresh at a time runs per account. */
    Optional<StoredAccount> lock(UUID id) {
        return jdbc.sql("SELECT * FROM accounts WHERE id = :id FOR UPDATE").param("id", id).query(AccountStore::map).optional();
    }

    /** Accounts after {@code after} in (created_at, id) order, at most {@code limit}. */
    List<StoredAccount> list(UUID workspace, Cursors.@Nullable At after, int limit) {
        return jdbc.sql("""
                        SELECT * FROM accounts WHERE workspace_id = :ws
                          AND (CAST(:at AS timestamptz) IS NULL OR (created_at, id) > (CAST(:at AS timestamptz), CAST(:id AS uuid)))
                        ORDER BY created_at, id LIMIT :limit""")
                .param("ws", workspace).param("at", after == null ? null : Timestamp.from(after.at()))
                .param("id", after == null ? null : after.id()).param("limit", limit)
                .query(AccountStore::map).list();
    }

    List<StoredAccount> list(UUID workspace) {
        return jdbc.sql("SELECT * FROM accounts WHERE workspace_id = :ws ORDER BY created_at, id")
                .param("ws", workspace).query(AccountStore::map).list();
    }

    /** Inserts the account, or brings the existing row for the same platform identity back to connected. */
    StoredAccount upsertConnected(UUID workspace, String platform, String externalId, @Nullable String handle, SealedTokens tokens,
                                  List<String> scopes, @Nullable String serviceUrl, Instant now) {
        return jdbc.sql("""
                        INSERT INTO accounts (id, workspace_id, platform, external_id, handle, status, access_token, refresh_token,
                          expires_at, refresh_expires_at, scopes, status_reason, service_url, refresh_at, created_at, updated_at)
                        VALUES (:id, :ws, :platform, :external, :handle, 'connected', :access, :refresh, :expires, :refreshExpires,
                          :scopes, NULL, :service, :refreshAt, :now, :now)
                        ON CONFLICT (workspace_id, platform, external_id) DO UPDATE SET
                          handle = COALESCE(EXCLUDED.handle, accounts.handle), status = 'connected', access_token = EXCLUDED.access_token,
                          refresh_token = EXCLUDED.refresh_token, expires_at = EXCLUDED.expires_at,
                          refresh_expires_at = EXCLUDED.refresh_expires_at, scopes = EXCLUDED.scopes, status_reason = NULL,
                          service_url = EXCLUDED.service_url, refresh_at = EXCLUDED.refresh_at, updated_at = EXCLUDED.updated_at
                        RETURNING *""")
                .param("id", UUID.randomUUID()).param("ws", workspace).param("platform", platform).param("external", externalId)
                .param("handle", handle).param("access", tokens.accessToken()).param("refresh", tokens.refreshToken())
                .param("expires", ts(tokens.expiresAt())).param("refreshExpires", ts(tokens.refreshExpiresAt()))
                .param("scopes", String.join(" ", scopes)).param("service", serviceUrl).param("refreshAt", ts(tokens.refreshAt()))
                .param("now", ts(now))
                .query(AccountStore::map).single();
    }

    void saveRefreshed(UUID id, SealedTokens tokens, @Nullable List<String> scopes, Instant now) {
        jdbc.sql("""
                        UPDATE accounts SET access_token = :access, refresh_token = :refresh, expires_at = :expires,
                          refresh_expires_at = COALESCE(:refreshExpires, refresh_expires_at), scopes = COALESCE(:scopes, scopes),
                          refresh_at = :refreshAt, updated_at = :now
                        WHERE id = :id""")
                .param("access", tokens.accessToken()).param("refresh", tokens.refreshToken()).param("expires", ts(tokens.expiresAt()))
                .param("refreshExpires", ts(tokens.refreshExpiresAt())).param("scopes", scopes == null ? null : String.join(" ", scopes))
                .param("refreshAt", ts(tokens.refreshAt())).param("now", ts(now)).param("id", id)
                .update();
    }

    void planRefresh(UUID id, @Nullable Instant refreshAt) {
        jdbc.sql("UPDATE accounts SET refresh_at = :at WHERE id = :id").param("at", ts(refreshAt)).param("id", id).update();
    }

    /** Moves a connected account to reconnect_required; false when it was not connected (nothing changed). */
    boolean markReconnectRequired(UUID id, String reason, Instant now) {
        return jdbc.sql("""
                        UPDATE accounts SET status = 'reconnect_required', status_reason = :reason, refresh_at = NULL, updated_at = :now
                        WHERE id = :id AND status = 'connected'""")
                .param("reason", truncate(reason)).param("now", ts(now)).param("id", id).update() == 1;
    }

    /** Records the platform's latest words on an account that already needs a reconnect. */
    void markReason(UUID id, String reason, Instant now) {
        jdbc.sql("UPDATE accounts SET status_reason = :reason, updated_at = :now WHERE id = :id AND status = 'reconnect_required'")
                .param("reason", truncate(reason)).param("now", ts(now)).param("id", id).update();
    }

    /** Keeps the row (publications name it) but forgets its tokens. */
    void markDisconnected(UUID id, String reason, Instant now) {
        jdbc.sql("""
                        UPDATE accounts SET status = 'disconnected', status_reason = :reason, access_token = NULL, refresh_token = NULL,
                          refresh_at = NULL, updated_at = :now
                        WHERE id = :id""")
                .param("reason", truncate(reason)).param("now", ts(now)).param("id", id).update();
    }

    /** The next rows (by id, after {@code after}) with a token not under the current key, locked for re-encryption. */
    List<StoredAccount> lockNotUnderKey(String currentPrefix, @Nullable UUID after, int limit) {
        return jdbc.sql("""
                        SELECT * FROM accounts
                        WHERE (CAST(:after AS uuid) IS NULL OR id > CAST(:after AS uuid))
                          AND (NOT starts_with(access_token, :prefix) OR NOT starts_with(refresh_token, :prefix))
                        ORDER BY id LIMIT :limit FOR UPDATE""")
                .param("after", after).param("prefix", currentPrefix).param("limit", limit)
                .query(AccountStore::map).list();
    }

    void saveCiphertexts(UUID id, @Nullable String accessToken, @Nullable String refreshToken) {
        jdbc.sql("UPDATE accounts SET access_token = :access, refresh_token = :refresh WHERE id = :id")
                .param("access", accessToken).param("refresh", refreshToken).param("id", id).update();
    }

    private static StoredAccount map(ResultSet rs, int row) throws SQLException {
        String scopes = rs.getString("scopes");
        return new StoredAccount(rs.getObject("id", UUID.class), rs.getObject("workspace_id", UUID.class), rs.getString("platform"),
                rs.getString("external_id"), rs.getString("handle"), AccountStatus.fromWire(rs.getString("status")),
                rs.getString("access_token"), rs.getString("refresh_token"), instant(rs, "expires_at"), instant(rs, "refresh_expires_at"),
                scopes == null || scopes.isBlank() ? List.of() : List.of(scopes.split(" ")), rs.getString("status_reason"),
                rs.getString("service_url"), instant(rs, "refresh_at"), instant(rs, "created_at"), instant(rs, "updated_at"));
    }

    static @Nullable Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }

    static @Nullable Timestamp ts(@Nullable Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }

    private static String truncate(String s) {
        return s.length() <= 1000 ? s : s.substring(0, 997) + "...";
    }
}
