package dev.crosspost.trends;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** What is counted: hashtags, or the other words of posts less stopwords. */
public enum TrendKind {
    TAGS, TERMS;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The kind named {@code tags} or {@code terms}. */
    public static Optional<TrendKind> of(String label) {
        return Arrays.stream(values()).filter(k -> k.label().equals(label)).findFirst();
    }
}
