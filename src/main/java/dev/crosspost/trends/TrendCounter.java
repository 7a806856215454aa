package dev.crosspost.trends;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Tags and terms counted in per-minute buckets for the last hour and per-hour buckets for the last day, each bucket
 * bounded to the top-K keys ({@link BoundedCounts}), so memory stays bounded whatever comes in. Events are placed by
 * their own time; the windows end at the clock's now. The 15 min and 1 h windows are exact to the minute; the 24 h
 * window is read at hour granularity (the current hour and the 23 before it). Thread-safe.
 */
final class TrendCounter {

    static final int MINUTE_SLOTS = 60;
    static final int HOUR_SLOTS = 24;

    private final Clock clock;
    private final int topK;
    private final Bucket[] minutes = new Bucket[MINUTE_SLOTS];
    private final Bucket[] hours = new Bucket[HOUR_SLOTS];
    private long firstMinute = Long.MAX_VALUE;

    TrendCounter(Clock clock, int topK) {
        this.clock = clock;
        this.topK = topK;
    }

    /** Counts one post at {@code timeUs}; false when it is older than the 24 h window and was not counted. */
    synchronized boolean add(long timeUs, Collection<String> tags, Collection<String> terms) {
        long now = nowMinute();
        long minute = Math.min(Math.floorDiv(timeUs, 60_000_000L), now);
        long hour = Math.floorDiv(minute, 60);
        if (hour <= Math.floorDiv(now, 60) - HOUR_SLOTS) {
            return false;
        }
        firstMinute = Math.min(firstMinute, minute);
        if (minute > now - MINUTE_SLOTS) {
            slot(minutes, minute).add(tags, terms);
        }
        slot(hours, hour).add(tags, terms);
        return true;
    }

    /** The {@code limit} largest counts of {@code kind} in {@code window}, largest first, ties by key. */
    synchronized List<Trend> top(TrendWindow window, TrendKind kind, int limit) {
        long now = nowMinute();
        Map<String, long[]> inWindow = window == TrendWindow.H24 ? sumDay(kind, now) : sumMinutes(kind, now, window.minutes());
        Map<String, long[]> day = window == TrendWindow.H24 ? inWindow : sumDay(kind, now);
        long covered = Math.max(1, Math.min(TrendWindow.H24.minutes(), now - Math.min(firstMinute, now) + 1));
        long windowMinutes = Math.min(window.minutes(), covered);
        List<Trend> trends = new ArrayList<>(inWindow.size());
        inWindow.forEach((key, count) -> {
            long dayCount = day.containsKey(key) ? Math.max(day.get(key)[0], count[0]) : count[0];
            double score = ((double) count[0] / windowMinutes) / ((double) dayCount / covered);
            trends.add(new Trend(key, count[0], Math.round(score * 100) / 100.0));
        });
        trends.sort((a, b) -> a.count() != b.count() ? Long.compare(b.count(), a.count()) : a.key().compareTo(b.key()));
        return List.copyOf(trends.subList(0, Math.min(limit, trends.size())));
    }

    /** One closed minute's top-K counts, for {@link TrendSnapshots}. */
    record MinuteCounts(long minute, Map<String, Long> tags, Map<String, Long> terms) {
    }

    /**
     * The minutes after {@code after} that can no longer change: older than the minute before now, which stays open
     * for events that arrive a little late.
     */
    synchronized List<MinuteCounts> closedMinutesAfter(long after) {
        long now = nowMinute();
        List<MinuteCounts> closed = new ArrayList<>();
        for (Bucket b : minutes) {
            if (b != null && b.time > after && b.time < now - 1 && b.time > now - MINUTE_SLOTS) {
                closed.add(new MinuteCounts(b.time, b.tags.top(), b.terms.top()));
            }
        }
        closed.sort((a, b) -> Long.compare(a.minute(), b.minute()));
        return closed;
    }

    /** Adds saved counts of {@code minute}; false when it is out of the 24 h window. */
    synchronized boolean restore(long minute, TrendKind kind, String key, long count) {
        long now = nowMinute();
        if (minute > now || Math.floorDiv(minute, 60) <= Math.floorDiv(now, 60) - HOUR_SLOTS) {
            return false;
        }
        firstMinute = Math.min(firstMinute, minute);
        if (minute > now - MINUTE_SLOTS) {
            slot(minutes, minute).of(kind).add(key, count);
        }
        slot(hours, Math.floorDiv(minute, 60)).of(kind).add(key, count);
        return true;
    }

    /** Keys held across all buckets: what bounds memory. */
    synchronized int keysHeld() {
        int keys = 0;
        for (Bucket[] ring : List.of(minutes, hours)) {
            for (Bucket b : ring) {
                keys += b == null ? 0 : b.tags.size() + b.terms.size();
            }
        }
        return keys;
    }

    private Map<String, long[]> sumMinutes(TrendKind kind, long now, int span) {
        Map<String, long[]> sum = new HashMap<>();
        for (Bucket b : minutes) {
            if (b != null && b.time > now - span && b.time <= now) {
                b.of(kind).addTo(sum);
            }
        }
        return sum;
    }

    private Map<String, long[]> sumDay(TrendKind kind, long now) {
        long hour = Math.floorDiv(now, 60);
        Map<String, long[]> sum = new HashMap<>();
        for (Bucket b : hours) {
            if (b != null && b.time > hour - HOUR_SLOTS && b.time <= hour) {
                b.of(kind).addTo(sum);
            }
        }
        return sum;
    }

    private Bucket slot(Bucket[] ring, long time) {
        int i = (int) Math.floorMod(time, (long) ring.length);
        Bucket b = ring[i];
        if (b == null || b.time != time) {
            b = new Bucket(time, topK);
            ring[i] = b;
            // the bucket before it is closed now: shrink it to its top-K for the rest of its life
            Bucket previous = ring[Math.floorMod(i - 1, ring.length)];
            if (previous != null) {
                previous.tags.trim();
                previous.terms.trim();
            }
        }
        return b;
    }

    private long nowMinute() {
        return Math.floorDiv(clock.millis(), 60_000L);
    }

    /** One minute's or one hour's counts. */
    private static final class Bucket {
        final long time;
        final BoundedCounts tags;
        final BoundedCounts terms;

        Bucket(long time, int topK) {
            this.time = time;
            this.tags = new BoundedCounts(topK);
            this.terms = new BoundedCounts(topK);
        }

        void add(Collection<String> tagKeys, Collection<String> termKeys) {
            tagKeys.forEach(tags::add);
            termKeys.forEach(terms::add);
        }

        BoundedCounts of(TrendKind kind) {
            return kind == TrendKind.TAGS ? tags : terms;
        }
    }
}
