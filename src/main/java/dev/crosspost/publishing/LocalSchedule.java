package dev.crosspost.publishing;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;

/**
 * A wall-clock time in an IANA zone, as people write publish times, resolved to an instant.
 * In a DST gap (a time that never happens, e.g. 02:30 when clocks jump 02:00→03:00) the post moves forward by
 * the length of the gap (03:30). In an overlap (a time that happens twice) the earlier instant is used, so a post
 * never goes out an hour late.
 *
 * @param adjusted true when the local time fell in a gap and was moved
 */
public record LocalSchedule(LocalDateTime localTime, ZoneId zone, Instant instant, boolean adjusted) {

    public static LocalSchedule resolve(LocalDateTime localTime, ZoneId zone) {
        ZonedDateTime zoned = ZonedDateTime.ofLocal(localTime, zone, null);
        boolean moved = !zoned.toLocalDateTime().equals(localTime);
        return new LocalSchedule(localTime, zone, zoned.toInstant(), moved);
    }

    /**
     * Whether a person picked a time already gone: more than a minute before {@code now}, since a time picker's
     * current minute is already a little in the past and still means now.
     */
    public boolean passed(Instant now) {
        return instant.isBefore(now.minus(Duration.ofMinutes(1)));
    }
}
