package dev.crosspost.publishing.adapter.x;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class XTextUnitTests {

    @Test
    void latinCountsOnceCjkTwiceAnEmojiSequenceTwice() {
        assertThat(XText.weightedLength("hello")).isEqualTo(5);
        assertThat(XText.weightedLength("Grüße")).isEqualTo(5);
        assertThat(XText.weightedLength("日本語")).isEqualTo(6);
        assertThat(XText.weightedLength("👍")).isEqualTo(2);
        assertThat(XText.weightedLength("👨‍👩‍👧‍👦")).isEqualTo(2);
    }

    @Test
    void everyUrlCountsTwentyThreeWhateverItsLength() {
        assertThat(XText.weightedLength("see https://x.co")).isEqualTo(4 + 23);
        assertThat(XText.weightedLength("https://example.com/" + "a".repeat(200) + " and http://b.io")).isEqualTo(23 + 5 + 23);
    }
}
