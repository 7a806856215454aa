package dev.crosspost.publishing.adapter.bluesky;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RecordKeyUnitTests {

    @Test
    void isATidThatDependsOnlyOnTheIdempotencyKey() {
        String key = RecordKey.of("pub-123");
        assertThat(key).matches("[234567abcdefghij][234567abcdefghijklmnopqrstuvwxyz]{12}");
        assertThat(RecordKey.of("pub-123")).isEqualTo(key);
        assertThat(RecordKey.of("pub-124")).isNotEqualTo(key);
    }
}
