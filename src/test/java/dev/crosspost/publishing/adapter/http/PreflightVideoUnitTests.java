package dev.crosspost.publishing.adapter.http;

import dev.crosspost.publishing.adapter.MediaRef;
import dev.crosspost.publishing.adapter.StepResult;
import dev.crosspost.publishing.adapter.VideoInfo;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

import java.time.Duration;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class PreflightVideoUnitTests {

    private static final VideoLimits LIMITS = limits("1:2", "1.91:1", 360, 4096, "h264", "hevc");
    /** Only what every platform has: duration, frame rate and size. */
    private static final VideoLimits LOOSE = limits(null, null, 0, 0);

    private static VideoLimits limits(String minAspect, String maxAspect, int minSide, int maxSide, String... codecs) {
        return new VideoLimits(23, 60, DataSize.ofGigabytes(1), Duration.ofSeconds(3), Duration.ofMinutes(10), minAspect, maxAspect,
                minSide, maxSide, Set.of(codecs));
    }

    private static MediaRef video(double seconds, int width, int height, double fps, String codec) {
        return new MediaRef("asset:x", "video/mp4", 1000, new VideoInfo(seconds, width, height, fps, codec, "aac"));
    }

    private static StepResult.Rejected check(MediaRef media) {
        return Preflight.video("TikTok", "a TikTok video", media, LIMITS);
    }

    @Test
    void aVideoWithinEveryLimitPasses() {
        assertThat(check(video(30, 1080, 1920, 30, "h264"))).isNull();
        assertThat(check(video(30, 1080, 1920, 29.97, "hevc"))).isNull();
    }

    @Test
    void unprobedMediaIsLeftToThePlatform() {
        assertThat(check(new MediaRef("https://cdn.example/v.mp4", "video/mp4", 1000))).isNull();
    }

    @Test
    void durationIsBoundedOnBothEndsInclusively() {
        assertThat(check(video(600, 1080, 1920, 30, "h264"))).isNull();
        assertThat(check(video(3, 1080, 1920, 30, "h264"))).isNull();
        assertThat(check(video(612, 1080, 1920, 30, "h264"))).isEqualTo(new StepResult.Rejected("media_duration",
                "TikTok: the video is 612 s long; the limit is 600 s", null));
        assertThat(check(video(600.25, 1080, 1920, 30, "h264")).reason()).isEqualTo("TikTok: the video is 600.25 s long; the limit is 600 s");
        assertThat(check(video(2.5, 1080, 1920, 30, "h264"))).isEqualTo(new StepResult.Rejected("media_duration",
                "TikTok: the video is 2.5 s long; a TikTok video must be at least 3 s", null));
    }

    @Test
    void aspectRatioOutsideTheRangeIsNamed() {
        assertThat(check(video(30, 1080, 2160, 30, "h264"))).as("exactly 1:2").isNull();
        assertThat(check(video(30, 1910, 1000, 30, "h264"))).as("exactly 1.91:1").isNull();
        assertThat(check(video(30, 1000, 2001, 30, "h264")).code()).isEqualTo("media_aspect");
        assertThat(check(video(30, 1920, 1000, 30, "h264"))).isEqualTo(new StepResult.Rejected("media_aspect",
                "TikTok: video aspect ratio 48:25 is not allowed for a TikTok video (allowed from 1:2 to 1.91:1)", null));
        VideoLimits reels = limits("9:16", "9:16", 0, 0);
        assertThat(Preflight.video("Instagram", "Reels", video(30, 1440, 1080, 30, "h264"), reels).reason())
                .isEqualTo("Instagram: video aspect ratio 4:3 is not allowed for Reels (9:16 required)");
        assertThat(Preflight.video("Instagram", "Reels", video(30, 720, 1280, 30, "h264"), reels)).isNull();
    }

    @Test
    void sidesAreBounded() {
        assertThat(check(video(30, 360, 640, 30, "h264"))).isNull();
        assertThat(check(video(30, 358, 636, 30, "h264"))).isEqualTo(new StepResult.Rejected("media_dimensions",
                "TikTok: the video is 358x636 px; each side of a TikTok video must be 360 px or more and 4096 px or less", null));
        assertThat(check(video(30, 2304, 4098, 30, "h264")).code()).isEqualTo("media_dimensions");
        assertThat(Preflight.video("X", "a video post", video(30, 1920, 1080, 30, "h264"), limits(null, null, 0, 1280)).reason())
                .isEqualTo("X: the video is 1920x1080 px; each side of a video post must be 1280 px or less");
    }

    @Test
    void frameRateIsBoundedInclusively() {
        assertThat(check(video(30, 1080, 1920, 23, "h264"))).isNull();
        assertThat(check(video(30, 1080, 1920, 60, "h264"))).isNull();
        assertThat(check(video(30, 1080, 1920, 15, "h264"))).isEqualTo(new StepResult.Rejected("media_fps",
                "TikTok: the video runs at 15 fps; a TikTok video needs 23 to 60 fps", null));
        assertThat(check(video(30, 1080, 1920, 119.88, "h264")).reason()).isEqualTo("TikTok: the video runs at 119.88 fps; a TikTok video needs 23 to 60 fps");
    }

    @Test
    void codecMustBeListed() {
        assertThat(check(video(30, 1080, 1920, 30, "vp9"))).isEqualTo(new StepResult.Rejected("media_codec",
                "TikTok: video codec vp9 is not accepted for a TikTok video; it must be h264 or hevc", null));
        assertThat(Preflight.video("YouTube", "a video", video(30, 1080, 1920, 30, "vp9"), LOOSE)).isNull();
    }

    @Test
    void limitsLeftUnsetAcceptAnything() {
        assertThat(Preflight.video("YouTube", "a video", video(300, 4000, 100, 30, "av1"), LOOSE)).isNull();
    }
}
