package dev.crosspost.intake.internal;

import org.jspecify.annotations.Nullable;

import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.util.List;

/** A content row's values after checking, whatever its source (CSV, sheet, API, webhook). */
public record RowData(String externalId, String title, String description, @Nullable BigDecimal price, @Nullable String currency,
                      @Nullable String productUrl, @Nullable String imageUrl, @Nullable String videoUrl, List<String> platforms,
                      List<String> hashtags, @Nullable LocalDateTime publishAt, @Nullable String timezone) {
}
