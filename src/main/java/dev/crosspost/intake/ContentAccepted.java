package dev.crosspost.intake;

import org.jspecify.annotations.Nullable;

import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.util.List;
import java.util.UUID;

/**
 * A validated content row was stored and waits for captions and video.
 *
 * @param externalId the row's own id (the CSV's {@code id} column)
 * @param publishAt local wall-clock time in {@code timezone}; null means as soon as it is ready
 * @param imageUrl,videoUrl remote or local media; fetched SSRF-safe before use
 */
public record ContentAccepted(UUID workspaceId, UUID campaignId, UUID contentId, String externalId, String title,
                              String description, @Nullable BigDecimal price, @Nullable String currency,
                              @Nullable String productUrl, @Nullable String imageUrl, @Nullable String videoUrl,
                              List<String> platforms, List<String> hashtags, @Nullable LocalDateTime publishAt,
                              @Nullable String timezone) {
}
