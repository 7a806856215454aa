package dev.crosspost.publishing;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;

import static org.assertj.core.api.Assertions.assertThat;

/** Publish times across daylight-saving changes. */
class LocalScheduleUnitTests {

    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

    @Test
    void aTimeInTheSpringGapMovesForwardByTheGap() {
        // 2026-03-29 02:00 CET -> 03:00 CEST in Berlin; 02:30 never happens
        LocalSchedule s = LocalSchedule.resolve(LocalDateTime.parse("2026-03-29T02:30"), BERLIN);
        assertThat(s.instant()).isEqualTo(Instant.parse("2026-03-29T01:30:00Z")); // 03:30 CEST
        assertThat(s.adjusted()).isTrue();
    }

    @Test
    void aTimeInTheAutumnOverlapTakesTheEarlierInstant() {
        // 2026-11-01 02:00 EDT -> 01:00 EST in New York; 01:30 happens twice
        LocalSchedule s = LocalSchedule.resolve(LocalDateTime.parse("2026-11-01T01:30"), NEW_YORK);
        assertThat(s.instant()).isEqualTo(Instant.parse("2026-11-01T05:30:00Z")); // 01:30 EDT, the first one
        assertThat(s.adjusted()).isFalse();
    }

    @Test
    void ordinaryTimesUseTheZonesOffsetOnThatDay() {
        assertThat(LocalSchedule.resolve(LocalDateTime.parse("2026-12-01T09:00"), BERLIN).instant())
                .isEqualTo(Instant.parse("2026-12-01T08:00:00Z"));
        assertThat(LocalSchedule.resolve(LocalDateTime.parse("2026-07-01T09:00"), BERLIN).instant())
                .isEqualTo(Instant.parse("2026-07-01T07:00:00Z"));
    }

    @Test
    void aPickedTimeHasPassedOnlyOnceItIsMoreThanAMinuteAgo() {
        LocalSchedule nine = LocalSchedule.resolve(LocalDateTime.parse("2026-12-01T09:00"), BERLIN); // 08:00Z
        assertThat(nine.passed(Instant.parse("2026-12-01T08:00:59Z"))).isFalse();
        assertThat(nine.passed(Instant.parse("2026-12-01T08:01:00Z"))).isFalse();
        assertThat(nine.passed(Instant.parse("2026-12-01T08:01:01Z"))).isTrue();
        assertThat(nine.passed(Instant.parse("2026-12-01T07:00:00Z"))).isFalse();
    }
}
