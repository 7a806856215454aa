package dev.crosspost.intake.internal;

import dev.crosspost.system.CrosspostException;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

/** Opaque cursors of the intake lists: a position encoded, never interpreted by clients. */
final class Cursors {

    private Cursors() {
    }

    record At(Instant at, UUID id) {
    }

    static String encode(Instant at, UUID id) {
        return encode((at.getEpochSecond() * 1_000_000L + at.getNano() / 1_000) + "|" + id);
    }

    static At decodeAt(String cursor) {
        try {
            String[] parts = decode(cursor).split("\\|", 2);
            return new At(Instant.EPOCH.plusNanos(Long.parseLong(parts[0]) * 1000), UUID.fromString(parts[1]));
        } catch (RuntimeException e) {
            throw invalid();
        }
    }

    static String encode(long position) {
        return encode("p" + position);
    }

    static long decodePosition(String cursor) {
        try {
            String text = decode(cursor);
            if (!text.startsWith("p")) {
                throw invalid();
            }
            return Long.parseLong(text.substring(1));
        } catch (RuntimeException e) {
            throw invalid();
        }
    }

    private static String encode(String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String decode(String cursor) {
        return new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
    }

    private static CrosspostException invalid() {
        return new CrosspostException(CrosspostException.Kind.INVALID, "invalid_cursor", "cursor is not one this API returned");
    }
}
