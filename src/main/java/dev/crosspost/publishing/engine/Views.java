package dev.crosspost.publishing.engine;

import dev.crosspost.publishing.PublicationView;

import java.util.Base64;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

/** Turns rows into API views, and keyset cursors into (time, id) pairs. */
final class Views {
    private Views() {
    }

    static PublicationView of(Publication p) {
        PublicationView.ErrorView error = p.errorClass() == null && p.errorMessage() == null ? null
                : new PublicationView.ErrorView(p.errorClass() == null ? null : p.errorClass().toLowerCase(java.util.Locale.ROOT),
                p.errorCode(), p.errorMessage());
        return new PublicationView(p.id(), p.postId(), p.platform(), p.accountId(), p.state().wireName(), p.stepName(),
                p.nextAttemptAt(), p.waitingReason(), p.platformPostId(), p.platformUrl(), error, p.attempts(), p.deadReason(),
                p.idempotencyKey(), p.updatedAt());
    }

    /** A keyset position: rows strictly after it in (time desc, id desc) order. */
    record Cursor(Instant at, UUID id) {
        String encode() {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(((at.getEpochSecond() * 1_000_000L + at.getNano() / 1_000) + "|" + id)
                    .getBytes(StandardCharsets.UTF_8));
        }

        static Cursor decode(String cursor) {
            try {
                String[] parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split("\\|", 2);
                long micros = Long.parseLong(parts[0]);
                return new Cursor(Instant.EPOCH.plusNanos(micros * 1000), UUID.fromString(parts[1]));
            } catch (RuntimeException e) {
                throw new dev.crosspost.system.CrosspostException(dev.crosspost.system.CrosspostException.Kind.INVALID,
                        "invalid_cursor", "cursor is not one this API returned");
            }
        }
    }
}
