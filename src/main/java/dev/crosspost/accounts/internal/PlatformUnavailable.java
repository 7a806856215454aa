package dev.crosspost.accounts.internal;

/** The platform could not answer (5xx, 429, timeout, network): the same request may work later. */
final class PlatformUnavailable extends RuntimeException {

    PlatformUnavailable(String reason) {
        super(reason, null, false, false);
    }
}
