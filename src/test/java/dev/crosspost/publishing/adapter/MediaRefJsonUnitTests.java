package dev.crosspost.publishing.adapter;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/** Posts and publications keep their media as JSON: the probe must survive a restart, and older rows still read. */
class MediaRefJsonUnitTests {

    private final JsonMapper json = JsonMapper.builder().build();

    @Test
    void aProbedVideoRoundTrips() {
        MediaRef video = new MediaRef("asset:1", "video/mp4", 42, new VideoInfo(12.5, 1080, 1920, 29.97, "h264", "aac"));
        assertThat(json.readValue(json.writeValueAsString(video), MediaRef.class)).isEqualTo(video);
    }

    @Test
    void mediaStoredWithoutAProbeReadsAsUnprobed() {
        MediaRef image = json.readValue("{\"location\":\"asset:2\",\"contentType\":\"image/png\",\"sizeBytes\":7}", MediaRef.class);
        assertThat(image).isEqualTo(new MediaRef("asset:2", "image/png", 7));
        assertThat(json.writeValueAsString(image)).doesNotContain("video");
    }
}
