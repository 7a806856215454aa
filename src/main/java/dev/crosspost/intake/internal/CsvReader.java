package dev.crosspost.intake.internal;

import org.jspecify.annotations.Nullable;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads RFC 4180 CSV one record at a time, so a file of any size needs memory for one record only. Accepts a
 * UTF-8 BOM, CRLF or LF line ends, quoted fields with commas, doubled quotes and line breaks. Instead of failing,
 * a broken record (a stray quote, text after a closing quote, a quote never closed, an oversized record) comes
 * back marked {@code malformed} with the reason, and reading carries on with the next line.
 */
public final class CsvReader implements AutoCloseable {

    /**
     * One record.
     *
     * @param number the record's position, the header being 1 (what a spreadsheet calls the row)
     * @param line the physical line it starts on (differs from number after quoted line breaks)
     * @param malformed why the record could not be read as written, else null
     */
    public record Record(int number, int line, List<String> fields, @Nullable String malformed) {
    }

    private static final int EOF = -1;

    private final Reader in;
    private final int maxRecordChars;
    private int pushedBack = -2;
    private int line = 1;
    private int number;
    private boolean started;

    public CsvReader(Reader in, int maxRecordChars) {
        this.in = in;
        this.maxRecordChars = maxRecordChars;
    }

    /** The next record, or null at the end; blank lines are skipped. */
    public @Nullable Record next() throws IOException {
        while (true) {
            int c = read();
            if (c == EOF) {
                return null;
            }
            if (c == '\r' || c == '\n') {
                endOfLine(c);
                continue;
            }
            unread(c);
            return record();
        }
    }

    private Record record() throws IOException {
        int startLine = line;
        number++;
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        String malformed = null;
        int chars = 0;
        boolean quoted = false;
        boolean afterQuote = false;
        boolean fieldStart = true;
        while (true) {
            int c = read();
            if (++chars > maxRecordChars && malformed == null) {
                malformed = "the record is longer than " + maxRecordChars + " characters (an unclosed quote?)";
                skipLine(c);
                fields.add(field.toString());
                return new Record(number, startLine, fields, malformed);
            }
            if (quoted) {
                if (c == EOF) {
                    fields.add(field.toString());
                    return new Record(number, startLine, fields, "a quoted field is never closed");
                }
                if (c == '"') {
                    int d = read();
                    if (d == '"') {
                        field.append('"');
                    } else {
                        unread(d);
                        quoted = false;
                        afterQuote = true;
                    }
                } else {
                    if (c == '\n' || (c == '\r')) {
                        endOfLine(c);
                        field.append('\n');
                    } else {
                        field.append((char) c);
                    }
                }
                continue;
            }
            if (c == ',') {
                fields.add(field.toString());
                field.setLength(0);
                fieldStart = true;
                afterQuote = false;
                continue;
            }
            if (c == EOF || c == '\r' || c == '\n') {
                if (c != EOF) {
                    endOfLine(c);
                }
                fields.add(field.toString());
                return new Record(number, startLine, fields, malformed);
            }
            if (c == '"' && fieldStart) {
                quoted = true;
                fieldStart = false;
                continue;
            }
            if (afterQuote && malformed == null) {
                malformed = "text after the closing quote of field " + (fields.size() + 1);
            } else if (c == '"' && malformed == null) {
                malformed = "a quote inside unquoted field " + (fields.size() + 1) + " (quote the field and double the quote)";
            }
            fieldStart = false;
            field.append((char) c);
        }
    }

    private void skipLine(int c) throws IOException {
        while (c != EOF && c != '\n' && c != '\r') {
            c = read();
        }
        if (c != EOF) {
            endOfLine(c);
        }
    }

    private void endOfLine(int c) throws IOException {
        if (c == '\r') {
            int d = read();
            if (d != '\n') {
                unread(d);
            }
        }
        line++;
    }

    private int read() throws IOException {
        if (pushedBack != -2) {
            int c = pushedBack;
            pushedBack = -2;
            return c;
        }
        int c = in.read();
        if (!started) {
            started = true;
            if (c == '\uFEFF') {
                c = in.read();
            }
        }
        return c;
    }

    private void unread(int c) {
        pushedBack = c;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
