package dev.crosspost.publishing.engine;

import dev.crosspost.publishing.PublicationView;

/** Turns rows into API views. */
final class Views {
    private Views() {
    }

    static PublicationView of(Publication p) {
        return new PublicationView(p.id(), p.postId(), p.platform(), p.accountId(), p.state().wireName(), p.stepName(),
                p.nextAttemptAt(), p.waitingReason(), p.platformPostId(), p.platformUrl(),
                error(p.errorClass(), p.errorCode(), p.errorMessage()), p.attempts(), p.deadReason(), p.idempotencyKey(), p.updatedAt());
    }

    /** The last error as callers see it (its class in lower case), or null when there is none. */
    static PublicationView.@org.jspecify.annotations.Nullable ErrorView error(@org.jspecify.annotations.Nullable String errorClass,
            @org.jspecify.annotations.Nullable String code, @org.jspecify.annotations.Nullable String message) {
        return errorClass == null && message == null ? null
                : new PublicationView.ErrorView(errorClass == null ? null : errorClass.toLowerCase(java.util.Locale.ROOT), code, message);
    }
}
