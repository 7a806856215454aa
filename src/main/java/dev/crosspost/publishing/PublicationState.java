package dev.crosspost.publishing;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

import static java.util.EnumSet.of;

/**
 * Where a publication stands. {@link #ALLOWED} is the one transition table; every change goes through
 * {@link #check(PublicationState)}.
 */
public enum PublicationState {
    SCHEDULED, QUEUED, RUNNING, RETRY_WAIT, WAITING_QUOTA, WAITING_BREAKER, OUTCOME_UNKNOWN, RECONCILING,
    NEEDS_RECONNECT, PUBLISHED, FAILED, DEAD, CANCELLED;

    private static final Map<PublicationState, Set<PublicationState>> ALLOWED = new EnumMap<>(PublicationState.class);

    static {
        // scheduled -> scheduled: the owner moved it to another time before it was due
        ALLOWED.put(SCHEDULED, of(QUEUED, SCHEDULED, CANCELLED));
        // quota is taken right before the quota-counted effect: a publication waits for it from the queue, or
        // from running when an earlier step (upload, processing) came first
        ALLOWED.put(QUEUED, of(RUNNING, WAITING_QUOTA, WAITING_BREAKER, CANCELLED));
        // running -> running is the next step; running -> dead is the last attempt failing
        ALLOWED.put(RUNNING, of(RUNNING, PUBLISHED, RETRY_WAIT, WAITING_QUOTA, WAITING_BREAKER, OUTCOME_UNKNOWN, FAILED,
                NEEDS_RECONNECT, DEAD));
        ALLOWED.put(RETRY_WAIT, of(QUEUED, CANCELLED));
        ALLOWED.put(WAITING_QUOTA, of(QUEUED, CANCELLED));
        ALLOWED.put(WAITING_BREAKER, of(QUEUED, CANCELLED));
        ALLOWED.put(OUTCOME_UNKNOWN, of(RECONCILING));
        // reconciling -> reconciling: the lookup could not tell yet; ask again later
        // reconciling -> needs_reconnect: the account's token is gone, so the platform cannot even be asked
        ALLOWED.put(RECONCILING, of(PUBLISHED, QUEUED, RECONCILING, NEEDS_RECONNECT, DEAD));
        ALLOWED.put(NEEDS_RECONNECT, of(QUEUED, DEAD, CANCELLED));
        ALLOWED.put(PUBLISHED, EnumSet.noneOf(PublicationState.class));
        // replay keeps the idempotency key; discarding a dead letter cancels it
        ALLOWED.put(FAILED, of(QUEUED));
        ALLOWED.put(DEAD, of(QUEUED, CANCELLED));
        ALLOWED.put(CANCELLED, EnumSet.noneOf(PublicationState.class));
    }

    public boolean canMoveTo(PublicationState next) {
        return ALLOWED.get(this).contains(next);
    }

    /** Throws {@link IllegalTransitionException} unless {@code next} is allowed from here. */
    public void check(PublicationState next) {
        if (!canMoveTo(next)) {
            throw new IllegalTransitionException(this, next);
        }
    }

    public boolean terminal() {
        return this == PUBLISHED || this == FAILED || this == DEAD || this == CANCELLED;
    }

    /** Waiting for a time to come round (a retry, a quota slot, a breaker, a schedule). */
    public boolean waiting() {
        return this == SCHEDULED || this == RETRY_WAIT || this == WAITING_QUOTA || this == WAITING_BREAKER;
    }

    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** A state change the transition table does not allow. */
    public static class IllegalTransitionException extends IllegalStateException {
        private final PublicationState from;
        private final PublicationState to;

        public IllegalTransitionException(PublicationState from, PublicationState to) {
            super("publication cannot move from " + from.wireName() + " to " + to.wireName());
            this.from = from;
            this.to = to;
        }

        public PublicationState from() {
            return from;
        }

        public PublicationState to() {
            return to;
        }
    }
}
