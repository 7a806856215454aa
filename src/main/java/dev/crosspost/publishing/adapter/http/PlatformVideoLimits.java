package dev.crosspost.publishing.adapter.http;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

import java.util.Map;

/**
 * Every platform's video limits from {@code crosspost.media.platforms.*}, the single place they are written: the
 * media module plans renditions from the same entries, the adapters check them here before any call.
 */
@Validated
@ConfigurationProperties("crosspost.media")
public record PlatformVideoLimits(@NotNull Map<String, @Valid VideoLimits> platforms) {

    public PlatformVideoLimits {
        platforms = platforms == null ? Map.of() : Map.copyOf(platforms);
    }

    /** The platform's limits; a platform without an entry is a configuration error found at first use. */
    public VideoLimits of(String platform) {
        VideoLimits limits = platforms.get(platform);
        if (limits == null) {
            throw new IllegalStateException("crosspost.media.platforms." + platform + " is not configured");
        }
        return limits;
    }
}
