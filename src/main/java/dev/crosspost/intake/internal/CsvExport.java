package dev.crosspost.intake.internal;

import org.jspecify.annotations.Nullable;

import java.io.IOException;
import java.io.Writer;
import java.util.List;
import java.util.UUID;

/**
 * Writes a campaign's results as CSV, one line per row and platform. Cells that a spreadsheet would run as a
 * formula (starting with {@code = + - @}, tab or carriage return) get a leading apostrophe, so an exported
 * caption or error can never execute in Excel or Sheets.
 */
@org.springframework.stereotype.Component
public class CsvExport {

    static final List<String> HEADER = List.of("id", "title", "status", "platform", "state", "platform_post_id", "url", "error", "post_id");

    private final IntakeStore store;

    CsvExport(IntakeStore store) {
        this.store = store;
    }

    /** Streams every row of the campaign to {@code out}. */
    public void write(UUID workspaceId, UUID campaignId, Writer out) {
        try {
            line(out, HEADER);
            store.eachRow(workspaceId, campaignId, row -> {
                for (String platform : row.platforms()) {
                    Views.PlatformResult result = row.results().stream().filter(r -> r.platform().equals(platform)).findFirst().orElse(null);
                    try {
                        line(out, java.util.Arrays.asList(row.externalId(), row.title(), row.status(), platform,
                                result == null ? row.status() : result.state(), result == null ? null : result.platformPostId(),
                                result == null ? null : result.url(), result == null || result.error() == null ? row.error() : result.error(),
                                row.postId() == null ? null : row.postId().toString()));
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }
            });
            out.flush();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static void line(Writer out, List<@Nullable String> cells) throws IOException {
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                out.write(',');
            }
            out.write(cell(cells.get(i)));
        }
        out.write("\r\n");
    }

    /** One cell, formula-neutralised and quoted as RFC 4180 needs. */
    static String cell(@Nullable String value) {
        if (value == null || value.isEmpty()) {
            return "";
        }
        String safe = "=+-@\t\r".indexOf(value.charAt(0)) >= 0 ? "'" + value : value;
        if (safe.indexOf(',') >= 0 || safe.indexOf('"') >= 0 || safe.indexOf('\n') >= 0 || safe.indexOf('\r') >= 0) {
            return '"' + safe.replace("\"", "\"\"") + '"';
        }
        return safe;
    }
}
