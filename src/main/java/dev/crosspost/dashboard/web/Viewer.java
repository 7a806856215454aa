package dev.crosspost.dashboard.web;

import org.jspecify.annotations.Nullable;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** Who is looking, as far as pages care: their time zone and the time of the request; formats times for them. */
public record Viewer(ZoneId zone, Instant now) {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("EEE d MMM yyyy, HH:mm", Locale.ENGLISH);
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm", Locale.ENGLISH);
    private static final DateTimeFormatter INPUT = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm", Locale.ENGLISH);

    public String time(@Nullable Instant at) {
        return at == null ? "" : TIME.format(at.atZone(zone));
    }

    public String clock(Instant at) {
        return CLOCK.format(at.atZone(zone));
    }

    /** The value of a {@code datetime-local} input showing {@code at} in the viewer's zone. */
    public String input(Instant at) {
        return INPUT.format(at.atZone(zone));
    }

    public LocalDate date(Instant at) {
        return at.atZone(zone).toLocalDate();
    }

    /** "in 4 min", "2 h ago": how far from now, rounded to the unit a person would use. */
    public String relative(@Nullable Instant at) {
        if (at == null) {
            return "";
        }
        Duration d = Duration.between(now, at);
        boolean future = !d.isNegative();
        long s = Math.abs(d.toSeconds());
        String amount = s < 60 ? s + " s" : s < 3600 ? s / 60 + " min" : s < 172_800 ? s / 3600 + " h" : s / 86_400 + " days";
        return future ? "in " + amount : amount + " ago";
    }
}
