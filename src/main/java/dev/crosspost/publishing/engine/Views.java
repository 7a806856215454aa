package dev.crosspost.publishing.engine;

import dev.crosspost.publishing.PublicationView;

/** Turns rows into API views. */
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
}
