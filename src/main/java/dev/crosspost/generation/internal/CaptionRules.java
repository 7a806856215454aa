package dev.crosspost.generation.internal;

import org.jspecify.annotations.Nullable;

import java.nio.charset.StandardCharsets;
import java.text.BreakIterator;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Each platform's caption limits, and the one place that fits a draft into them: the body is cut at a word boundary
 * (whole graphemes, never half an emoji) and ends with an ellipsis; hashtags are dropped, last first, only when they
 * would leave the body less than half the room.
 */
final class CaptionRules {

    /** How a platform counts. */
    enum Unit { X_WEIGHTED, GRAPHEMES, CODE_POINTS, UTF8_BYTES }

    /**
     * @param titleLimit 0 when the platform has no title; else the title is the caption's first line
     * @param withLink whether the product link goes into the text (Instagram and TikTok captions do not link)
     */
    record Rule(String platform, Unit unit, int limit, int titleLimit, boolean withLink, int maxHashtags) {
    }

    static final int TCO_LENGTH = 23;
    private static final Rule FALLBACK = new Rule("other", Unit.CODE_POINTS, 2_000, 0, true, 5);
    private static final List<Rule> RULES = List.of(
            new Rule("x", Unit.X_WEIGHTED, 280, 0, true, 2),
            new Rule("instagram", Unit.CODE_POINTS, 2_200, 0, false, 10),
            new Rule("tiktok", Unit.CODE_POINTS, 2_200, 0, false, 5),
            new Rule("youtube", Unit.UTF8_BYTES, 5_000, 100, true, 3),
            new Rule("pinterest", Unit.CODE_POINTS, 500, 100, false, 5),
            new Rule("bluesky", Unit.GRAPHEMES, 300, 0, true, 3));
    private static final Pattern URL = Pattern.compile("https?://\\S+");
    private static final String ELLIPSIS = "…";

    private CaptionRules() {
    }

    static Rule of(String platform) {
        return RULES.stream().filter(r -> r.platform().equals(platform)).findFirst().orElse(FALLBACK);
    }

    /** The caption text: an optional title line, the body, the link and hashtags, within the platform's limits. */
    static String fit(Rule rule, @Nullable String title, String body, @Nullable String link, List<String> hashtags) {
        String fittedTitle = null;
        if (rule.titleLimit() > 0) {
            String t = title == null || title.isBlank() ? firstWords(body) : title;
            fittedTitle = cut(t.replace('<', ' ').replace('>', ' ').replaceAll("\\s+", " ").strip(), rule.titleLimit(), Unit.GRAPHEMES);
        }
        String url = rule.withLink() ? link : null;
        List<String> tags = new ArrayList<>(hashtags.subList(0, Math.min(hashtags.size(), rule.maxHashtags())));
        String full = compose(fittedTitle, body, url, tags);
        if (count(description(full, fittedTitle), rule.unit()) <= rule.limit()) {
            return full;
        }
        // hashtags stay unless they would leave the text less than half the room; then the last ones go first
        while (!tags.isEmpty() && room(rule, fittedTitle, url, tags) < rule.limit() / 2) {
            tags.removeLast();
        }
        full = compose(fittedTitle, body, url, tags);
        if (count(description(full, fittedTitle), rule.unit()) > rule.limit()) {
            // the separator between body and link needs room too
            full = compose(fittedTitle, cut(body, Math.max(1, room(rule, fittedTitle, url, tags) - 2), rule.unit()), url, tags);
        }
        return full;
    }

    private static int room(Rule rule, @Nullable String title, @Nullable String url, List<String> tags) {
        return rule.limit() - count(description(compose(title, "", url, tags), title), rule.unit());
    }

    static int count(String text, Unit unit) {
        return switch (unit) {
            case X_WEIGHTED -> xWeighted(text);
            case GRAPHEMES -> graphemes(text).size();
            case CODE_POINTS -> text.codePointCount(0, text.length());
            case UTF8_BYTES -> text.getBytes(StandardCharsets.UTF_8).length;
        };
    }

    /**
     * X's weighted length (twitter-text v3): Latin and general punctuation weigh 1, other characters 2, an emoji
     * sequence 2 in all, and every URL the t.co length of 23.
     */
    static int xWeighted(String text) {
        int total = 0;
        Matcher m = URL.matcher(text);
        int last = 0;
        while (m.find()) {
            total += weighted(text.substring(last, m.start())) + TCO_LENGTH;
            last = m.end();
        }
        return total + weighted(text.substring(last));
    }

    private static int weighted(String text) {
        int total = 0;
        for (String g : graphemes(text)) {
            if (g.codePoints().anyMatch(CaptionRules::isEmoji)) {
                total += 2;
                continue;
            }
            for (int cp : g.codePoints().toArray()) {
                boolean light = cp <= 4351 || (cp >= 8192 && cp <= 8205) || (cp >= 8208 && cp <= 8223) || (cp >= 8242 && cp <= 8247);
                total += light ? 1 : 2;
            }
        }
        return total;
    }

    private static boolean isEmoji(int cp) {
        return (cp >= 0x1F000 && cp <= 0x1FAFF) || (cp >= 0x2600 && cp <= 0x27BF) || cp == 0xFE0F;
    }

    static List<String> graphemes(String text) {
        BreakIterator it = BreakIterator.getCharacterInstance(Locale.ROOT);
        it.setText(text);
        List<String> out = new ArrayList<>();
        for (int start = it.first(), end = it.next(); end != BreakIterator.DONE; start = end, end = it.next()) {
            out.add(text.substring(start, end));
        }
        return out;
    }

    /** The longest prefix of whole graphemes, cut after a word where possible, plus an ellipsis, within {@code limit}. */
    static String cut(String text, int limit, Unit unit) {
        if (count(text, unit) <= limit) {
            return text;
        }
        List<String> g = graphemes(text);
        int lo = 0;
        int hi = g.size();
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (count(String.join("", g.subList(0, mid)) + ELLIPSIS, unit) <= limit) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        String prefix = String.join("", g.subList(0, lo));
        int space = prefix.lastIndexOf(' ');
        if (space > prefix.length() / 2) {
            prefix = prefix.substring(0, space);
        }
        return prefix.stripTrailing() + ELLIPSIS;
    }

    private static String compose(@Nullable String title, String body, @Nullable String url, List<String> tags) {
        StringBuilder sb = new StringBuilder();
        if (title != null) {
            sb.append(title).append("\n\n");
        }
        sb.append(body);
        if (url != null) {
            sb.append(body.isEmpty() ? "" : " ").append(url);
        }
        if (!tags.isEmpty()) {
            sb.append("\n\n");
            tags.forEach(t -> sb.append('#').append(t).append(' '));
        }
        return sb.toString().strip();
    }

    /** What the limit applies to: the text after the title line for platforms with a separate title. */
    private static String description(String full, @Nullable String title) {
        return title == null ? full : full.substring(Math.min(full.length(), title.length() + 2));
    }

    private static String firstWords(String body) {
        String line = body.lines().findFirst().orElse(body);
        return line.isBlank() ? "New" : line;
    }
}
