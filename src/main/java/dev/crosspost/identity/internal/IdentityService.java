package dev.crosspost.identity.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.crosspost.identity.Caller;
import dev.crosspost.identity.UserRegistered;
import dev.crosspost.system.CrosspostException;
import dev.crosspost.system.CrosspostException.Kind;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Users, password sign-in with lockout, and the token lifecycle: access JWTs bound to a refresh family, refresh
 * tokens that rotate on every use, and family-wide revocation on reuse or logout.
 */
@Service
public class IdentityService {

    public static final String DEMO_EMAIL = "demo@crosspost.local";

    /** A user as the API shows it. */
    public record User(UUID id, String email, UUID workspaceId, boolean admin, Instant createdAt) {
    }

    /** What a sign-in or refresh hands out; {@code toString} hides both tokens. */
    public record Tokens(User user, String accessToken, Instant accessExpiresAt, String refreshToken, Instant refreshExpiresAt) {
        @Override
        public String toString() {
            return "Tokens[hidden]";
        }
    }

    private static final Duration SESSION_CACHE = Duration.ofSeconds(5);

    private final JdbcClient jdbc;
    private final TransactionTemplate tx;
    private final JwtCodec jwt;
    private final IdentitySettings settings;
    private final Clock clock;
    private final ApplicationEventPublisher events;
    private final BCryptPasswordEncoder passwords = new BCryptPasswordEncoder();
    // a hash to compare against when the email is unknown, so both cases take as long
    private final String decoyHash = passwords.encode("decoy-password-for-timing");
    // revocation is checked on every token-authenticated request; other nodes see it within SESSION_CACHE
    private final Cache<UUID, Boolean> revokedSessions = Caffeine.newBuilder()
            .expireAfterWrite(SESSION_CACHE).maximumSize(100_000).build();

    IdentityService(JdbcClient jdbc, TransactionTemplate tx, JwtCodec jwt, IdentitySettings settings, Clock clock,
                    ApplicationEventPublisher events) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.jwt = jwt;
        this.settings = settings;
        this.clock = clock;
        this.events = events;
    }

    static String normalize(String email) {
        return email.strip().toLowerCase(Locale.ROOT);
    }

    public Optional<User> find(UUID id) {
        return jdbc.sql("SELECT id, email, workspace_id, admin, created_at FROM users WHERE id = :id")
                .param("id", id).query(IdentityService::user).optional();
    }

    /** A new user with a new workspace; the first user when no admin exists becomes admin. */
    public User register(String email, String password) {
        if (!settings.registration()) {
            throw new CrosspostException(Kind.FORBIDDEN, "registration_closed", "Registration is closed on this server; ask an admin.");
        }
        return create(normalize(email), password);
    }

    private User create(String email, String password) {
        String hash = passwords.encode(password);
        User user = tx.execute(status -> {
            // serializes registrations so that exactly one "first" user becomes admin
            jdbc.sql("SELECT pg_advisory_xact_lock(hashtext('crosspost-register'))").query().singleValue();
            if (jdbc.sql("SELECT 1 FROM users WHERE email = :e").param("e", email).query().optionalValue().isPresent()) {
                throw new CrosspostException(Kind.CONFLICT, "email_taken", "An account with this email already exists.",
                        Map.of("errors", java.util.List.of(Map.of("field", "email", "message", "is already registered"))));
            }
            boolean admin = jdbc.sql("SELECT 1 FROM users WHERE admin").query().optionalValue().isEmpty();
            Instant now = clock.instant();
            UUID workspace = UUID.randomUUID();
            jdbc.sql("INSERT INTO workspaces (id, name, created_at) VALUES (:id, :name, :now)")
                    .param("id", workspace).param("name", email).param("now", Timestamp.from(now)).update();
            User created = new User(UUID.randomUUID(), email, workspace, admin, now);
            insert(created, hash);
            events.publishEvent(new UserRegistered(created.id(), workspace, email, admin));
            return created;
        });
        return user;
    }

    private void insert(User user, String hash) {
        jdbc.sql("""
                        INSERT INTO users (id, email, password_hash, workspace_id, admin, created_at)
                        VALUES (:id, :email, :hash, :ws, :admin, :now)""")
                .param("id", user.id()).param("email", user.email()).param("hash", hash).param("ws", user.workspaceId())
                .param("admin", user.admin()).param("now", Timestamp.from(user.createdAt())).update();
    }

    /**
     * Checks a password. Wrong passwords count per email (known or not, so lockout reveals nothing); too many in the
     * window lock the email for a while, refusing even the right password.
     */
    public User authenticate(String email, String password) {
        String normalized = normalize(email);
        Instant now = clock.instant();
        Optional<Instant> lockedUntil = jdbc.sql("SELECT locked_until FROM login_failures WHERE email = :e AND locked_until > :now")
                .param("e", normalized).param("now", Timestamp.from(now))
                .query((rs, n) -> rs.getTimestamp(1).toInstant()).optional();
        if (lockedUntil.isPresent()) {
            throw locked(now, lockedUntil.get());
        }
        Optional<Map.Entry<User, String>> found = jdbc.sql("SELECT id, email, workspace_id, admin, created_at, password_hash FROM users WHERE email = :e")
                .param("e", normalized).query((rs, n) -> Map.entry(user(rs, n), rs.getString("password_hash"))).optional();
        String hash = found.map(Map.Entry::getValue).filter(h -> h.startsWith("$2")).orElse(decoyHash);
        boolean matches = passwords.matches(password, hash);
        if (found.isEmpty() || !matches || hash.equals(decoyHash)) {
            Instant locked = recordFailure(normalized, now);
            if (locked != null) {
                throw locked(now, locked);
            }
            throw new CrosspostException(Kind.UNAUTHORIZED, "invalid_credentials", "Email or password is wrong.");
        }
        jdbc.sql("DELETE FROM login_failures WHERE email = :e").param("e", normalized).update();
        return found.get().getKey();
    }

    private @Nullable Instant recordFailure(String email, Instant now) {
        IdentitySettings.Lockout lockout = settings.lockout();
        return jdbc.sql("""
                        INSERT INTO login_failures AS f (email, failures, first_at, locked_until) VALUES (:e, 1, :now, CASE WHEN CAST(:max AS int) <= 1 THEN CAST(:until AS timestamptz) END)
                        ON CONFLICT (email) DO UPDATE SET
                          failures = CASE WHEN f.first_at <= :windowStart THEN 1 ELSE f.failures + 1 END,
                          first_at = CASE WHEN f.first_at <= :windowStart THEN :now ELSE f.first_at END,
                          locked_until = CASE WHEN f.first_at > :windowStart AND f.failures + 1 >= CAST(:max AS int) THEN CAST(:until AS timestamptz) ELSE NULL END
                        RETURNING locked_until""")
                .param("e", email).param("now", Timestamp.from(now)).param("max", lockout.maxFailures())
                .param("windowStart", Timestamp.from(now.minus(lockout.window())))
                .param("until", Timestamp.from(now.plus(lockout.lockFor())))
                .query((rs, n) -> rs.getTimestamp(1) == null ? null : rs.getTimestamp(1).toInstant()).optional().orElse(null);
    }

    private static CrosspostException locked(Instant now, Instant until) {
        long seconds = Math.max(1, Duration.between(now, until).toSeconds());
        return new CrosspostException(Kind.RATE_LIMITED, "login_locked",
                "Too many failed sign-ins for this email; try again in " + seconds + " s.", Map.of("retryAfterSeconds", seconds));
    }

    /** Starts a refresh family (one sign-in) and hands out its first token pair. */
    public Tokens signIn(User user) {
        Instant now = clock.instant();
        UUID family = UUID.randomUUID();
        return tx.execute(status -> {
            jdbc.sql("INSERT INTO refresh_families (id, user_id, created_at) VALUES (:id, :user, :now)")
                    .param("id", family).param("user", user.id()).param("now", Timestamp.from(now)).update();
            return issue(user, family, now);
        });
    }

    private Tokens issue(User user, UUID family, Instant now) {
        String refresh = Secrets.random("cp_rt_"); // the shape log redaction masks
        Instant refreshExpires = now.plus(settings.refreshTokenTtl());
        jdbc.sql("INSERT INTO refresh_tokens (token_hash, family_id, issued_at, expires_at) VALUES (:h, :f, :now, :exp)")
                .param("h", Secrets.hash(refresh)).param("f", family).param("now", Timestamp.from(now))
                .param("exp", Timestamp.from(refreshExpires)).update();
        Instant accessExpires = now.plus(settings.accessTokenTtl());
        String access = jwt.sign(new JwtCodec.Claims(user.id(), user.workspaceId(), user.email(), user.admin(), family, accessExpires), now);
        return new Tokens(user, access, accessExpires, refresh, refreshExpires);
    }

    private record Presented(UUID family, UUID userId, Instant expiresAt, @Nullable Instant usedAt, @Nullable Instant revokedAt) {
    }

    private sealed interface Outcome {
        record Rotated(Tokens tokens) implements Outcome {
        }

        record Refused(CrosspostException error) implements Outcome {
        }
    }

    /**
     * Swaps a refresh token for a new pair. A token that was already used means it leaked (or a client raced
     * itself): the whole family is revoked, so the thief's and the owner's tokens both stop working.
     */
    public Tokens refresh(String refreshToken) {
        Outcome outcome = tx.execute(status -> {
            Instant now = clock.instant();
            Optional<Presented> found = jdbc.sql("""
                            SELECT t.family_id, f.user_id, t.expires_at, t.used_at, f.revoked_at
                            FROM refresh_tokens t JOIN refresh_families f ON f.id = t.family_id
                            WHERE t.token_hash = :h FOR UPDATE OF t, f""")
                    .param("h", Secrets.hash(refreshToken))
                    .query((rs, n) -> new Presented(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getTimestamp(3).toInstant(),
                            instant(rs, 4), instant(rs, 5)))
                    .optional();
            if (found.isEmpty()) {
                return refused("invalid_refresh_token", "This refresh token is not valid.");
            }
            Presented p = found.get();
            if (p.revokedAt() != null) {
                return refused("refresh_token_revoked", "This sign-in has been revoked; sign in again.");
            }
            if (p.usedAt() != null) {
                revokeFamily(p.family(), "reuse", now);
                return refused("refresh_token_reused", "This refresh token was already used, so the sign-in it belongs to is revoked; sign in again.");
            }
            if (!p.expiresAt().isAfter(now)) {
                return refused("refresh_token_expired", "This refresh token has expired; sign in again.");
            }
            jdbc.sql("UPDATE refresh_tokens SET used_at = :now WHERE token_hash = :h")
                    .param("now", Timestamp.from(now)).param("h", Secrets.hash(refreshToken)).update();
            User user = find(p.userId()).orElseThrow();
            return new Outcome.Rotated(issue(user, p.family(), now));
        });
        return switch (outcome) {
            case Outcome.Rotated r -> r.tokens();
            case Outcome.Refused r -> throw r.error();
        };
    }

    private static Outcome refused(String code, String message) {
        return new Outcome.Refused(new CrosspostException(Kind.UNAUTHORIZED, code, message));
    }

    /** Logout with a refresh token: its family is revoked, and with it every access token of that sign-in. */
    public void logout(String refreshToken) {
        Instant now = clock.instant();
        jdbc.sql("SELECT family_id FROM refresh_tokens WHERE token_hash = :h").param("h", Secrets.hash(refreshToken))
                .query(UUID.class).optional()
                .ifPresent(family -> revokeFamily(family, "logout", now));
    }

    /** Logout of the sign-in an access token belongs to. */
    public void logout(UUID sessionId) {
        revokeFamily(sessionId, "logout", clock.instant());
    }

    private void revokeFamily(UUID family, String reason, Instant now) {
        jdbc.sql("UPDATE refresh_families SET revoked_at = :now, revoked_reason = :reason WHERE id = :id AND revoked_at IS NULL")
                .param("now", Timestamp.from(now)).param("reason", reason).param("id", family).update();
        revokedSessions.put(family, true);
    }

    /** Whether the sign-in an access token belongs to was revoked (logout or refresh reuse). */
    public boolean sessionRevoked(UUID sessionId) {
        return revokedSessions.get(sessionId, id -> jdbc.sql("SELECT revoked_at IS NOT NULL FROM refresh_families WHERE id = :id")
                .param("id", id).query(Boolean.class).optional().orElse(true));
    }

    public Caller caller(JwtCodec.Claims claims) {
        return new Caller(claims.userId(), claims.workspaceId(), claims.email(), claims.admin(), Caller.Via.ACCESS_TOKEN, Set.of());
    }

    public static Caller caller(User user, Caller.Via via) {
        return new Caller(user.id(), user.workspaceId(), user.email(), user.admin(), via, Set.of());
    }

    /**
     * Makes sure {@code email} exists with this password and the given admin flag (demo user, {@code create-admin}).
     * The demo user owns the given workspace; an operator-made admin gets a new one when it is new.
     */
    void ensureUser(String email, String password, @Nullable UUID workspace, boolean admin) {
        tx.executeWithoutResult(status -> {
            jdbc.sql("SELECT pg_advisory_xact_lock(hashtext('crosspost-register'))").query().singleValue();
            Optional<String> hash = jdbc.sql("SELECT password_hash FROM users WHERE email = :e").param("e", email).query(String.class).optional();
            if (hash.isEmpty()) {
                Instant now = clock.instant();
                UUID ws = workspace != null ? workspace : UUID.randomUUID();
                jdbc.sql("INSERT INTO workspaces (id, name, created_at) VALUES (:id, :name, :now) ON CONFLICT (id) DO NOTHING")
                        .param("id", ws).param("name", email).param("now", Timestamp.from(now)).update();
                insert(new User(UUID.randomUUID(), email, ws, admin, now), passwords.encode(password));
            } else if (!hash.get().startsWith("$2") || !passwords.matches(password, hash.get())) {
                jdbc.sql("UPDATE users SET password_hash = :h, admin = :admin WHERE email = :e")
                        .param("h", passwords.encode(password)).param("admin", admin).param("e", email).update();
            } else {
                jdbc.sql("UPDATE users SET admin = :admin WHERE email = :e").param("admin", admin).param("e", email).update();
            }
        });
    }

    /** Without the sandbox there is no demo user: its password stops working and its sign-ins are revoked. */
    void disableDemoUser() {
        tx.executeWithoutResult(status -> {
            int changed = jdbc.sql("UPDATE users SET password_hash = '!disabled', admin = FALSE WHERE email = :e AND password_hash <> '!disabled'")
                    .param("e", DEMO_EMAIL).update();
            if (changed > 0) {
                jdbc.sql("""
                                UPDATE refresh_families SET revoked_at = :now, revoked_reason = 'demo disabled'
                                WHERE revoked_at IS NULL AND user_id = (SELECT id FROM users WHERE email = :e)""")
                        .param("now", Timestamp.from(clock.instant())).param("e", DEMO_EMAIL).update();
                jdbc.sql("UPDATE api_keys SET revoked_at = :now WHERE revoked_at IS NULL AND user_id = (SELECT id FROM users WHERE email = :e)")
                        .param("now", Timestamp.from(clock.instant())).param("e", DEMO_EMAIL).update();
            }
        });
    }

    private static User user(ResultSet rs, int n) throws SQLException {
        return new User(rs.getObject("id", UUID.class), rs.getString("email"), rs.getObject("workspace_id", UUID.class),
                rs.getBoolean("admin"), rs.getTimestamp("created_at").toInstant());
    }

    private static @Nullable Instant instant(ResultSet rs, int column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }
}
