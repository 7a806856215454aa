package dev.crosspost.publishing.adapter.x;

import java.text.BreakIterator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * X's weighted length of a post (twitter-text v3): most Latin, Cyrillic, Greek… characters weigh 1, others
 * (CJK, emoji) 2, an emoji sequence 2 in all, and every URL 23 whatever its length, since X wraps it in t.co.
 */
final class XText {

    static final int MAX_WEIGHTED_LENGTH = 280;
    static final int URL_WEIGHT = 23;
    private static final Pattern URL = Pattern.compile("https?://\\S+", Pattern.CASE_INSENSITIVE);

    private XText() {
    }

    static int weightedLength(String text) {
        int length = 0;
        int last = 0;
        Matcher urls = URL.matcher(text);
        while (urls.find()) {
            length += plain(text.substring(last, urls.start())) + URL_WEIGHT;
            last = urls.end();
        }
        return length + plain(text.substring(last));
    }

    private static int plain(String text) {
        BreakIterator graphemes = BreakIterator.getCharacterInstance();
        graphemes.setText(text);
        int length = 0;
        for (int start = graphemes.first(), end = graphemes.next(); end != BreakIterator.DONE; start = end, end = graphemes.next()) {
            int first = text.codePointAt(start);
            if (Character.isEmoji(first) && first > 0xFF) {
                length += 2;
            } else {
                length += text.substring(start, end).codePoints().map(XText::weight).sum();
            }
        }
        return length;
    }

    private static int weight(int codePoint) {
        boolean light = codePoint <= 4351 || (codePoint >= 8192 && codePoint <= 8205)
                || (codePoint >= 8208 && codePoint <= 8223) || (codePoint >= 8242 && codePoint <= 8247);
        return light ? 1 : 2;
    }
}
