package dev.crosspost.sandbox;

import org.springframework.http.HttpHeaders;

import java.time.Duration;
import java.time.Instant;

/** The state of one account's quota window, as sent in {@code X-RateLimit-*} headers. */
record RateLimit(int limit, int remaining, Instant resetsAt) {

    HttpHeaders headers() {
        HttpHeaders headers = new HttpHeaders();
        headers.set("X-RateLimit-Limit", Integer.toString(limit));
        headers.set("X-RateLimit-Remaining", Integer.toString(remaining));
        headers.set("X-RateLimit-Reset", Long.toString(ceilSeconds(resetsAt)));
        return headers;
    }

    /** Whole seconds until the window ends, at least 1. */
    long retryAfterSeconds(Instant now) {
        long millis = Duration.between(now, resetsAt).toMillis();
        return Math.max(1, (millis + 999) / 1000);
    }

    // rounded up, so that a client waiting until Reset is always in the next window
    private static long ceilSeconds(Instant instant) {
        return instant.getNano() == 0 ? instant.getEpochSecond() : instant.getEpochSecond() + 1;
    }
}
