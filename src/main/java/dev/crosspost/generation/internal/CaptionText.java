package dev.crosspost.generation.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/** Turns untrusted text (a model's output, a row's hashtags) into plain caption text. */
final class CaptionText {

    private static final Pattern TAG = Pattern.compile("(?s)<[^<>]{0,500}>");
    private static final Pattern MD_LINK = Pattern.compile("\\[([^\\]]{0,500})]\\((https?://[^)\\s]+)\\)");
    private static final Pattern HEADING = Pattern.compile("(?m)^\\s{0,3}#{1,6}\\s+");
    private static final Pattern BULLET = Pattern.compile("(?m)^\\s*[*•-]\\s+");
    private static final Pattern EMPHASIS = Pattern.compile("\\*{1,3}|_{2,3}|~~|`+");
    // invisible and direction-override characters hide or reorder text; ZWJ (200D) stays, emoji need it
    private static final Pattern INVISIBLE = Pattern.compile("[\\x{0000}-\\x{0009}\\x{000B}-\\x{001F}\\x{007F}\\x{200B}\\x{200C}\\x{2060}\\x{FEFF}\\x{202A}-\\x{202E}\\x{2066}-\\x{2069}]");
    private static final Pattern HASHTAG_BODY = Pattern.compile("[\\p{L}\\p{N}_]{1,50}");

    private CaptionText() {
    }

    /** Plain text: no markup, no invisible characters, single spaces, at most one blank line in a row. */
    static String clean(String raw) {
        String s = raw.replace("\r\n", "\n").replace('\r', '\n');
        s = MD_LINK.matcher(s).replaceAll("$1 $2");
        s = TAG.matcher(s).replaceAll("");
        s = HEADING.matcher(s).replaceAll("");
        s = BULLET.matcher(s).replaceAll("");
        s = EMPHASIS.matcher(s).replaceAll("");
        s = INVISIBLE.matcher(s).replaceAll("");
        s = s.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'");
        s = s.replaceAll("[\\t\\x{00A0} ]+", " ").replaceAll(" *\n *", "\n").replaceAll("\n{3,}", "\n\n").strip();
        if (s.length() >= 2 && (s.startsWith("\"") && s.endsWith("\"") || s.startsWith("“") && s.endsWith("”"))) {
            s = s.substring(1, s.length() - 1).strip();
        }
        return s;
    }

    /** Hashtags without '#', letters, digits and underscores only, each once (ignoring case), in order. */
    static List<String> hashtags(List<String> raw) {
        LinkedHashMap<String, String> seen = new LinkedHashMap<>();
        for (String r : raw) {
            String t = r == null ? "" : r.strip().replaceFirst("^#+", "").replaceAll("[\\s-]+", "");
            if (HASHTAG_BODY.matcher(t).matches() && t.codePoints().anyMatch(Character::isLetter)) {
                seen.putIfAbsent(t.toLowerCase(Locale.ROOT), t);
            }
        }
        return new ArrayList<>(seen.values());
    }
}
