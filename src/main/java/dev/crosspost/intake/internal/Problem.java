package dev.crosspost.intake.internal;

/**
 * One finding of the validation report.
 *
 * @param row the record number (header = 1), or the position of an API row
 * @param line the physical line it starts on
 * @param severity {@code error} (the row is not imported) or {@code warning} (imported, but read this)
 */
public record Problem(int row, int line, String field, String severity, String reason) {

    static Problem error(int row, int line, String field, String reason) {
        return new Problem(row, line, field, "error", reason);
    }

    static Problem warning(int row, int line, String field, String reason) {
        return new Problem(row, line, field, "warning", reason);
    }

    boolean isError() {
        return severity.equals("error");
    }
}
