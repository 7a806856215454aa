package dev.crosspost.intake.internal;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The parts of an A1 range that sync needs: the sheet prefix as written ({@code Sheet1!}, {@code 'My sheet'!} or
 * empty), and the first column and row (1-based) where the header sits.
 */
record SheetRange(String sheetPrefix, int firstColumn, int firstRow) {

    private static final Pattern START = Pattern.compile("([A-Za-z]*)([0-9]*).*");

    static SheetRange parse(String range) {
        int bang = range.lastIndexOf('!');
        String prefix = bang < 0 ? "" : range.substring(0, bang + 1);
        Matcher m = START.matcher(bang < 0 ? range : range.substring(bang + 1));
        int column = 1;
        int row = 1;
        if (m.matches()) {
            if (!m.group(1).isEmpty()) {
                column = 0;
                for (char c : m.group(1).toUpperCase().toCharArray()) {
                    column = column * 26 + (c - 'A' + 1);
                }
            }
            if (!m.group(2).isEmpty()) {
                row = Integer.parseInt(m.group(2));
            }
        }
        return new SheetRange(prefix, column, row);
    }

    /** The A1 name of a cell: {@code Sheet1!C7}. */
    String cell(int column, int row) {
        StringBuilder letters = new StringBuilder();
        for (int n = column; n > 0; n = (n - 1) / 26) {
            letters.insert(0, (char) ('A' + (n - 1) % 26));
        }
        return sheetPrefix + letters + row;
    }
}
