package dev.crosspost.trends;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class TrendCounterTests {

    private static final Instant START = Instant.parse("2026-11-22T12:00:30Z");
    private final MutableClock clock = new MutableClock(START);
    private final TrendCounter counter = new TrendCounter(clock, 50);

    private static long us(Instant at) {
        return at.toEpochMilli() * 1000;
    }

    private void post(Instant at, String... tags) {
        counter.add(us(at), Set.of(tags), Set.of());
    }

    @Test
    void countsEachWindowFromTheEventsInsideIt() {
        Instant now = START;
        post(now.minus(Duration.ofHours(20)), "old");               // only in 24h
        post(now.minus(Duration.ofMinutes(40)), "hour", "both");    // 1h and 24h
        post(now.minus(Duration.ofMinutes(5)), "recent", "both");   // every window
        post(now, "recent");

        assertThat(counter.top(TrendWindow.M15, TrendKind.TAGS, 10)).extracting(Trend::key, Trend::count)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("recent", 2L), org.assertj.core.groups.Tuple.tuple("both", 1L));
        assertThat(counter.top(TrendWindow.H1, TrendKind.TAGS, 10)).extracting(Trend::key)
                .containsExactly("both", "recent", "hour");
        assertThat(counter.top(TrendWindow.H24, TrendKind.TAGS, 10)).extracting(Trend::key)
                .containsExactly("both", "recent", "hour", "old");
        assertThat(counter.top(TrendWindow.M15, TrendKind.TERMS, 10)).isEmpty();
    }

    @Test
    void windowsSlideAsTheClockMoves() {
        post(START, "a");
        post(START, "a");
        clock.advance(Duration.ofMinutes(10));
        post(START.plus(Duration.ofMinutes(10)), "b");
        assertThat(counter.top(TrendWindow.M15, TrendKind.TAGS, 10)).extracting(Trend::key).containsExactly("a", "b");

        clock.advance(Duration.ofMinutes(6)); // "a" is 16 minutes old now
        assertThat(counter.top(TrendWindow.M15, TrendKind.TAGS, 10)).extracting(Trend::key).containsExactly("b");
        assertThat(counter.top(TrendWindow.H1, TrendKind.TAGS, 10)).extracting(Trend::count).containsExactly(2L, 1L);

        clock.advance(Duration.ofMinutes(60));
        assertThat(counter.top(TrendWindow.H1, TrendKind.TAGS, 10)).isEmpty();
        assertThat(counter.top(TrendWindow.H24, TrendKind.TAGS, 10)).extracting(Trend::key).containsExactly("a", "b");

        clock.advance(Duration.ofHours(25));
        assertThat(counter.top(TrendWindow.H24, TrendKind.TAGS, 10)).isEmpty();
    }

    @Test
    void eventsOlderThanADayAreNotCountedAndFutureOnesCountAsNow() {
        assertThat(counter.add(us(START.minus(Duration.ofHours(25))), Set.of("ancient"), Set.of())).isFalse();
        assertThat(counter.add(us(START.plus(Duration.ofMinutes(3))), Set.of("skewed"), Set.of())).isTrue();
        assertThat(counter.top(TrendWindow.M15, TrendKind.TAGS, 10)).extracting(Trend::key).containsExactly("skewed");
    }

    @Test
    void scoreComparesTheWindowRateWithTheDay() {
        // one "steady" post per hour for 20 hours, then a burst of "hot" in the last 15 minutes
        for (int h = 20; h >= 1; h--) {
            post(START.minus(Duration.ofHours(h)), "steady");
        }
        for (int i = 0; i < 10; i++) {
            post(START.minus(Duration.ofMinutes(i)), "hot");
        }
        post(START, "steady");
        List<Trend> top = counter.top(TrendWindow.M15, TrendKind.TAGS, 10);
        Trend hot = top.stream().filter(t -> t.key().equals("hot")).findFirst().orElseThrow();
        Trend steady = top.stream().filter(t -> t.key().equals("steady")).findFirst().orElseThrow();
        assertThat(hot.score()).isGreaterThan(steady.score());
        assertThat(hot.score()).isGreaterThan(1.0);
    }

    @Test
    void limitCutsTheList() {
        for (int i = 0; i < 30; i++) {
            post(START, "t" + i);
        }
        assertThat(counter.top(TrendWindow.H1, TrendKind.TAGS, 5)).hasSize(5);
    }

    @Test
    void memoryStaysBoundedUnderManyDistinctKeys() {
        // a day of minutes with 5,000 distinct keys each, and a few keys that are always there
        for (int minute = 0; minute < 24 * 60; minute += 7) {
            Instant at = START.plus(Duration.ofMinutes(minute));
            clock.advance(Duration.ofMinutes(minute == 0 ? 0 : 7));
            for (int i = 0; i < 5_000; i++) {
                counter.add(us(at), Set.of("unique" + minute + "-" + i, "popular"), Set.of("word" + minute + "-" + i, "common"));
            }
            // every bucket holds at most 2 x top-K keys per kind: 60 minute and 24 hour buckets, tags and terms
            assertThat(counter.keysHeld()).isLessThanOrEqualTo((TrendCounter.MINUTE_SLOTS + TrendCounter.HOUR_SLOTS) * 2 * 2 * 50);
        }
        assertThat(counter.top(TrendWindow.H1, TrendKind.TAGS, 1)).extracting(Trend::key).containsExactly("popular");
        assertThat(counter.top(TrendWindow.H1, TrendKind.TERMS, 1)).extracting(Trend::key).containsExactly("common");
        assertThat(counter.top(TrendWindow.H1, TrendKind.TAGS, 1).getFirst().count()).isEqualTo(9 * 5_000L);
    }
}
