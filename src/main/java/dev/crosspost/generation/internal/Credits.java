package dev.crosspost.generation.internal;

import dev.crosspost.system.CrosspostException;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Credits per workspace. Every change of a balance writes a ledger row in the same transaction, under the balance
 * row's lock, so the balance always equals the ledger's sum. Reservations take credits before work starts and are
 * then committed (spent) or refunded exactly once.
 */
@Component
public class Credits {

    private final JdbcClient jdbc;
    private final TransactionTemplate tx;
    private final Clock clock;

    Credits(JdbcClient jdbc, TransactionTemplate tx, Clock clock) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.clock = clock;
    }

    /** One ledger row as the API shows it. */
    public record Movement(long id, String kind, long amount, @Nullable UUID reservationId, @Nullable String paymentId,
                           String reason, Instant at) {
    }

    /** What a top-up did: {@code credited} is false when the payment id was seen before. */
    public record TopUp(String paymentId, boolean credited, long balance) {
    }

    /** The outcome of a reservation: taken (also when it was taken before), or not enough credits. */
    public sealed interface Reservation {
        record Taken(UUID id) implements Reservation {
        }

        record Insufficient(long needed, long balance) implements Reservation {
        }
    }

    public long balance(UUID workspaceId) {
        return jdbc.sql("SELECT balance FROM credit_balances WHERE workspace_id = :w").param("w", workspaceId)
                .query(Long.class).optional().orElse(0L);
    }

    /** Newest first; {@code beforeId} is the last id of the previous page, or null for the first. */
    public List<Movement> ledger(UUID workspaceId, @Nullable Long beforeId, int limit) {
        return jdbc.sql("""
                        SELECT id, kind, amount, reservation_id, payment_id, reason, created_at FROM credit_ledger
                        WHERE workspace_id = :w AND (CAST(:before AS BIGINT) IS NULL OR id < :before)
                        ORDER BY id DESC LIMIT :limit""")
                .param("w", workspaceId).param("before", beforeId).param("limit", limit)
                .query((rs, n) -> new Movement(rs.getLong("id"), rs.getString("kind"), rs.getLong("amount"),
                        rs.getObject("reservation_id", UUID.class), rs.getString("payment_id"), rs.getString("reason"),
                        rs.getTimestamp("created_at").toInstant()))
                .list();
    }

    /** Gives credits once per workspace (the sandbox demo balance); false when the workspace already has a balance. */
    public boolean grantOnce(UUID workspaceId, long amount, String reason) {
        return Boolean.TRUE.equals(tx.execute(status -> {
            int created = jdbc.sql("""
                            INSERT INTO credit_balances (workspace_id, balance, updated_at) VALUES (:w, :amount, :now)
                            ON CONFLICT (workspace_id) DO NOTHING""")
                    .param("w", workspaceId).param("amount", amount).param("now", now()).update();
            if (created == 0) {
                return false;
            }
            insertLedger(workspaceId, "grant", amount, null, null, reason);
            return true;
        }));
    }

    /**
     * Credits a payment once per payment id. A repeat with the same workspace and amount reads as already credited;
     * a repeat that differs is refused, since one payment cannot mean two things.
     */
    public TopUp topUp(String paymentId, UUID workspaceId, long amount) {
        return tx.execute(status -> {
            // a concurrent delivery of the same payment waits here for the first one's commit, then sees it
            int inserted = jdbc.sql("""
                            INSERT INTO credit_payments (payment_id, workspace_id, amount, received_at)
                            VALUES (:p, :w, :amount, :now) ON CONFLICT (payment_id) DO NOTHING""")
                    .param("p", paymentId).param("w", workspaceId).param("amount", amount).param("now", now()).update();
            if (inserted == 0) {
                var seen = jdbc.sql("SELECT workspace_id, amount FROM credit_payments WHERE payment_id = :p").param("p", paymentId)
                        .query((rs, n) -> Map.entry(rs.getObject(1, UUID.class), rs.getLong(2))).single();
                if (!seen.getKey().equals(workspaceId) || seen.getValue() != amount) {
                    throw new CrosspostException(CrosspostException.Kind.UNPROCESSABLE, "payment_id_reused",
                            "Payment " + paymentId + " was already received with a different workspace or amount.");
                }
                return new TopUp(paymentId, false, balance(workspaceId));
            }
            long balance = add(workspaceId, amount);
            insertLedger(workspaceId, "top_up", amount, null, paymentId, "payment " + paymentId);
            return new TopUp(paymentId, true, balance);
        });
    }

    /**
     * Takes {@code amount} credits for {@code purpose} under the caller's reservation id. Repeating it with the same
     * id (a retried job) takes nothing more.
     */
    public Reservation reserve(UUID workspaceId, UUID reservationId, long amount, String purpose) {
        return tx.execute(status -> {
            if (jdbc.sql("SELECT 1 FROM credit_reservations WHERE id = :id").param("id", reservationId).query(Integer.class).optional().isPresent()) {
                return new Reservation.Taken(reservationId);
            }
            int taken = jdbc.sql("""
                            UPDATE credit_balances SET balance = balance - :amount, updated_at = :now
                            WHERE workspace_id = :w AND balance >= :amount""")
                    .param("w", workspaceId).param("amount", amount).param("now", now()).update();
            if (taken == 0) {
                return new Reservation.Insufficient(amount, balance(workspaceId));
            }
            int inserted = jdbc.sql("""
                            INSERT INTO credit_reservations (id, workspace_id, amount, state, purpose, created_at)
                            VALUES (:id, :w, :amount, 'reserved', :purpose, :now) ON CONFLICT (id) DO NOTHING""")
                    .param("id", reservationId).param("w", workspaceId).param("amount", amount).param("purpose", purpose)
                    .param("now", now()).update();
            if (inserted == 0) {
                // the same reservation was taken concurrently: undo ours
                status.setRollbackOnly();
                return new Reservation.Taken(reservationId);
            }
            insertLedger(workspaceId, "reserve", -amount, reservationId, null, purpose);
            return new Reservation.Taken(reservationId);
        });
    }

    /** The reserved credits were spent; false when the reservation is unknown or already settled. */
    public boolean commit(UUID reservationId) {
        return settle(reservationId, "committed");
    }

    /** Gives the reserved credits back; false when the reservation is unknown or already settled. */
    public boolean refund(UUID reservationId) {
        return settle(reservationId, "refunded");
    }

    private boolean settle(UUID reservationId, String to) {
        return Boolean.TRUE.equals(tx.execute(status -> {
            // locks in the order reserve() takes them, balance row first, so the two never deadlock
            var owner = jdbc.sql("SELECT workspace_id FROM credit_reservations WHERE id = :id").param("id", reservationId)
                    .query(UUID.class).optional();
            if (owner.isEmpty()) {
                return false;
            }
            jdbc.sql("SELECT balance FROM credit_balances WHERE workspace_id = :w FOR UPDATE").param("w", owner.get()).query(Long.class).optional();
            var row = jdbc.sql("""
                            UPDATE credit_reservations SET state = :to, settled_at = :now
                            WHERE id = :id AND state = 'reserved' RETURNING workspace_id, amount, purpose""")
                    .param("to", to).param("id", reservationId).param("now", now())
                    .query((rs, n) -> new Object[] {rs.getObject(1, UUID.class), rs.getLong(2), rs.getString(3)}).optional();
            if (row.isEmpty()) {
                return false;
            }
            UUID workspace = (UUID) row.get()[0];
            long amount = (Long) row.get()[1];
            String purpose = (String) row.get()[2];
            if (to.equals("refunded")) {
                add(workspace, amount);
                insertLedger(workspace, "refund", amount, reservationId, null, purpose);
            } else {
                insertLedger(workspace, "commit", 0, reservationId, null, purpose);
            }
            return true;
        }));
    }

    private long add(UUID workspaceId, long amount) {
        return jdbc.sql("""
                        INSERT INTO credit_balances (workspace_id, balance, updated_at) VALUES (:w, :amount, :now)
                        ON CONFLICT (workspace_id) DO UPDATE SET balance = credit_balances.balance + EXCLUDED.balance,
                                                                updated_at = EXCLUDED.updated_at
                        RETURNING balance""")
                .param("w", workspaceId).param("amount", amount).param("now", now()).query(Long.class).single();
    }

    private void insertLedger(UUID workspaceId, String kind, long amount, @Nullable UUID reservationId,
                              @Nullable String paymentId, String reason) {
        jdbc.sql("""
                        INSERT INTO credit_ledger (workspace_id, kind, amount, reservation_id, payment_id, reason, created_at)
                        VALUES (:w, :kind, :amount, :r, :p, :reason, :now)""")
                .param("w", workspaceId).param("kind", kind).param("amount", amount).param("r", reservationId)
                .param("p", paymentId).param("reason", reason).param("now", now()).update();
    }

    private Timestamp now() {
        return Timestamp.from(clock.instant());
    }
}
