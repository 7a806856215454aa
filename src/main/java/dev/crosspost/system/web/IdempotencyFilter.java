package dev.crosspost.system.web;

import dev.crosspost.system.Workspaces;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.util.StreamUtils;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.ContentCachingResponseWrapper;
import tools.jackson.databind.json.JsonMapper;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * {@code Idempotency-Key} on API writes, Stripe-style: a retry with the same key and body gets the stored response;
 * the same key with another body gets 422. The key, everything the request writes and the stored response commit
 * in one transaction, so a crash in between leaves neither and the retry simply runs again. Keys live 24 hours.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
class IdempotencyFilter extends OncePerRequestFilter {

    static final String HEADER = "Idempotency-Key";
    static final Duration TTL = Duration.ofHours(24);
    private static final Pattern WELL_FORMED = Pattern.compile("[\\x21-\\x7E]{1,255}");
    private static final int MAX_BODY = 1024 * 1024;

    private final JdbcClient jdbc;
    private final TransactionTemplate tx;
    private final Workspaces workspaces;
    private final JsonMapper json;
    private final Clock clock;

    IdempotencyFilter(JdbcClient jdbc, TransactionTemplate tx, Workspaces workspaces, JsonMapper json, Clock clock) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.workspaces = workspaces;
        this.json = json;
        this.clock = clock;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return request.getHeader(HEADER) == null || !request.getRequestURI().startsWith("/api/")
                || !("POST".equals(request.getMethod()) || "PUT".equals(request.getMethod()) || "PATCH".equals(request.getMethod()))
                || (request.getContentType() != null && request.getContentType().startsWith("multipart/"));
    }

    /** Expired keys are swept hourly (a retry after expiry is treated as a new request anyway). */
    @org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
    static class Sweep {
        @org.springframework.context.annotation.Bean
        com.github.kagkarlsson.scheduler.task.helper.RecurringTask<Void> idempotencyKeySweep(JdbcClient jdbc, Clock clock) {
            return com.github.kagkarlsson.scheduler.task.helper.Tasks
                    .recurring("idempotency-key-sweep", com.github.kagkarlsson.scheduler.task.schedule.FixedDelay.ofHours(1))
                    .execute((instance, ctx) -> jdbc.sql("DELETE FROM idempotency_keys WHERE expires_at <= :now")
                            .param("now", Timestamp.from(clock.instant())).update());
        }
    }

    private record Stored(String hash, int status, String contentType, String location, byte[] body) {
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String key = request.getHeader(HEADER);
        if (!WELL_FORMED.matcher(key).matches()) {
            problem(request, response, HttpStatus.BAD_REQUEST, "invalid_idempotency_key",
                    "Idempotency-Key must be 1-255 visible ASCII characters.");
            return;
        }
        if (request.getContentLengthLong() > MAX_BODY) {
            problem(request, response, HttpStatus.CONTENT_TOO_LARGE, "payload_too_large", "Idempotent requests are limited to 1 MiB.");
            return;
        }
        byte[] body = StreamUtils.copyToByteArray(request.getInputStream());
        String hash = hash(request.getMethod() + " " + request.getRequestURI() + "?" + request.getQueryString(), body);
        UUID workspace = workspaces.current(request);
        CachedBodyRequest replayable = new CachedBodyRequest(request, body);
        ContentCachingResponseWrapper captured = new ContentCachingResponseWrapper(response);
        try {
            Optional<Stored> earlier = tx.execute(status -> {
                Instant now = clock.instant();
                // a concurrent twin blocks here until the first commits, then sees its stored response
                jdbc.sql("DELETE FROM idempotency_keys WHERE workspace_id = :ws AND key = :key AND expires_at <= :now")
                        .param("ws", workspace).param("key", key).param("now", Timestamp.from(now)).update();
                int claimed = jdbc.sql("""
                                INSERT INTO idempotency_keys (workspace_id, key, request_hash, status, body, created_at, expires_at)
                                VALUES (:ws, :key, :hash, 0, '', :now, :expires) ON CONFLICT DO NOTHING""")
                        .param("ws", workspace).param("key", key).param("hash", hash)
                        .param("now", Timestamp.from(now)).param("expires", Timestamp.from(now.plus(TTL))).update();
                if (claimed == 0) {
                    return jdbc.sql("SELECT request_hash, status, content_type, location, body FROM idempotency_keys WHERE workspace_id = :ws AND key = :key")
                            .param("ws", workspace).param("key", key)
                            .query((rs, n) -> new Stored(rs.getString(1), rs.getInt(2), rs.getString(3), rs.getString(4), rs.getBytes(5)))
                            .optional();
                }
                try {
                    chain.doFilter(replayable, captured);
                } catch (IOException | ServletException e) {
                    throw new IllegalStateException(e);
                }
                if (captured.getStatus() >= 500 || status.isRollbackOnly()) {
                    // a server error, or a refusal that rolled the work back, is not kept: the retry runs afresh
                    status.setRollbackOnly();
                    return Optional.empty();
                }
                jdbc.sql("""
                                UPDATE idempotency_keys SET status = :status, content_type = :type, location = :location, body = :body
                                WHERE workspace_id = :ws AND key = :key""")
                        .param("status", captured.getStatus()).param("type", captured.getContentType())
                        .param("location", captured.getHeader(HttpHeaders.LOCATION))
                        .param("body", captured.getContentAsByteArray()).param("ws", workspace).param("key", key).update();
                return Optional.empty();
            });
            if (earlier != null && earlier.isPresent()) {
                replay(request, response, earlier.get(), hash);
                return;
            }
            captured.copyBodyToResponse();
        } catch (IllegalStateException e) {
            if (e.getCause() instanceof ServletException se) {
                throw se;
            }
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw e;
        }
    }

    private void replay(HttpServletRequest request, HttpServletResponse response, Stored stored, String hash) throws IOException {
        if (!stored.hash().equals(hash)) {
            problem(request, response, HttpStatus.UNPROCESSABLE_CONTENT, "idempotency_key_reused",
                    "This Idempotency-Key was used with a different request; use a new key for a new request.");
            return;
        }
        response.setStatus(stored.status());
        if (stored.contentType() != null) {
            response.setContentType(stored.contentType());
        }
        if (stored.location() != null) {
            response.setHeader(HttpHeaders.LOCATION, stored.location());
        }
        response.setHeader("Idempotent-Replayed", "true");
        response.getOutputStream().write(stored.body());
    }

    private void problem(HttpServletRequest request, HttpServletResponse response, HttpStatus status, String code, String detail)
            throws IOException {
        Problems.write(request, response, json, status, code, detail);
    }

    private static String hash(String target, byte[] body) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(target.getBytes(StandardCharsets.UTF_8));
            digest.update((byte) 0);
            digest.update(body);
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The request with its body already read, so the controller can read it again. */
    private static final class CachedBodyRequest extends jakarta.servlet.http.HttpServletRequestWrapper {
        private final byte[] body;

        CachedBodyRequest(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
        }

        @Override
        public jakarta.servlet.ServletInputStream getInputStream() {
            ByteArrayInputStream in = new ByteArrayInputStream(body);
            return new jakarta.servlet.ServletInputStream() {
                @Override
                public int read() {
                    return in.read();
                }

                @Override
                public int read(byte[] b, int off, int len) {
                    return in.read(b, off, len);
                }

                @Override
                public boolean isFinished() {
                    return in.available() == 0;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(jakarta.servlet.ReadListener listener) {
                    throw new UnsupportedOperationException("blocking reads only");
                }
            };
        }

        @Override
        public java.io.BufferedReader getReader() {
            return new java.io.BufferedReader(new java.io.InputStreamReader(getInputStream(), StandardCharsets.UTF_8));
        }
    }
}
