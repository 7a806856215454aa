package dev.crosspost.intake.internal;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import dev.crosspost.system.web.Problems;
import org.jspecify.annotations.Nullable;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** What the intake API shows. */
public final class Views {

    private Views() {
    }

    /**
     * A campaign.
     *
     * @param status {@code draft} (collecting rows) or {@code running} (rows go on to captions, video and publishing)
     * @param rows how many rows are in each status
     */
    public record Campaign(UUID id, String name, String status, @Nullable Sheet sheet, Map<String, Integer> rows, Instant createdAt,
                           @Nullable Instant startedAt) {
    }

    /** A Google Sheets source: where rows are read and outcomes written back. */
    public record Sheet(String spreadsheetId, String range) {
    }

    /**
     * A content row and its outcome.
     *
     * @param sourceRow its record number in the CSV (header = 1) or its row in the sheet; null for API rows
     * @param status pending, preparing, publishing, published, partial or failed
     * @param results each platform's outcome once the post settled
     */
    public record ContentRow(UUID id, UUID campaignId, @Nullable Integer sourceRow, String externalId, String title, String description,
                             @Nullable BigDecimal price, @Nullable String currency, @Nullable String productUrl, @Nullable String imageUrl,
                             @Nullable String videoUrl, List<String> platforms, List<String> hashtags, @Nullable LocalDateTime publishAt,
                             @Nullable String timezone, String status, @Nullable UUID postId, List<PlatformResult> results,
                             @Nullable String error, Instant createdAt, Instant updatedAt) {
    }

    /** A row just added over the API, with what its check warned about (as an import's report would list them). */
    public record AddedRow(@JsonUnwrapped ContentRow row, List<Problems.FieldError> warnings) {
    }

    /** One platform's outcome of a row. */
    public record PlatformResult(String platform, @Nullable String accountId, String state, @Nullable String platformPostId,
                                 @Nullable String url, @Nullable String error) {
    }

    /**
     * An import's validation report.
     *
     * @param rowsTotal data rows read (the header not counted)
     * @param problems findings in file order, a page at a time
     * @param nextCursor pass as {@code cursor} for the next page of problems; null at the end
     */
    public record ImportReport(UUID id, UUID campaignId, String source, int rowsTotal, int rowsAccepted, int rowsRejected, int warnings,
                               Instant createdAt, List<Problem> problems, @Nullable String nextCursor) {
    }
}
