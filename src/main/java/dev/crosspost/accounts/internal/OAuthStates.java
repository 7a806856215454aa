package dev.crosspost.accounts.internal;

import dev.crosspost.system.CrosspostException;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

import static dev.crosspost.accounts.internal.AccountStore.instant;
import static dev.crosspost.accounts.internal.AccountStore.ts;

/** Authorizations in flight ({@code oauth_states}): written by connect, consumed once by the callback. */
@Repository
class OAuthStates {

    private static final Pattern RETURN_PATH = Pattern.compile("/app(?:[/?][A-Za-z0-9/_?=&.%~-]*)?");

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

    /** @param returnTo a path checked by {@link #returnPath}, or null for an API flow (the callback answers JSON) */
    void insert(Pending p, @Nullable String returnTo) {
        jdbc.sql("""
                        INSERT INTO oauth_states (state, workspace_id, platform, account_id, code_verifier, redirect_uri, created_at, expires_at, return_to)
                        VALUES (:state, :ws, :platform, :account, :verifier, :redirect, :created, :expires, :returnTo)""")
                .param("state", p.state()).param("ws", p.workspaceId()).param("platform", p.platform()).param("account", p.accountId())
                .param("verifier", p.codeVerifier()).param("redirect", p.redirectUri()).param("created", ts(p.createdAt()))
                .param("expires", ts(p.expiresAt())).param("returnTo", returnTo)
                .update();
    }

    Optional<String> returnTo(String state) {
        return jdbc.sql("SELECT return_to FROM oauth_states WHERE state = :state AND return_to IS NOT NULL")
                .param("state", state).query(String.class).optional();
    }

    /**
     * A return path is a dashboard path on this server: {@code /app} or below, of plain URL characters only (no
     * scheme, host, {@code //}, backslash or control characters), so the callback's redirect cannot leave the site.
     */
    static String returnPath(String path) {
        boolean local = path.length() <= 500 && RETURN_PATH.matcher(path).matches() && !path.contains("//");
        if (!local) {
            throw CrosspostException.invalid("returnTo", "must be a dashboard path under /app");
        }
        return path;
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
