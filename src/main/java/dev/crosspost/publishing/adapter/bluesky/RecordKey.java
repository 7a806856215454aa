package dev.crosspost.publishing.adapter.bluesky;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The record key of a publication's post: TID-shaped (13 base32-sortable characters, as the post lexicon's
 * {@code tid} key type requires) and derived from the idempotency key, so every retry names the same record and
 * the PDS cannot hold it twice.
 */
final class RecordKey {

    private static final String ALPHABET = "234567abcdefghijklmnopqrstuvwxyz";

    private RecordKey() {
    }

    static String of(String idempotencyKey) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(idempotencyKey.getBytes(StandardCharsets.UTF_8));
            long value = 0;
            for (int i = 0; i < 8; i++) {
                value = (value << 8) | (hash[i] & 0xFF);
            }
            value &= Long.MAX_VALUE; // a TID's top bit is always 0
            char[] tid = new char[13];
            for (int i = 12; i >= 0; i--) {
                tid[i] = ALPHABET.charAt((int) (value & 31));
                value >>>= 5;
            }
            return new String(tid);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
