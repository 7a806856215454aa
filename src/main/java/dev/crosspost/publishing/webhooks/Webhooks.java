package dev.crosspost.publishing.webhooks;

import dev.crosspost.system.Page;
import dev.crosspost.publishing.PublicationState;
import dev.crosspost.system.CrosspostException;
import dev.crosspost.system.Cursors;
import dev.crosspost.system.Page;
import dev.crosspost.system.web.Problems;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.security.SecureRandom;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Webhook subscriptions of a workspace and their delivery logs: create, list, delete, page deliveries, retry one. */
@Service
class Webhooks {

    static final String ALL = "*";
    /** Every event type a subscription may name: one per state a publication can move to. */
    static final Set<String> TYPES = Arrays.stream(PublicationState.values()).map(s -> "publication." + s.wireName())
            .collect(Collectors.toCollection(LinkedHashSet::new));
    private static final SecureRandom RANDOM = new SecureRandom();

    private final JdbcClient jdbc;
    private final TransactionTemplate tx;
    private final TargetGuard guard;
    private final WebhookSettings settings;
    private final JsonMapper json;
    private final Clock clock;
    private final Cursors cursors;

    Webhooks(JdbcClient jdbc, TransactionTemplate tx, TargetGuard guard, WebhookSettings settings, JsonMapper json, Clock clock,
             Cursors cursors) {
        this.cursors = cursors;
        this.jdbc = jdbc;
        this.tx = tx;
        this.guard = guard;
        this.settings = settings;
        this.json = json;
        this.clock = clock;
    }

    /** A subscription as listed: the secret is never shown again after creation. */
    record WebhookView(UUID id, String url, List<String> events, boolean active, Instant createdAt) {
    }

    /** The answer to a creation: the only time the signing secret is shown. */
    record CreatedWebhook(UUID id, String url, List<String> events, boolean active, Instant createdAt, String secret) {
        @Override
        public String toString() {
            return "CreatedWebhook[id=" + id + ", url=" + url + ", secret hidden]";
        }
    }

    /** One entry of the delivery log with its attempts; {@code event} is the payload's {@code data}. */
    record DeliveryView(long id, UUID webhookId, long historyId, String type, String status, int attempts,
                        @Nullable Instant nextAttemptAt, @Nullable Integer lastStatusCode, @Nullable String lastError,
                        Instant createdAt, @Nullable Instant deliveredAt, JsonNode event, List<AttemptView> attemptLog) {
    }

    /** One attempt: the receiver's status code, or what went wrong before there was one. */
    record AttemptView(int attempt, Instant at, @Nullable Integer statusCode, @Nullable String error, int durationMs) {
    }

    CreatedWebhook create(UUID workspaceId, String url, @Nullable List<String> events) {
        List<Problems.FieldError> errors = new java.util.ArrayList<>();
        guard.problems(url).forEach(p -> errors.add(new Problems.FieldError("url", p)));
        List<String> types = events == null || events.isEmpty() ? List.of(ALL) : List.copyOf(new LinkedHashSet<>(events));
        for (int i = 0; i < types.size(); i++) {
            String t = types.get(i);
            if (!t.equals(ALL) && !TYPES.contains(t)) {
                errors.add(new Problems.FieldError("events[" + i + "]", "must be '*' or one of " + String.join(", ", TYPES)));
            }
        }
        if (!errors.isEmpty()) {
            throw CrosspostException.invalid(errors);
        }
        List<String> stored = types.contains(ALL) ? List.of(ALL) : types;
        UUID id = UUID.randomUUID();
        String secret = newSecret();
        Instant now = clock.instant();
        tx.executeWithoutResult(status -> {
            long active = jdbc.sql("SELECT count(*) FROM webhook_subscriptions WHERE workspace_id = :ws AND active")
                    .param("ws", workspaceId).query(Long.class).single();
            if (active >= settings.maxPerWorkspace()) {
                throw new CrosspostException(CrosspostException.Kind.CONFLICT, "too_many_webhooks",
                        "a workspace may have " + settings.maxPerWorkspace() + " webhooks; delete one first");
            }
            // the cursor lock orders this with the fan-out: every history row after this position is fanned out
            // after this subscription is visible, and none before it is
            long after = jdbc.sql("SELECT last_history_id FROM webhook_cursor WHERE consumer = :c FOR UPDATE")
                    .param("c", WebhookFanout.CONSUMER).query(Long.class).single();
            jdbc.sql("""
                            INSERT INTO webhook_subscriptions (id, workspace_id, url, secret, events, active, after_history_id, created_at)
                            VALUES (:id, :ws, :url, :secret, CAST(:events AS text[]), true, :after, :now)""")
                    .param("id", id).param("ws", workspaceId).param("url", url).param("secret", secret)
                    .param("events", textArray(stored)).param("after", after).param("now", Timestamp.from(now))
                    .update();
        });
        return new CreatedWebhook(id, url, stored, true, now, secret);
    }

    /** The active subscriptions, oldest first. */
    Page<WebhookView> list(UUID workspaceId, @Nullable String cursor, int limit) {
        Cursors.At after = cursor == null ? null : cursors.decodeAt("webhooks", cursor);
        List<WebhookView> rows = jdbc.sql("""
                        SELECT * FROM webhook_subscriptions WHERE workspace_id = :ws AND active
                          AND (CAST(:at AS timestamptz) IS NULL OR (created_at, id) > (CAST(:at AS timestamptz), CAST(:id AS uuid)))
                        ORDER BY created_at, id LIMIT :limit""")
                .param("ws", workspaceId).param("at", after == null ? null : Timestamp.from(after.at()))
                .param("id", after == null ? null : after.id()).param("limit", limit + 1)
                .query(Webhooks::view).list();
        return Page.of(rows, limit, w -> cursors.encode("webhooks", w.createdAt(), w.id()));
    }

    /** Deactivates the webhook and gives up its undelivered deliveries; its log stays for the record. */
    void delete(UUID workspaceId, UUID id) {
        tx.executeWithoutResult(status -> {
            int rows = jdbc.sql("UPDATE webhook_subscriptions SET active = false, deleted_at = :now WHERE id = :id AND workspace_id = :ws AND active")
                    .param("now", Timestamp.from(clock.instant())).param("id", id).param("ws", workspaceId).update();
            if (rows == 0) {
                throw CrosspostException.notFound("webhook", id);
            }
            jdbc.sql("""
                            UPDATE webhook_deliveries SET status = 'gave_up', next_attempt_at = NULL, last_error = 'webhook deleted'
                            WHERE subscription_id = :id AND status IN ('pending', 'failed')""")
                    .param("id", id).update();
        });
    }

    /** The delivery log, newest first. */
    Page<DeliveryView> deliveries(UUID workspaceId, UUID webhookId, @Nullable String cursor, int limit) {
        requireWebhook(workspaceId, webhookId);
        Long before = cursor == null ? null : cursors.decodePosition("webhook-deliveries", cursor);
        List<DeliveryView> rows = jdbc.sql("""
                        SELECT * FROM webhook_deliveries WHERE subscription_id = :sub
                          AND (CAST(:before AS bigint) IS NULL OR id < CAST(:before AS bigint))
                        ORDER BY id DESC LIMIT :limit""")
                .param("sub", webhookId).param("before", before).param("limit", limit + 1)
                .query((rs, n) -> delivery(rs, List.of())).list();
        return Page.of(rows, limit, d -> cursors.encode("webhook-deliveries", d.id()), page -> {
            Map<Long, List<AttemptView>> attempts = attempts(page.stream().map(DeliveryView::id).toList());
            return page.stream().map(d -> new DeliveryView(d.id(), d.webhookId(), d.historyId(), d.type(),
                    d.status(), d.attempts(), d.nextAttemptAt(), d.lastStatusCode(), d.lastError(), d.createdAt(), d.deliveredAt(),
                    d.event(), attempts.getOrDefault(d.id(), List.of()))).toList();
        });
    }

    /**
     * Sends a delivery now, whatever its status (a delivered one is sent again with the same event id). It gets at
     * least one more attempt: a delivery that had given up gets exactly one, one still retrying keeps its budget.
     */
    DeliveryView retry(UUID workspaceId, UUID webhookId, long deliveryId) {
        requireWebhook(workspaceId, webhookId);
        int rows = jdbc.sql("""
                        UPDATE webhook_deliveries SET status = 'pending', next_attempt_at = :now,
                          max_attempts = greatest(max_attempts, attempts + 1), delivered_at = NULL
                        WHERE id = :id AND subscription_id = :sub""")
                .param("now", Timestamp.from(clock.instant())).param("id", deliveryId).param("sub", webhookId).update();
        if (rows == 0) {
            throw CrosspostException.notFound("delivery", deliveryId);
        }
        return jdbc.sql("SELECT * FROM webhook_deliveries WHERE id = :id").param("id", deliveryId)
                .query((rs, n) -> delivery(rs, attempts(List.of(deliveryId)).getOrDefault(deliveryId, List.of()))).single();
    }

    private void requireWebhook(UUID workspaceId, UUID webhookId) {
        boolean exists = jdbc.sql("SELECT EXISTS (SELECT 1 FROM webhook_subscriptions WHERE id = :id AND workspace_id = :ws AND active)")
                .param("id", webhookId).param("ws", workspaceId).query(Boolean.class).single();
        if (!exists) {
            throw CrosspostException.notFound("webhook", webhookId);
        }
    }

    private Map<Long, List<AttemptView>> attempts(List<Long> deliveryIds) {
        Map<Long, List<AttemptView>> byDelivery = new LinkedHashMap<>();
        if (deliveryIds.isEmpty()) {
            return byDelivery;
        }
        jdbc.sql("SELECT * FROM webhook_delivery_attempts WHERE delivery_id IN (:ids) ORDER BY delivery_id, attempt")
                .param("ids", deliveryIds)
                .query(rs -> {
                    byDelivery.computeIfAbsent(rs.getLong("delivery_id"), k -> new java.util.ArrayList<>())
                            .add(new AttemptView(rs.getInt("attempt"), rs.getTimestamp("at").toInstant(),
                                    (Integer) rs.getObject("status_code"), rs.getString("error"), rs.getInt("duration_ms")));
                });
        return byDelivery;
    }

    private DeliveryView delivery(ResultSet rs, List<AttemptView> attempts) throws SQLException {
        return new DeliveryView(rs.getLong("id"), rs.getObject("subscription_id", UUID.class), rs.getLong("history_id"),
                rs.getString("event_type"), rs.getString("status"), rs.getInt("attempts"), instant(rs, "next_attempt_at"),
                (Integer) rs.getObject("last_status_code"), rs.getString("last_error"), rs.getTimestamp("created_at").toInstant(),
                instant(rs, "delivered_at"), json.readTree(rs.getString("event")), attempts);
    }

    private static WebhookView view(ResultSet rs, int n) throws SQLException {
        return new WebhookView(rs.getObject("id", UUID.class), rs.getString("url"), strings(rs.getArray("events")), rs.getBoolean("active"),
                rs.getTimestamp("created_at").toInstant());
    }

    static List<String> strings(Array array) throws SQLException {
        return Stream.of((Object[]) array.getArray()).map(String::valueOf).toList();
    }

    /** A PostgreSQL array literal of plain tokens (event types never contain quotes, commas or braces). */
    private static String textArray(List<String> values) {
        return values.stream().map(v -> "\"" + v + "\"").collect(Collectors.joining(",", "{", "}"));
    }

    /** {@code whsec_} and 32 random bytes, base64url. */
    static String newSecret() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return "whsec_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static @Nullable Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }
}
