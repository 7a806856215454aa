package dev.crosspost.trends;

import dev.crosspost.support.CrosspostIntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Saved minutes of counts (V85): a restart keeps the windows and resumes the stream where the saved counts end. */
@CrosspostIntegrationTest
class TrendSnapshotsTests {

    @Autowired
    TrendSnapshots snapshots;
    @Autowired
    CursorStore cursors;

    @Test
    void aRestartKeepsTheClosedMinutesOfEveryWindow() {
        String source = "test-" + UUID.randomUUID();
        Instant now = Instant.now();
        long nowMinute = Math.floorDiv(now.toEpochMilli(), 60_000L);
        MutableClock clock = new MutableClock(now);
        TrendCounter before = new TrendCounter(clock, 50);
        for (int m = 2; m <= 50; m++) {
            long timeUs = now.minus(Duration.ofMinutes(m)).toEpochMilli() * 1000;
            before.add(timeUs, Set.of("tag" + m % 3, "every"), Set.of("term" + m % 4));
        }
        before.add(now.toEpochMilli() * 1000, Set.of("open"), Set.of()); // the current minute is not saved

        long saved = snapshots.save(source, before, -1);
        assertThat(saved).isEqualTo(nowMinute - 2);
        assertThat(snapshots.save(source, before, saved)).as("nothing new to save").isEqualTo(saved);

        TrendCounter after = new TrendCounter(clock, 50);
        assertThat(snapshots.restore(source, after)).isEqualTo(saved);
        for (TrendWindow window : TrendWindow.values()) {
            for (TrendKind kind : TrendKind.values()) {
                assertThat(after.top(window, kind, 100)).as(window + " " + kind)
                        .containsExactlyElementsOf(before.top(window, kind, 100).stream().filter(t -> !t.key().equals("open")).toList());
            }
        }
        assertThat(after.top(TrendWindow.H1, TrendKind.TAGS, 1)).extracting(Trend::key, Trend::count)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("every", 49L));
    }

    @Test
    void theCollectorResumesFromTheEndOfTheLastSavedMinuteWhenItsCursorIsLater() {
        String source = "test-" + UUID.randomUUID();
        long savedMinute = Math.floorDiv(System.currentTimeMillis(), 60_000L) - 5;
        long ceiling = (savedMinute + 1) * 60_000_000L - 1;
        cursors.save(source, ceiling + 120_000_000L); // processed two minutes past what was saved
        // nothing listens on port 9 (discard): the client stays at the cursor it started from
        JetstreamClient client = new JetstreamClient(source, () -> URI.create("ws://127.0.0.1:9/subscribe"), cursors, (t, d, r, k) -> { },
                new JetstreamClient.Options(16, Duration.ofHours(1), Duration.ofSeconds(3), attempt -> Duration.ofHours(1)),
                java.time.Clock.systemUTC());
        try {
            client.start(ceiling);
            assertThat(client.status().cursor()).isEqualTo(ceiling);
            assertThat(client.nextUri().getQuery()).isEqualTo("wantedCollections=app.bsky.feed.post&cursor=" + (ceiling - 3_000_000L));
        } finally {
            client.kill();
        }
        assertThat(cursors.load(source)).as("the stored cursor never moves back").hasValue(ceiling + 120_000_000L);
    }
}
