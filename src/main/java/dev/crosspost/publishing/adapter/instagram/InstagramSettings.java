package dev.crosspost.publishing.adapter.instagram;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.util.Set;

/**
 * The Instagram adapter under {@code crosspost.adapters.instagram.*}. Meta's published limits disagree between
 * pages, so they are settings, not constants; its video limits are under {@code crosspost.media.platforms.instagram}.
 *
 * @param graphVersion the Graph API version every path starts with
 * @param maxCaptionLength longest caption, in characters
 * @param videoTypes content types accepted for a Reel
 */
@ConfigurationProperties("crosspost.adapters.instagram")
record InstagramSettings(
        @NotNull @Pattern(regexp = "v\\d{1,3}\\.\\d") @DefaultValue("v21.0") String graphVersion,
        @Min(1) @Max(100_000) @DefaultValue("2200") int maxCaptionLength,
        @NotNull @DefaultValue({"video/mp4", "video/quicktime"}) Set<String> videoTypes) {
}
