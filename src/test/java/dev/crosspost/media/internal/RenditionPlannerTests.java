package dev.crosspost.media.internal;

import dev.crosspost.media.AssetView.Probe;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class RenditionPlannerTests {

    static Map<String, MediaSettings.PlatformLimits> sixPlatforms() {
        Map<String, MediaSettings.PlatformLimits> m = new LinkedHashMap<>();
        m.put("tiktok", limits(List.of("1080x1920"), 23, 60, "1GB", 3, 600));
        m.put("instagram", limits(List.of("1080x1920"), 23, 60, "1GB", 3, 900));
        m.put("youtube", limits(List.of("1920x1080", "1280x720", "1080x1920"), 1, 60, "256GB", 0, 43200));
        m.put("pinterest", limits(List.of("1080x1920", "1080x1080"), 1, 60, "1GB", 4, 900));
        m.put("x", limits(List.of("1280x720", "720x1280", "720x720"), 1, 60, "512MB", 0, 140));
        m.put("bluesky", limits(List.of("1920x1080", "1280x720", "1080x1920"), 1, 60, "100MB", 0, 180));
        return m;
    }

    static MediaSettings.PlatformLimits limits(List<String> frames, int minFps, int maxFps, String size, int minS, int maxS) {
        return new MediaSettings.PlatformLimits(frames, minFps, maxFps, DataSize.parse(size), Duration.ofSeconds(minS), Duration.ofSeconds(maxS));
    }

    static Probe video(int w, int h, double fps, double seconds, String profile, int sampleRate) {
        return new Probe(seconds, w, h, "h264", profile, "yuv420p", fps, 0, "aac", sampleRate, 2, "mov,mp4", true);
    }

    @Test
    void sixPlatformsShareTwoOutputsForAWideSource() {
        var plan = RenditionPlanner.plan(video(1920, 1080, 30, 60, "High", 48000), 50_000_000, sixPlatforms());

        assertThat(plan.refused()).isEmpty();
        assertThat(plan.outputs()).hasSize(2);
        assertThat(plan.outputs()).anySatisfy(o -> {
            assertThat(o.spec().key()).isEqualTo("1080x1920@30");
            assertThat(o.platforms()).containsExactlyInAnyOrder("tiktok", "instagram", "pinterest");
        });
        assertThat(plan.outputs()).anySatisfy(o -> {
            assertThat(o.spec().key()).isEqualTo("1280x720@30");
            assertThat(o.platforms()).containsExactlyInAnyOrder("youtube", "x", "bluesky");
            assertThat(o.maxBytes()).isEqualTo(DataSize.parse("100MB").toBytes());
        });
        assertThat(plan.outputs()).noneMatch(RenditionPlanner.Output::remux);
    }

    @Test
    void aConformantSourceIsRemuxedNotEncoded() {
        var plan = RenditionPlanner.plan(video(1080, 1920, 30, 20, "High", 48000), 20_000_000,
                Map.of("tiktok", sixPlatforms().get("tiktok"), "instagram", sixPlatforms().get("instagram")));

        assertThat(plan.outputs()).singleElement().satisfies(o -> {
            assertThat(o.remux()).isTrue();
            assertThat(o.platforms()).containsExactlyInAnyOrder("tiktok", "instagram");
        });
    }

    @Test
    void nearlyConformantSourcesAreEncoded() {
        var limits = Map.of("tiktok", sixPlatforms().get("tiktok"));
        assertThat(RenditionPlanner.plan(video(1080, 1920, 30, 20, "Main", 48000), 1, limits).outputs().getFirst().remux()).isFalse();
        assertThat(RenditionPlanner.plan(video(1080, 1920, 30, 20, "High", 44100), 1, limits).outputs().getFirst().remux()).isFalse();
        assertThat(RenditionPlanner.plan(video(1080, 1920, 120, 20, "High", 48000), 1, limits).outputs().getFirst().spec().fps()).isEqualTo(60);
        assertThat(RenditionPlanner.plan(video(1080, 1920, 30, 20, "High", 48000), DataSize.parse("2GB").toBytes(), limits)
                .outputs().getFirst().remux()).isFalse();
    }

    @Test
    void fpsIsClampedPerPlatformAndSplitsGroupsWhenLimitsDisagree() {
        Map<String, MediaSettings.PlatformLimits> limits = new LinkedHashMap<>();
        limits.put("tiktok", sixPlatforms().get("tiktok"));
        limits.put("slow", limits(List.of("1080x1920"), 1, 24, "1GB", 0, 600));
        var plan = RenditionPlanner.plan(video(1920, 1080, 50, 10, "High", 48000), 1, limits);

        assertThat(plan.outputs()).extracting(o -> o.spec().key()).containsExactlyInAnyOrder("1080x1920@50", "1080x1920@24");
    }

    @Test
    void aSourceTooLongForAPlatformIsRefusedForItOnly() {
        var plan = RenditionPlanner.plan(video(1920, 1080, 30, 200, "High", 48000), 1, sixPlatforms());

        assertThat(plan.refused()).containsOnlyKeys("x", "bluesky");
        assertThat(plan.refused().get("x")).singleElement().asString().contains("above the maximum of 140 s");
        assertThat(plan.outputs()).flatExtracting(RenditionPlanner.Output::platforms)
                .containsExactlyInAnyOrder("tiktok", "instagram", "youtube", "pinterest");
    }
}
