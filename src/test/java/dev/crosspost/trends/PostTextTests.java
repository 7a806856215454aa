package dev.crosspost.trends;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

class PostTextTests {

    private final JsonMapper json = JsonMapper.builder().build();

    private PostText.Keys keys(String record) {
        return PostText.of(json.readTree(record));
    }

    @Test
    void tagsComeFromTagFacets() {
        PostText.Keys keys = keys("""
                {"text":"Sunset over the harbor #Photography #nofacet","facets":[
                  {"features":[{"$type":"app.bsky.richtext.facet#tag","tag":"Photography"}],"index":{"byteStart":25,"byteEnd":37}},
                  {"features":[{"$type":"app.bsky.richtext.facet#link","uri":"https://example.com"}],"index":{"byteStart":0,"byteEnd":1}}]}
                """);
        assertThat(keys.tags()).containsExactly("photography");
        assertThat(keys.terms()).containsExactly("sunset", "harbor");
    }

    @Test
    void withoutFacetsTagsComeFromHashWordsInTheText() {
        PostText.Keys keys = keys("""
                {"text":"New release today! #Java, #java and #buildInPublic… see https://x.example/a @alice.bsky.social"}
                """);
        assertThat(keys.tags()).containsExactly("java", "buildinpublic");
        assertThat(keys.terms()).containsExactly("release"); // "see" and "today" are stopwords
    }

    @Test
    void termsAreNormalizedWordsLessStopwordsCountedOncePerPost() {
        PostText.Keys keys = keys("""
                {"text":"The Compiler, the compiler... and 2024 is OK: 3rd ÜBER-café"}
                """);
        assertThat(keys.terms()).containsExactly("compiler", "3rd", "über", "café");
    }
}
