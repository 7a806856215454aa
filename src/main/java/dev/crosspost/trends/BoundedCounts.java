package dev.crosspost.trends;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Counts per key that never hold more than twice {@code cap} keys: when full, only the {@code cap} largest counts are
 * kept. Keys that fall out restart from zero, so counts are exact for keys that stay among the top and a lower bound
 * for the rest. Not thread-safe.
 */
final class BoundedCounts {

    private final int cap;
    private HashMap<String, long[]> counts;

    BoundedCounts(int cap) {
        this.cap = cap;
        this.counts = HashMap.newHashMap(Math.min(cap, 1024));
    }

    void add(String key) {
        add(key, 1);
    }

    void add(String key, long n) {
        long[] count = counts.get(key);
        if (count == null) {
            if (counts.size() >= 2 * cap) {
                trim();
            }
            counts.put(key, new long[] {n});
        } else {
            count[0] += n;
        }
    }

    /** A copy of the {@code cap} largest counts. */
    Map<String, Long> top() {
        trim();
        Map<String, Long> copy = HashMap.newHashMap(counts.size());
        counts.forEach((key, count) -> copy.put(key, count[0]));
        return copy;
    }

    /** Keeps only the {@code cap} largest counts. */
    void trim() {
        if (counts.size() <= cap) {
            return;
        }
        List<Map.Entry<String, long[]>> entries = new ArrayList<>(counts.entrySet());
        entries.sort((a, b) -> Long.compare(b.getValue()[0], a.getValue()[0]));
        HashMap<String, long[]> kept = HashMap.newHashMap(cap);
        for (int i = 0; i < cap; i++) {
            kept.put(entries.get(i).getKey(), entries.get(i).getValue());
        }
        counts = kept;
    }

    int size() {
        return counts.size();
    }

    void addTo(Map<String, long[]> into) {
        counts.forEach((key, count) -> into.computeIfAbsent(key, k -> new long[1])[0] += count[0]);
    }
}
