package dev.crosspost.identity.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.crosspost.identity.Caller;
import dev.crosspost.system.CrosspostException;
import dev.crosspost.system.Cursors;
import dev.crosspost.system.Page;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * API keys for machine clients: shown once, stored as SHA-256, scoped, revocable, with the time of last use.
 * Scopes: {@code read} (GET), {@code write} (every write), {@code <resource>:write} (writes under
 * {@code /api/v1/<resource>}, e.g. {@code posts:write}), {@code admin} (admin endpoints, for admins' keys only).
 */
@Service
public class ApiKeyService {

    public static final String PREFIX = "cp_live_"; // the shape log redaction masks
    /** What a scope may look like (see the class comment for what each means). */
    public static final String SCOPES = "read|write|admin|[a-z][a-z-]{0,40}:write";
    private static final Duration CACHE = Duration.ofSeconds(10);
    private static final Duration LAST_USED_RESOLUTION = Duration.ofMinutes(1);

    /** A key as listed; never the key itself. */
    public record ApiKey(UUID id, String name, String prefix, List<String> scopes, Instant createdAt,
                         @Nullable Instant lastUsedAt, @Nullable Instant revokedAt) {
    }

    /** A key just made: the only time {@code key} is shown. */
    public record Created(ApiKey apiKey, String key) {
        @Override
        public String toString() {
            return "Created[" + apiKey.id() + ", key hidden]";
        }
    }

    private record Resolved(UUID id, Caller caller, @Nullable Instant revokedAt) {
    }

    private final JdbcClient jdbc;
    private final Clock clock;
    // a key is looked up on every request it signs; revocation on this node is immediate, elsewhere within CACHE
    private final Cache<String, Optional<Resolved>> byHash = Caffeine.newBuilder().expireAfterWrite(CACHE).maximumSize(50_000).build();
    private final Cache<UUID, Instant> lastUsedWritten = Caffeine.newBuilder().expireAfterWrite(LAST_USED_RESOLUTION).maximumSize(50_000).build();

    private final Cursors cursors;

    ApiKeyService(JdbcClient jdbc, Clock clock, Cursors cursors) {
        this.cursors = cursors;
        this.jdbc = jdbc;
        this.clock = clock;
    }

    public Created create(Caller owner, String name, List<String> scopes) {
        Set<String> wanted = new LinkedHashSet<>(scopes);
        if (wanted.contains("admin") && !owner.admin()) {
            throw new CrosspostException(CrosspostException.Kind.FORBIDDEN, "admin_only", "Only admins may make keys with the admin scope.");
        }
        String key = Secrets.random(PREFIX);
        UUID id = UUID.randomUUID();
        Instant now = clock.instant();
        jdbc.sql("""
                        INSERT INTO api_keys (id, user_id, workspace_id, name, key_hash, key_prefix, scopes, created_at)
                        VALUES (:id, :user, :ws, :name, :hash, :prefix, :scopes, :now)""")
                .param("id", id).param("user", owner.userId()).param("ws", owner.workspaceId()).param("name", name)
                .param("hash", Secrets.hash(key)).param("prefix", key.substring(0, PREFIX.length() + 6))
                .param("scopes", wanted.toArray(String[]::new)).param("now", Timestamp.from(now)).update();
        return new Created(new ApiKey(id, name, key.substring(0, PREFIX.length() + 6), List.copyOf(wanted), now, null, null), key);
    }

    /** One page of the workspace's keys, newest first; {@code after} is the last id of the previous page. */
    /** The workspace's keys, newest first, revoked ones included. */
    public Page<ApiKey> list(UUID workspace, @Nullable String cursor, int limit) {
        Cursors.At after = cursor == null ? null : cursors.decodeAt("api-keys", cursor);
        List<ApiKey> rows = jdbc.sql("""
                        SELECT id, name, key_prefix, scopes, created_at, last_used_at, revoked_at FROM api_keys
                        WHERE workspace_id = :ws
                          AND (CAST(:at AS timestamptz) IS NULL OR (created_at, id) < (CAST(:at AS timestamptz), CAST(:id AS uuid)))
                        ORDER BY created_at DESC, id DESC LIMIT :limit""")
                .param("ws", workspace).param("at", after == null ? null : Timestamp.from(after.at()))
                .param("id", after == null ? null : after.id()).param("limit", limit + 1)
                .query(ApiKeyService::apiKey).list();
        return Page.of(rows, limit, k -> cursors.encode("api-keys", k.createdAt(), k.id()));
    }

    public Optional<ApiKey> find(UUID workspace, UUID id) {
        return jdbc.sql("SELECT id, name, key_prefix, scopes, created_at, last_used_at, revoked_at FROM api_keys WHERE id = :id AND workspace_id = :ws")
                .param("id", id).param("ws", workspace).query(ApiKeyService::apiKey).optional();
    }

    public ApiKey revoke(UUID workspace, UUID id) {
        jdbc.sql("UPDATE api_keys SET revoked_at = :now WHERE id = :id AND workspace_id = :ws AND revoked_at IS NULL")
                .param("now", Timestamp.from(clock.instant())).param("id", id).param("ws", workspace).update();
        byHash.asMap().values().removeIf(r -> r.isPresent() && r.get().id().equals(id));
        return find(workspace, id).orElseThrow(() -> CrosspostException.notFound("api key", id));
    }

    /** The caller a presented key acts as, if it is a live key. */
    public Optional<Caller> authenticate(String key) {
        Optional<Resolved> resolved = byHash.get(Secrets.hash(key), this::load);
        if (resolved.isEmpty() || resolved.get().revokedAt() != null) {
            return Optional.empty();
        }
        touch(resolved.get().id());
        return Optional.of(resolved.get().caller());
    }

    private Optional<Resolved> load(String hash) {
        return jdbc.sql("""
                        SELECT k.id, k.user_id, k.workspace_id, u.email, u.admin, k.scopes, k.revoked_at
                        FROM api_keys k JOIN users u ON u.id = k.user_id WHERE k.key_hash = :h""")
                .param("h", hash)
                .query((rs, n) -> {
                    Set<String> scopes = Set.copyOf(strings(rs.getArray("scopes")));
                    boolean admin = rs.getBoolean("admin") && scopes.contains("admin");
                    Caller caller = new Caller(rs.getObject("user_id", UUID.class), rs.getObject("workspace_id", UUID.class),
                            rs.getString("email"), admin, Caller.Via.API_KEY, scopes);
                    Timestamp revoked = rs.getTimestamp("revoked_at");
                    return new Resolved(rs.getObject("id", UUID.class), caller, revoked == null ? null : revoked.toInstant());
                })
                .optional();
    }

    /** Last use is kept to the minute: one write per key per minute instead of one per request. */
    private void touch(UUID id) {
        Instant now = clock.instant();
        if (lastUsedWritten.asMap().putIfAbsent(id, now) == null) {
            jdbc.sql("UPDATE api_keys SET last_used_at = :now WHERE id = :id").param("now", Timestamp.from(now)).param("id", id).update();
        }
    }

    private static ApiKey apiKey(ResultSet rs, int n) throws SQLException {
        Timestamp used = rs.getTimestamp("last_used_at");
        Timestamp revoked = rs.getTimestamp("revoked_at");
        return new ApiKey(rs.getObject("id", UUID.class), rs.getString("name"), rs.getString("key_prefix"),
                strings(rs.getArray("scopes")), rs.getTimestamp("created_at").toInstant(),
                used == null ? null : used.toInstant(), revoked == null ? null : revoked.toInstant());
    }

    private static List<String> strings(Array array) throws SQLException {
        return Arrays.asList((String[]) array.getArray());
    }
}
