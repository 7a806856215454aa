package dev.crosspost.sandbox.sheets;

import org.jspecify.annotations.Nullable;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An A1 range such as {@code Sheet1!A1:L}, {@code 'My sheet'!B2:C5} or {@code Sheet1!A2:A}: sheet name and
 * zero-based bounds; an open end is {@code Integer.MAX_VALUE}.
 */
record A1Range(String sheet, int firstRow, int firstCol, int lastRow, int lastCol) {

    private static final Pattern CELL = Pattern.compile("([A-Z]*)([0-9]*)");

    static @Nullable A1Range parse(String range, String defaultSheet) {
        String sheet = defaultSheet;
        String cells = range;
        int bang = range.lastIndexOf('!');
        if (bang >= 0) {
            sheet = range.substring(0, bang);
            if (sheet.startsWith("'") && sheet.endsWith("'") && sheet.length() >= 2) {
                sheet = sheet.substring(1, sheet.length() - 1).replace("''", "'");
            }
            cells = range.substring(bang + 1);
        } else if (!range.matches("[A-Z]*[0-9]*(:[A-Z]*[0-9]*)?")) {
            return new A1Range(range, 0, 0, Integer.MAX_VALUE, Integer.MAX_VALUE); // just a sheet name
        }
        String[] ends = cells.split(":", -1);
        if (ends.length > 2) {
            return null;
        }
        Matcher start = CELL.matcher(ends[0].toUpperCase());
        Matcher end = CELL.matcher(ends.length == 2 ? ends[1].toUpperCase() : ends[0].toUpperCase());
        if (!start.matches() || !end.matches() || (start.group(1).isEmpty() && start.group(2).isEmpty())) {
            return null;
        }
        int firstCol = start.group(1).isEmpty() ? 0 : column(start.group(1));
        int firstRow = start.group(2).isEmpty() ? 0 : Integer.parseInt(start.group(2)) - 1;
        int lastCol = end.group(1).isEmpty() ? Integer.MAX_VALUE : column(end.group(1));
        int lastRow = end.group(2).isEmpty() ? Integer.MAX_VALUE : Integer.parseInt(end.group(2)) - 1;
        if (firstRow < 0 || lastRow < firstRow || lastCol < firstCol) {
            return null;
        }
        return new A1Range(sheet, firstRow, firstCol, lastRow, lastCol);
    }

    static int column(String letters) {
        int n = 0;
        for (char c : letters.toCharArray()) {
            n = n * 26 + (c - 'A' + 1);
        }
        return n - 1;
    }

    static String letters(int column) {
        StringBuilder s = new StringBuilder();
        for (int n = column + 1; n > 0; n = (n - 1) / 26) {
            s.insert(0, (char) ('A' + (n - 1) % 26));
        }
        return s.toString();
    }

    /** The range as Google echoes it, e.g. {@code Sheet1!A1:L6}. */
    String a1(int rows, int cols) {
        int lastR = lastRow == Integer.MAX_VALUE ? firstRow + Math.max(rows, 1) - 1 : lastRow;
        int lastC = lastCol == Integer.MAX_VALUE ? firstCol + Math.max(cols, 1) - 1 : lastCol;
        String name = sheet.matches("[A-Za-z0-9_]+") ? sheet : "'" + sheet.replace("'", "''") + "'";
        return name + "!" + letters(firstCol) + (firstRow + 1) + ":" + letters(lastC) + (lastR + 1);
    }
}
