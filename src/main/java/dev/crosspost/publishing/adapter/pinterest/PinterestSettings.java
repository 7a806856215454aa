package dev.crosspost.publishing.adapter.pinterest;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.util.Set;

/**
 * The Pinterest adapter under {@code crosspost.adapters.pinterest.*}. Copies of Pinterest's video limits disagree
 * (1 GB or 2 GB), so they are settings; its video limits are under {@code crosspost.media.platforms.pinterest}.
 *
 * @param board name of the board to pin to; unset means the account's first board
 * @param maxDescriptionLength longest description (the caption), in characters
 * @param videoTypes content types accepted for a video Pin
 * @param coverFrameSeconds the video frame, in seconds, Pinterest takes as the Pin's cover
 */
@ConfigurationProperties("crosspost.adapters.pinterest")
record PinterestSettings(
        @Size(min = 1, max = 180) @Nullable String board,
        @Min(1) @Max(10_000) @DefaultValue("800") int maxDescriptionLength,
        @NotNull @DefaultValue({"video/mp4", "video/quicktime", "video/x-m4v"}) Set<String> videoTypes,
        @Min(0) @Max(900) @DefaultValue("1") int coverFrameSeconds) {
}
