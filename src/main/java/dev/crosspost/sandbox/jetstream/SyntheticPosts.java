package dev.crosspost.sandbox.jetstream;

import java.time.Instant;
import java.util.SplittableRandom;

/**
 * Jetstream post commits made up from a seed: words and hashtags drawn with a skew (a few are common, most are rare),
 * tags as {@code #tag} facets, so trends emerge. One instance per stream; not thread-safe.
 */
final class SyntheticPosts {

    private static final String[] WORDS = ("morning sunset coffee release launch update photo painting garden rain storm train "
            + "city mountain river weekend concert album guitar keyboard compiler database server deploy framework library cat "
            + "dog match goal season race driver podcast episode review novel chapter museum gallery festival market recipe "
            + "bread pasta lighthouse ocean forest trail climbing bicycle telescope galaxy planet comet eclipse snow harbor "
            + "bridge tower island desert valley meadow sketch poster drawing portrait landscape tutorial thread").split(" ");
    private static final String[] TAGS = new String[400];
    private static final String[] LANGS = {"en", "en", "en", "en", "ja", "de", "pt", "es", "fr"};

    static {
        String[] named = {"bluesky", "buildinpublic", "photography", "art", "caturday", "science", "gamedev", "rustlang", "java",
                "music", "f1", "worldcup", "climate", "books", "indiedev", "opensource", "ai", "coffee", "hiking", "sunset"};
        for (int i = 0; i < TAGS.length; i++) {
            TAGS[i] = i < named.length ? named[i] : "topic" + i;
        }
    }

    private final SplittableRandom random;
    private long sequence;

    SyntheticPosts(long seed) {
        this.random = new SplittableRandom(seed);
    }

    String next(long timeUs) {
        long n = ++sequence;
        StringBuilder text = new StringBuilder(120);
        int words = 4 + random.nextInt(10);
        for (int i = 0; i < words; i++) {
            if (i > 0) {
                text.append(' ');
            }
            text.append(WORDS[skewed(WORDS.length)]);
        }
        int tags = random.nextInt(4);
        StringBuilder facets = new StringBuilder();
        for (int i = 0; i < tags; i++) {
            String tag = TAGS[skewed(TAGS.length)];
            int start = text.length() + 1;
            text.append(" #").append(tag);
            facets.append(facets.isEmpty() ? "" : ",").append("{\"features\":[{\"$type\":\"app.bsky.richtext.facet#tag\",\"tag\":\"")
                    .append(tag).append("\"}],\"index\":{\"byteStart\":").append(start).append(",\"byteEnd\":").append(text.length()).append("}}");
        }
        StringBuilder json = new StringBuilder(400 + text.length() + facets.length());
        json.append("{\"did\":\"did:plc:sim").append(Long.toString(random.nextLong(1L << 40), 36)).append("\",\"time_us\":").append(timeUs)
                .append(",\"kind\":\"commit\",\"commit\":{\"rev\":\"sim").append(n)
                .append("\",\"operation\":\"create\",\"collection\":\"app.bsky.feed.post\",\"rkey\":\"sim").append(Long.toString(n, 36))
                .append("\",\"record\":{\"$type\":\"app.bsky.feed.post\",\"text\":\"").append(text)
                .append("\",\"createdAt\":\"").append(Instant.ofEpochMilli(timeUs / 1000)).append("\",\"langs\":[\"")
                .append(LANGS[random.nextInt(LANGS.length)]).append("\"]");
        if (!facets.isEmpty()) {
            json.append(",\"facets\":[").append(facets).append(']');
        }
        return json.append("},\"cid\":\"bafysim").append(n).append("\"}}").toString();
    }

    /** An index in {@code [0, n)}, small ones far more often than large ones. */
    private int skewed(int n) {
        double u = random.nextDouble();
        return (int) (n * u * u * u);
    }
}
