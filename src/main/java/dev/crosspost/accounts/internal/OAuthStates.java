package dev.crosspost.accounts.internal;

import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static dev.crosspost.accounts.internal.AccountStore.instant;
import static dev.crosspost.accounts.internal.AccountStore.ts;

/** Authorizations in flight ({@code oauth_states}): written by connect, consumed once by the callback. */
@Repository
class OAuthStates {

    private final JdbcClient jdbc;

    OAuthStates(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** One authorization in flight; {@code codeVerifier} is ciphertext. */
    record Pending(String state, UUID workspaceId, String platform, @Nullable UUID accountId, String codeVerifier,
                   String redirectUri, Instant createdAt, Instant expiresAt) {
        @Override
        public String toString() {
            return "Pending[" + platform + ", expiresAt=" + expiresAt + "]";
        }
    }

    void insert(Pending p) {
        jdbc.sql("""
                        INSERT INTO oauth_states (state, workspace_id, platform, account_id, code_verifier, redirect_uri, created_at, expires_at)
                        VALUES (:state, :ws, :platform, :account, :verifier, :redirect, :created, :expires)""")
                .param("state", p.state()).param("ws", p.workspaceId()).param("platform", p.platform()).param("account", p.accountId())
                .param("verifier", p.codeVerifier()).param("redirect", p.redirectUri()).param("created", ts(p.createdAt()))
                .param("expires", ts(p.expiresAt()))
                .update();
    }

    /** Removes and returns the state: whatever the callback then finds, the same state cannot be used twice. */
    Optional<Pending> consume(String state) {
        return jdbc.sql("DELETE FROM oauth_states WHERE state = :state RETURNING *").param("state", state).query(OAuthStates::map).optional();
    }

    int purgeExpired(Instant now) {
        return jdbc.sql("DELETE FROM oauth_states WHERE expires_at < :now").param("now", ts(now)).update();
    }

    List<Pending> lockNotUnderKey(String currentPrefix, @Nullable String after, int limit) {
        return jdbc.sql("""
                        SELECT * FROM oauth_states WHERE (CAST(:after AS text) IS NULL OR state > CAST(:after AS text))
                          AND NOT starts_with(code_verifier, :prefix)
                        ORDER BY state LIMIT :limit FOR UPDATE""")
                .param("after", after).param("prefix", currentPrefix).param("limit", limit).query(OAuthStates::map).list();
    }

    void saveVerifier(String state, String codeVerifier) {
        jdbc.sql("UPDATE oauth_states SET code_verifier = :verifier WHERE state = :state")
                .param("verifier", codeVerifier).param("state", state).update();
    }

    private static Pending map(ResultSet rs, int row) throws SQLException {
        return new Pending(rs.getString("state"), rs.getObject("workspace_id", UUID.class), rs.getString("platform"),
                rs.getObject("account_id", UUID.class), rs.getString("code_verifier"), rs.getString("redirect_uri"),
                instant(rs, "created_at"), instant(rs, "expires_at"));
    }
}
