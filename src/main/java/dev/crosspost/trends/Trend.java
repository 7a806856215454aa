package dev.crosspost.trends;

/**
 * One trending tag or term in a window.
 *
 * @param key the normalized tag (without {@code #}) or term
 * @param count posts in the window that carry it (approximate for keys outside the per-minute top-K)
 * @param score its rate in the window over its rate across the last 24 h (1 = as usual, above 1 = rising)
 */
public record Trend(String key, long count, double score) {
}
