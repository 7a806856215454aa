package dev.crosspost.publishing.adapter.http;

import dev.crosspost.publishing.adapter.ErrorClass;
import dev.crosspost.publishing.adapter.MediaRef;
import dev.crosspost.publishing.adapter.MediaSource;
import dev.crosspost.publishing.adapter.StepResult;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/** Small, stateless helpers for adapters that speak HTTP. */
public final class AdapterHttp {

    private AdapterHttp() {
    }

    /** The client every adapter talks through: HTTP/1.1 (the simulators and upload endpoints speak it), short connect timeout. */
    public static HttpClient client() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** The answer's JSON body, or an empty object where it is none (an HTML error page, a cut-off body). */
    public static JsonNode body(JsonMapper json, HttpResponse<String> response) {
        try {
            return json.readTree(response.body());
        } catch (RuntimeException e) {
            return json.createObjectNode();
        }
    }

    /**
     * The classes every platform shares for a failed answer: 429 rate-limited (waiting until {@code resetHeader}, an
     * epoch-seconds reset, when given, else {@code Retry-After}), 5xx transient, 401 reconnect; {@code null} for
     * whatever the platform itself must judge.
     */
    public static @Nullable StepResult throttledOrDown(HttpResponse<?> response, String message, @Nullable String resetHeader, Clock clock) {
        int status = response.statusCode();
        if (status == 429) {
            Duration wait = resetHeader != null ? untilEpochSeconds(response, resetHeader, clock) : null;
            return new StepResult.RetryLater(ErrorClass.RATE_LIMITED, wait != null ? wait : retryAfter(response, clock), message, status);
        }
        if (status >= 500) {
            return new StepResult.RetryLater(ErrorClass.TRANSIENT, retryAfter(response, clock), message, status);
        }
        if (status == 401) {
            return new StepResult.NeedsReconnect(message);
        }
        return null;
    }

    /** Sends and reads the body as text; an interrupt counts as a timeout so the engine treats it like one. */
    public static HttpResponse<String> send(HttpClient http, HttpRequest request) throws IOException {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HttpTimeoutException("interrupted");
        }
    }

    /**
     * What an I/O failure means. Before anything was sent (connection refused) it is retryable; after sending an
     * effect (timeout, reset) the outcome is unknown and must be reconciled, never blindly repeated.
     */
    public static StepResult ioFailure(IOException e, String what, boolean effect) {
        if (e instanceof ConnectException) {
            return new StepResult.RetryLater(ErrorClass.TRANSIENT, null, what + ": connection refused", null);
        }
        if (!effect) {
            ErrorClass cls = e instanceof HttpTimeoutException ? ErrorClass.TIMEOUT : ErrorClass.TRANSIENT;
            return new StepResult.RetryLater(cls, null, what + " failed: " + e.getClass().getSimpleName(), null);
        }
        return new StepResult.OutcomeUnknown(what + (e instanceof HttpTimeoutException ? " timed out" : " broke off: " + e.getClass().getSimpleName()));
    }

    /** {@code Retry-After} as seconds or an HTTP date. */
    public static @Nullable Duration retryAfter(HttpResponse<?> response, Clock clock) {
        Optional<String> value = response.headers().firstValue("Retry-After");
        if (value.isEmpty()) {
            return null;
        }
        String v = value.get().trim();
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(v)));
        } catch (NumberFormatException notSeconds) {
            try {
                Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                Duration d = Duration.between(clock.instant(), at);
                return d.isNegative() ? Duration.ZERO : d;
            } catch (DateTimeParseException e) {
                return null;
            }
        }
    }

    /** A reset given as epoch seconds (X's {@code x-rate-limit-reset} and similar), as a wait from now. */
    public static @Nullable Duration untilEpochSeconds(HttpResponse<?> response, String header, Clock clock) {
        var reset = response.headers().firstValueAsLong(header);
        if (reset.isEmpty()) {
            return null;
        }
        Duration d = Duration.between(clock.instant(), Instant.ofEpochSecond(reset.getAsLong()));
        return d.isNegative() ? Duration.ZERO : d;
    }

    /** A request body streaming the whole media file; nothing is buffered beyond the client's own window. */
    public static HttpRequest.BodyPublisher file(MediaSource media, MediaRef ref) {
        return range(media, ref, 0, ref.sizeBytes());
    }

    /** A request body streaming {@code length} bytes of the media from {@code offset}: one chunk of an upload. */
    public static HttpRequest.BodyPublisher range(MediaSource media, MediaRef ref, long offset, long length) {
        return HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(() -> {
            try {
                return new Bounded(media.open(ref, offset), length);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }), length);
    }

    /** Stops after {@code remaining} bytes. */
    private static final class Bounded extends FilterInputStream {
        private long remaining;

        Bounded(InputStream in, long limit) {
            super(in);
            this.remaining = limit;
        }

        @Override
        public int read() throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int b = super.read();
            if (b >= 0) {
                remaining--;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int n = super.read(b, off, (int) Math.min(len, remaining));
            if (n > 0) {
                remaining -= n;
            }
            return n;
        }
    }
}
