package dev.crosspost.publishing.webhooks;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.random.RandomGenerator;

/**
 * Sends due deliveries. Claiming a batch ({@code FOR UPDATE SKIP LOCKED}) leases it by moving its
 * {@code next_attempt_at} past the longest an attempt can take, and commits before any request goes out, so no
 * transaction is held open over the network and a node that dies mid-send has its deliveries picked up again
 * once the lease ends. Delivery to the receiver is therefore at least once: receivers dedupe by
 * {@code Crosspost-Event-Id}.
 */
@Component
class WebhookDispatcher {

    private static final Logger log = LoggerFactory.getLogger(WebhookDispatcher.class);
    static final String USER_AGENT = "Crosspost-Webhooks/1";
    /** How long one run keeps claiming batches while deliveries are due. */
    private static final Duration BUDGET = Duration.ofSeconds(5);

    private final JdbcClient jdbc;
    private final TransactionTemplate tx;
    private final TargetGuard guard;
    private final WebhookSettings settings;
    private final JsonMapper json;
    private final Clock clock;
    private final MeterRegistry meters;
    private final HttpClient http;
    private final RandomGenerator random = RandomGenerator.getDefault();

    WebhookDispatcher(JdbcClient jdbc, TransactionTemplate tx, TargetGuard guard, WebhookSettings settings, JsonMapper json, Clock clock,
                      MeterRegistry meters) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.guard = guard;
        this.settings = settings;
        this.json = json;
        this.clock = clock;
        this.meters = meters;
        this.http = HttpClient.newBuilder()
                .connectTimeout(settings.connectTimeout())
                // a redirect could lead a public URL to an internal one
                .followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1)
                .build();
    }

    @PreDestroy
    void close() {
        http.shutdownNow();
    }

    /** A claimed delivery with where it goes. */
    record Due(long id, UUID subscriptionId, long historyId, String type, String event, int attempts, int maxAttempts,
               Instant createdAt, String url, String secret, boolean active) {
        @Override
        public String toString() {
            return "Due[id=" + id + ", webhook=" + subscriptionId + ", attempts=" + attempts + "]";
        }
    }

    /** The JSON body: {@code id} equals the {@code Crosspost-Event-Id} header, {@code data} is the publication event. */
    record Payload(long id, String type, long historyId, Instant createdAt, JsonNode data) {
    }

    /** Sends every due delivery (in batches, for a bounded time); returns how many were attempted. */
    int dispatch() {
        long deadline = System.nanoTime() + BUDGET.toNanos();
        int sent = 0;
        while (true) {
            List<Due> due = claim();
            if (!due.isEmpty()) {
                try (ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor()) {
                    due.forEach(d -> senders.submit(() -> deliver(d)));
                }
            }
            sent += due.size();
            if (due.size() < settings.batchSize() || System.nanoTime() > deadline) {
                return sent;
            }
        }
    }

    private List<Due> claim() {
        Instant now = clock.instant();
        Instant lease = now.plus(settings.connectTimeout()).plus(settings.readTimeout()).plusSeconds(30);
        return tx.execute(status -> jdbc.sql("""
                        UPDATE webhook_deliveries d SET next_attempt_at = :lease
                        FROM webhook_subscriptions s
                        WHERE s.id = d.subscription_id AND d.id IN (
                          SELECT id FROM webhook_deliveries WHERE status IN ('pending', 'failed') AND next_attempt_at <= :now
                          ORDER BY next_attempt_at, id LIMIT :limit FOR UPDATE SKIP LOCKED)
                        RETURNING d.id, d.subscription_id, d.history_id, d.event_type, CAST(d.event AS text) AS event, d.attempts,
                          d.max_attempts, d.created_at, s.url, s.secret, s.active""")
                .param("lease", Timestamp.from(lease)).param("now", Timestamp.from(now)).param("limit", settings.batchSize())
                .query((rs, n) -> new Due(rs.getLong("id"), rs.getObject("subscription_id", UUID.class), rs.getLong("history_id"),
                        rs.getString("event_type"), rs.getString("event"), rs.getInt("attempts"), rs.getInt("max_attempts"),
                        rs.getTimestamp("created_at").toInstant(), rs.getString("url"), rs.getString("secret"), rs.getBoolean("active")))
                .list());
    }

    /** One attempt of one delivery, and its record. */
    void deliver(Due due) {
        try {
            if (!due.active()) {
                jdbc.sql("UPDATE webhook_deliveries SET status = 'gave_up', next_attempt_at = NULL, last_error = 'webhook deleted' WHERE id = :id")
                        .param("id", due.id()).update();
                return;
            }
            byte[] body = json.writeValueAsBytes(new Payload(due.id(), due.type(), due.historyId(), due.createdAt(), json.readTree(due.event())));
            long started = System.nanoTime();
            Instant at = clock.instant();
            Integer code = null;
            String error = null;
            try {
                URI uri = URI.create(due.url());
                guard.check(uri);
                long timestamp = at.getEpochSecond();
                HttpRequest request = HttpRequest.newBuilder(uri)
                        .timeout(settings.readTimeout())
                        .header("Content-Type", "application/json")
                        .header("User-Agent", USER_AGENT)
                        .header("Crosspost-Event-Id", Long.toString(due.id()))
                        .header("Crosspost-Timestamp", Long.toString(timestamp))
                        .header("Crosspost-Signature", WebhookSignature.sign(due.secret(), timestamp, body))
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                        .build();
                HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
                // the body is never read: a receiver cannot make us store or wait for it
                response.body().close();
                code = response.statusCode();
                if (code / 100 == 3) {
                    error = "HTTP " + code + ": redirects are not followed";
                } else if (code / 100 != 2) {
                    error = "HTTP " + code;
                }
            } catch (TargetGuard.RefusedTarget e) {
                error = e.getMessage();
            } catch (HttpConnectTimeoutException e) {
                error = "could not connect within " + settings.connectTimeout().toMillis() + " ms";
            } catch (HttpTimeoutException e) {
                error = "no response within " + settings.readTimeout().toMillis() + " ms";
            } catch (IOException | IllegalArgumentException e) {
                error = "request failed: " + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return; // shutting down: the lease runs out and the delivery is sent again
            }
            record(due, code, error, at, (int) Duration.ofNanos(System.nanoTime() - started).toMillis());
        } catch (RuntimeException e) {
            log.warn("Webhook delivery {} could not be attempted; it is tried again when its lease ends", due.id(), e);
        }
    }

    private void record(Due due, @Nullable Integer code, @Nullable String error, Instant at, int durationMs) {
        int attempt = due.attempts() + 1;
        boolean delivered = error == null;
        Instant now = clock.instant();
        String status;
        Instant next = null;
        if (delivered) {
            status = "delivered";
        } else if (attempt >= due.maxAttempts()) {
            status = "gave_up";
        } else {
            status = "failed";
            next = now.plus(backoff(attempt, settings.baseDelay(), settings.maxDelay(), random));
        }
        String outcome = status;
        Instant nextAttempt = next;
        String shortError = error == null || error.length() <= 500 ? error : error.substring(0, 497) + "...";
        tx.executeWithoutResult(s -> {
            // guarded by the attempt count: if the lease ran out and another node sent it meanwhile, only one records
            int rows = jdbc.sql("""
                            UPDATE webhook_deliveries SET status = :status, attempts = :attempt, next_attempt_at = :next,
                              last_status_code = :code, last_error = :error, delivered_at = :delivered
                            WHERE id = :id AND attempts = :previous""")
                    .param("status", outcome).param("attempt", attempt).param("next", nextAttempt == null ? null : Timestamp.from(nextAttempt))
                    .param("code", code).param("error", shortError).param("delivered", delivered ? Timestamp.from(now) : null)
                    .param("id", due.id()).param("previous", due.attempts())
                    .update();
            if (rows == 1) {
                jdbc.sql("""
                                INSERT INTO webhook_delivery_attempts (delivery_id, attempt, at, status_code, error, duration_ms)
                                VALUES (:id, :attempt, :at, :code, :error, :ms)""")
                        .param("id", due.id()).param("attempt", attempt).param("at", Timestamp.from(at)).param("code", code)
                        .param("error", shortError).param("ms", durationMs)
                        .update();
            }
        });
        meters.counter("crosspost_webhook_deliveries_total", "outcome", outcome).increment();
        if (!delivered) {
            // the host only: a webhook URL's path or query may itself be a credential
            log.info("Webhook delivery {} of webhook {} to host {} failed on attempt {} ({}); {}", due.id(), due.subscriptionId(),
                    host(due.url()), attempt, shortError,
                    nextAttempt == null ? "giving up" : "next attempt at " + nextAttempt);
        }
    }

    private static String host(String url) {
        try {
            return String.valueOf(URI.create(url).getHost());
        } catch (IllegalArgumentException e) {
            return "(invalid URL)";
        }
    }

    /** Exponential backoff with full jitter: a uniform wait up to {@code base * 2^(attempt-1)}, capped at {@code max}. */
    static Duration backoff(int attempt, Duration base, Duration max, RandomGenerator random) {
        long ceiling = attempt >= 40 ? max.toMillis() : Math.min(max.toMillis(), base.toMillis() << Math.max(0, attempt - 1));
        return Duration.ofMillis(random.nextLong(ceiling + 1));
    }
}
