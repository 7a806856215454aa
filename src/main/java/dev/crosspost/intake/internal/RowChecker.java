package dev.crosspost.intake.internal;

import dev.crosspost.system.net.SafeFetcher;
import org.jspecify.annotations.Nullable;

import java.math.BigDecimal;
import java.util.Currency;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks one row's raw values and says, field by field, what is wrong. Errors keep the row out; warnings (a time
 * in a DST gap or overlap, a time already past, an ignored time zone) let it in with a note. Duplicate ids are
 * found by the store.
 */
public final class RowChecker {

    /** The columns of a content CSV, in the order the export writes them. */
    public static final List<String> COLUMNS = List.of("id", "title", "description", "price", "currency", "product_url", "image_url",
            "video_url", "platforms", "publish_at", "timezone", "hashtags");
    static final Set<String> REQUIRED = Set.of("id", "title", "platforms");

    private static final Pattern ID = Pattern.compile("[\\p{L}\\p{N}._:/#-]{1,100}");
    private static final Pattern HASHTAG = Pattern.compile("[\\p{L}\\p{N}_]{1,100}");
    private static final Pattern CONTROL = Pattern.compile("[\\p{Cc}&&[^\\n\\t]]");
    private static final DateTimeFormatter LOCAL_TIME = new DateTimeFormatterBuilder()
            .append(DateTimeFormatter.ISO_LOCAL_DATE).appendLiteral('T').appendPattern("HH:mm")
            .optionalStart().appendLiteral(':').appendValue(ChronoField.SECOND_OF_MINUTE, 2).optionalEnd()
            .toFormatter(Locale.ROOT);

    private final Set<String> platforms;
    private final SafeFetcher fetcher;
    private final Clock clock;

    /** @param platforms the platform names rows may name */
    public RowChecker(Set<String> platforms, SafeFetcher fetcher, Clock clock) {
        this.platforms = Set.copyOf(platforms);
        this.fetcher = fetcher;
        this.clock = clock;
    }

    /** The checked row (null when it has errors) and everything found. */
    public record Checked(@Nullable RowData row, List<Problem> problems) {
    }

    /** Checks a row given as column name → raw value (absent columns read as empty). */
    public Checked check(int rowNumber, int line, Map<String, String> raw) {
        List<Problem> problems = new ArrayList<>();
        Field f = new Field(rowNumber, line, raw, problems);

        String id = f.text("id", 100, true);
        if (id != null && !ID.matcher(id).matches()) {
            f.error("id", "must be letters, digits and . _ : / # - only, like P-1001");
        }
        String title = f.text("title", 300, true);
        String description = f.text("description", 5000, false);
        BigDecimal price = price(f);
        String currency = currency(f, price);
        String productUrl = link(f, "product_url");
        String imageUrl = media(f, "image_url");
        String videoUrl = media(f, "video_url");
        List<String> targets = platforms(f);
        List<String> hashtags = hashtags(f);
        String timezone = f.text("timezone", 64, false);
        LocalDateTime publishAt = publishAt(f, timezone);

        boolean failed = problems.stream().anyMatch(Problem::isError);
        RowData row = failed ? null : new RowData(id, title, description == null ? "" : description, price, currency, productUrl,
                imageUrl, videoUrl, targets, hashtags, publishAt, publishAt == null ? null : timezone);
        return new Checked(row, problems);
    }

    private static @Nullable BigDecimal price(Field f) {
        String value = f.text("price", 32, false);
        if (value == null) {
            return null;
        }
        BigDecimal price;
        try {
            price = new BigDecimal(value);
        } catch (NumberFormatException e) {
            f.error("price", "'" + value + "' is not a number like 129.00");
            return null;
        }
        if (price.signum() < 0) {
            f.error("price", "must not be negative (" + value + ")");
            return null;
        }
        if (price.scale() > 2 || price.precision() - price.scale() > 12) {
            f.error("price", "must have at most 12 digits before and 2 after the point (" + value + ")");
            return null;
        }
        return price;
    }

    private static @Nullable String currency(Field f, @Nullable BigDecimal price) {
        String value = f.text("currency", 3, false);
        if (value == null) {
            if (price != null) {
                f.error("currency", "is required with a price (an ISO 4217 code like USD)");
            }
            return null;
        }
        try {
            return Currency.getInstance(value.toUpperCase(Locale.ROOT)).getCurrencyCode();
        } catch (IllegalArgumentException e) {
            f.error("currency", "'" + value + "' is not an ISO 4217 currency code like USD");
            return null;
        }
    }

    private static @Nullable String link(Field f, String column) {
        String value = f.text(column, SafeFetcher.MAX_URL_LENGTH, false);
        if (value == null) {
            return null;
        }
        String lower = value.toLowerCase(Locale.ROOT);
        if (!lower.startsWith("https://") && !lower.startsWith("http://")) {
            f.error(column, "must be an http:// or https:// URL");
            return null;
        }
        return value;
    }

    private @Nullable String media(Field f, String column) {
        String value = f.text(column, SafeFetcher.MAX_URL_LENGTH, false);
        if (value == null) {
            return null;
        }
        List<String> unsafe = fetcher.problems(value);
        if (!unsafe.isEmpty()) {
            f.error(column, "unsafe URL: " + String.join("; ", unsafe));
            return null;
        }
        return value;
    }

    private List<String> platforms(Field f) {
        String value = f.text("platforms", 500, true);
        if (value == null) {
            return List.of();
        }
        Set<String> names = new LinkedHashSet<>();
        for (String part : value.split(";")) {
            String name = part.trim().toLowerCase(Locale.ROOT);
            if (name.isEmpty()) {
                continue;
            }
            if (!platforms.contains(name)) {
                f.error("platforms", "unknown platform '" + part.trim() + "'; known: " + String.join(", ", platforms.stream().sorted().toList()));
            }
            names.add(name);
        }
        if (names.isEmpty()) {
            f.error("platforms", "must name at least one platform, separated by ';' (e.g. x;instagram)");
        }
        return List.copyOf(names);
    }

    private static List<String> hashtags(Field f) {
        String value = f.text("hashtags", 2000, false);
        if (value == null) {
            return List.of();
        }
        Set<String> tags = new LinkedHashSet<>();
        for (String part : value.split(";")) {
            String tag = part.trim();
            if (tag.startsWith("#")) {
                tag = tag.substring(1);
            }
            if (tag.isEmpty()) {
                continue;
            }
            if (!HASHTAG.matcher(tag).matches()) {
                f.error("hashtags", "'" + part.trim() + "' is not a hashtag (letters, digits and _ only; separate tags with ';')");
                continue;
            }
            tags.add(tag);
        }
        return List.copyOf(tags);
    }

    private @Nullable LocalDateTime publishAt(Field f, @Nullable String timezone) {
        String value = f.text("publish_at", 32, false);
        ZoneId zone = null;
        if (timezone != null) {
            if (timezone.startsWith("+") || timezone.startsWith("-") || !ZoneId.getAvailableZoneIds().contains(timezone)) {
                f.error("timezone", "'" + timezone + "' is not an IANA time zone like Europe/Berlin");
            } else {
                zone = ZoneId.of(timezone);
            }
        }
        if (value == null) {
            if (timezone != null) {
                f.warning("timezone", "ignored: there is no publish_at");
            }
            return null;
        }
        LocalDateTime local;
        try {
            local = LocalDateTime.parse(value.replace(' ', 'T'), LOCAL_TIME);
        } catch (DateTimeParseException e) {
            f.error("publish_at", "'" + value + "' is not a local date-time like 2027-03-01T09:00");
            return null;
        }
        if (timezone == null) {
            f.error("timezone", "is required with publish_at (an IANA zone like Europe/Berlin)");
            return null;
        }
        if (zone == null) {
            return null;
        }
        // what the schedule will make of it: a gap moves forward by its length, an overlap takes the earlier offset
        ZonedDateTime at = ZonedDateTime.ofLocal(local, zone, null);
        var transition = zone.getRules().getTransition(local);
        if (transition != null && transition.isGap()) {
            f.warning("publish_at", local + " does not exist in " + zone + " (the clocks jump at " + transition.getDateTimeBefore().toLocalTime()
                    + "); it will publish at " + at.toLocalDateTime());
        } else if (transition != null) {
            f.warning("publish_at", local + " happens twice in " + zone + "; it will publish at the first, " + transition.getOffsetBefore());
        }
        if (at.toInstant().isBefore(clock.instant())) {
            // imported anyway: a row is published as soon as it is ready once its time has come
            f.warning("publish_at", local + " in " + zone + " has already passed; the row will publish as soon as it is ready");
        }
        return local;
    }

    /** Reads fields of one row, collecting problems. */
    private static final class Field {
        private final int row;
        private final int line;
        private final Map<String, String> raw;
        private final List<Problem> problems;

        Field(int row, int line, Map<String, String> raw, List<Problem> problems) {
            this.row = row;
            this.line = line;
            this.raw = raw;
            this.problems = problems;
        }

        @Nullable String text(String column, int max, boolean required) {
            String value = raw.get(column);
            value = value == null ? null : value.strip();
            if (value == null || value.isEmpty()) {
                if (required) {
                    error(column, "is required");
                }
                return null;
            }
            if (value.codePointCount(0, value.length()) > max) {
                error(column, "must be at most " + max + " characters");
                return null;
            }
            if (CONTROL.matcher(value).find()) {
                error(column, "must not contain control characters");
                return null;
            }
            return value;
        }

        void error(String column, String reason) {
            problems.add(Problem.error(row, line, column, reason));
        }

        void warning(String column, String reason) {
            problems.add(Problem.warning(row, line, column, reason));
        }
    }
}
