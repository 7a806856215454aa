package dev.crosspost.trends;

import tools.jackson.databind.JsonNode;

import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Tags and terms of one {@code app.bsky.feed.post} record. Tags come from its {@code #tag} facets, or from
 * {@code #word}s in the text when it has none; terms are its other words, lower-cased, of 3 to 40 letters or digits
 * with at least one letter, less stopwords, mentions and links. Each counts once per post.
 */
final class PostText {

    static final String TAG_FEATURE = "app.bsky.richtext.facet#tag";
    private static final int MAX_TAG = 64;
    private static final Set<String> STOPWORDS = Set.of(
            "the", "and", "for", "are", "but", "not", "you", "all", "any", "can", "had", "her", "was", "one", "our", "out",
            "has", "have", "his", "how", "its", "may", "new", "now", "old", "see", "two", "who", "did", "get", "got", "him",
            "let", "say", "she", "too", "use", "that", "this", "with", "from", "they", "will", "would", "there", "their",
            "what", "about", "which", "when", "make", "like", "time", "just", "know", "take", "into", "your", "some",
            "could", "them", "than", "then", "look", "only", "come", "over", "think", "also", "back", "after", "work",
            "first", "well", "even", "want", "because", "these", "give", "most", "very", "been", "were", "being", "here",
            "more", "much", "such", "why", "where", "while", "those", "should", "does", "doing", "done", "each", "other",
            "same", "own", "off", "yes", "yet", "via", "lol", "really", "still", "going", "today", "every", "never",
            "always", "something", "thing", "things", "people", "though", "through", "http", "https", "www", "com",
            "der", "die", "das", "und", "ist", "nicht", "ein", "eine", "les", "des", "est", "une", "pas", "que", "por",
            "para", "con", "los", "las", "una", "como", "mais", "não", "uma");

    private PostText() {
    }

    /** What one post carries. */
    record Keys(Set<String> tags, Set<String> terms) {
    }

    static Keys of(JsonNode record) {
        Set<String> tags = new LinkedHashSet<>();
        for (JsonNode facet : record.path("facets")) {
            for (JsonNode feature : facet.path("features")) {
                if (TAG_FEATURE.equals(feature.path("$type").asString(""))) {
                    addTag(tags, feature.path("tag").asString(""));
                }
            }
        }
        boolean tagsFromText = tags.isEmpty();
        Set<String> terms = new LinkedHashSet<>();
        String text = record.path("text").asString("");
        for (String token : text.split("\\s+")) {
            if (token.isEmpty() || token.startsWith("@") || token.contains("://") || token.startsWith("www.")) {
                continue;
            }
            if (token.startsWith("#") || token.startsWith("＃")) {
                if (tagsFromText) {
                    addTag(tags, trimPunctuation(token.substring(1)));
                }
                continue;
            }
            addTerms(terms, token);
        }
        return new Keys(tags, terms);
    }

    private static void addTag(Set<String> tags, String raw) {
        String tag = raw.strip();
        while (tag.startsWith("#")) {
            tag = tag.substring(1);
        }
        if (!tag.isEmpty() && tag.length() <= MAX_TAG && tag.codePoints().anyMatch(Character::isLetterOrDigit)) {
            tags.add(tag.toLowerCase(Locale.ROOT));
        }
    }

    private static String trimPunctuation(String s) {
        int end = s.length();
        while (end > 0 && !Character.isLetterOrDigit(s.charAt(end - 1)) && s.charAt(end - 1) != '_') {
            end--;
        }
        return s.substring(0, end);
    }

    private static void addTerms(Set<String> terms, String token) {
        int start = -1;
        boolean letter = false;
        for (int i = 0; i <= token.length(); i++) {
            char c = i < token.length() ? token.charAt(i) : ' ';
            if (Character.isLetterOrDigit(c)) {
                if (start < 0) {
                    start = i;
                    letter = false;
                }
                letter |= Character.isLetter(c);
            } else if (start >= 0) {
                int length = i - start;
                if (letter && length >= 3 && length <= 40) {
                    String term = token.substring(start, i).toLowerCase(Locale.ROOT);
                    if (!STOPWORDS.contains(term)) {
                        terms.add(term);
                    }
                }
                start = -1;
            }
        }
    }
}
