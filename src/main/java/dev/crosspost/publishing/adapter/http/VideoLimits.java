package dev.crosspost.publishing.adapter.http;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

import java.time.Duration;
import java.util.Set;

/**
 * One platform's video limits as its adapter checks them before upload, read from the same
 * {@code crosspost.media.platforms.<platform>.*} entries the media module plans renditions from.
 *
 * @param minAspect narrowest accepted width:height ({@code 1:3}); unset accepts any
 * @param maxAspect widest accepted width:height ({@code 3:1}); unset accepts any
 * @param minSide shortest accepted side in pixels; 0 accepts any
 * @param maxSide longest accepted side in pixels; 0 accepts any
 * @param videoCodecs accepted FFmpeg codec names ({@code h264}, {@code hevc}); empty accepts any
 */
public record VideoLimits(
        @Min(1) @Max(240) @DefaultValue("1") int minFps,
        @Min(1) @Max(240) @DefaultValue("60") int maxFps,
        @NotNull DataSize maxSize,
        @NotNull @DefaultValue("0s") Duration minDuration,
        @NotNull Duration maxDuration,
        @Nullable @Pattern(regexp = RATIO) String minAspect,
        @Nullable @Pattern(regexp = RATIO) String maxAspect,
        @Min(0) @DefaultValue("0") int minSide,
        @Min(0) @DefaultValue("0") int maxSide,
        @NotNull @DefaultValue({}) Set<String> videoCodecs) {

    static final String RATIO = "\\d+(\\.\\d+)?:\\d+(\\.\\d+)?";

    public VideoLimits {
        videoCodecs = videoCodecs == null ? Set.of() : Set.copyOf(videoCodecs);
    }

    /** The same limits with another longest duration (a TikTok creator's own cap). */
    public VideoLimits withMaxDuration(Duration max) {
        return new VideoLimits(minFps, maxFps, maxSize, minDuration, max, minAspect, maxAspect, minSide, maxSide, videoCodecs);
    }

    static double ratio(String ratio) {
        String[] parts = ratio.split(":");
        return Double.parseDouble(parts[0]) / Double.parseDouble(parts[1]);
    }
}
