package dev.crosspost.trends;

import java.util.Arrays;
import java.util.Optional;

/** A sliding window over which trends are counted, named as the API takes it. */
public enum TrendWindow {
    M15("15m", 15), H1("1h", 60), H24("24h", 1440);

    private final String label;
    private final int minutes;

    TrendWindow(String label, int minutes) {
        this.label = label;
        this.minutes = minutes;
    }

    public String label() {
        return label;
    }

    public int minutes() {
        return minutes;
    }

    /** The window named {@code 15m}, {@code 1h} or {@code 24h}. */
    public static Optional<TrendWindow> of(String label) {
        return Arrays.stream(values()).filter(w -> w.label.equals(label)).findFirst();
    }
}
