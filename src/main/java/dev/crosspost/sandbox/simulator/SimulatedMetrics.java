package dev.crosspost.sandbox.simulator;

import dev.crosspost.sandbox.RecordedPost;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

/**
 * The engagement a simulator reports for a post it accepted: deterministic counts that grow with every whole hour
 * since the post, each derived from a hash of the post's id and the metric's name. Tests compute the same numbers.
 */
public final class SimulatedMetrics {

    private SimulatedMetrics() {
    }

    /** The count of {@code metric} (the platform's own name, e.g. {@code like_count}) for the post at {@code now}. */
    public static long count(RecordedPost post, String metric, Instant now) {
        return count(post.id(), metric, post.createdAt(), now);
    }

    /** The count of {@code metric} for the post {@code postId} created at {@code createdAt}, at {@code now}. */
    public static long count(String postId, String metric, Instant createdAt, Instant now) {
        long hash = fnv(postId + "|" + metric);
        long base = Math.floorMod(hash, 20);
        long perHour = 1 + Math.floorMod(hash >>> 16, 50);
        long hours = Math.max(0, Duration.between(createdAt, now).toHours());
        return base + perHour * hours;
    }

    // FNV-1a, 64 bit: stable across JVMs, unlike String.hashCode's spread
    private static long fnv(String s) {
        long h = 0xcbf29ce484222325L;
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        return h;
    }
}
