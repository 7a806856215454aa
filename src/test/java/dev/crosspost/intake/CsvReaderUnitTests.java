package dev.crosspost.intake;

import dev.crosspost.intake.internal.CsvReader;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** RFC 4180 reading, one record at a time, with broken records reported instead of failing the file. */
class CsvReaderUnitTests {

    private static List<CsvReader.Record> read(String csv) throws IOException {
        List<CsvReader.Record> records = new ArrayList<>();
        try (CsvReader reader = new CsvReader(new StringReader(csv), 1000)) {
            for (CsvReader.Record r; (r = reader.next()) != null; ) {
                records.add(r);
            }
        }
        return records;
    }

    @Test
    void bomCrlfQuotedCommasNewlinesAndDoubledQuotes() throws IOException {
        List<CsvReader.Record> records = read("\uFEFFid,title\r\nP-1,\"Desk Lamp \"\"Halo\"\", warm\"\r\nP-2,\"two\r\nlines\"\r\n\r\nP-3,last");
        assertThat(records).hasSize(4);
        assertThat(records.get(0).fields()).containsExactly("id", "title");
        assertThat(records.get(1).fields()).containsExactly("P-1", "Desk Lamp \"Halo\", warm");
        assertThat(records.get(2).fields()).containsExactly("P-2", "two\nlines");
        assertThat(records.get(3).fields()).containsExactly("P-3", "last");
        // numbers count records (the header is 1); lines count physical lines, blank ones included
        assertThat(records.get(3).number()).isEqualTo(4);
        assertThat(records.get(3).line()).isEqualTo(6);
        assertThat(records).allSatisfy(r -> assertThat(r.malformed()).isNull());
    }

    @Test
    void emojiAndRightToLeftTextSurviveAsWritten() throws IOException {
        String hebrew = "אוזניות אלחוטיות";
        String arabic = "سماعات لاسلكية";
        List<CsvReader.Record> records = read("a,b,c\n🌿 sage,\"" + hebrew + "\"," + arabic + " 👍🏽\n");
        assertThat(records.get(1).fields()).containsExactly("🌿 sage", hebrew, arabic + " 👍🏽");
    }

    @Test
    void emptyFieldsAndTrailingComma() throws IOException {
        assertThat(read("a,b,c\n,,\nx,\"\",").get(1).fields()).containsExactly("", "", "");
        assertThat(read("a,b,c\n,,\nx,\"\",").get(2).fields()).containsExactly("x", "", "");
    }

    @Test
    void brokenQuotingIsReportedAndReadingCarriesOn() throws IOException {
        List<CsvReader.Record> records = read("id,title\nP-1,Desk \"Halo\" lamp\nP-2,\"closed\" then text\nP-3,fine\nP-4,\"never closed\nP-5,x\n");
        assertThat(records.get(1).malformed()).contains("quote inside unquoted field 2");
        assertThat(records.get(2).malformed()).contains("text after the closing quote");
        assertThat(records.get(3).malformed()).isNull();
        assertThat(records.get(3).fields()).containsExactly("P-3", "fine");
        assertThat(records.get(4).malformed()).contains("never closed");
    }

    @Test
    void anOversizedRecordIsCutAndTheNextLineIsReadAgain() throws IOException {
        List<CsvReader.Record> records = read("id,title\nP-1," + "x".repeat(2000) + "\nP-2,ok\n");
        assertThat(records.get(1).malformed()).contains("longer than 1000");
        assertThat(records.get(2).fields()).containsExactly("P-2", "ok");
    }

    @Test
    void aLargeGeneratedFileIsReadAtBoundedMemory() throws IOException {
        int rows = 400_000; // about 60 MB of CSV, generated as it is read: never held anywhere
        long[] maxUsed = {0};
        Runtime runtime = Runtime.getRuntime();
        System.gc();
        long before = runtime.totalMemory() - runtime.freeMemory();
        int count = 0;
        try (CsvReader reader = new CsvReader(new GeneratedCsv(rows), 64 * 1024)) {
            for (CsvReader.Record r; (r = reader.next()) != null; ) {
                count++;
                if (count % 50_000 == 0) {
                    System.gc();
                    maxUsed[0] = Math.max(maxUsed[0], runtime.totalMemory() - runtime.freeMemory() - before);
                }
            }
        }
        assertThat(count).isEqualTo(rows + 1);
        // the file is ~60 MB; what stays reachable while reading is one record, far below that
        assertThat(maxUsed[0]).isLessThan(32L * 1024 * 1024);
    }

    /** A CSV of {@code rows} product rows produced on demand. */
    private static final class GeneratedCsv extends Reader {
        private final int rows;
        private int row = -1;
        private String current = "";
        private int at;

        GeneratedCsv(int rows) {
            this.rows = rows;
        }

        @Override
        public int read(char[] buffer, int offset, int length) {
            if (at == current.length()) {
                if (++row > rows) {
                    return -1;
                }
                current = row == 0 ? "id,title,description,price,currency,platforms\r\n"
                        : "P-" + row + ",\"Product " + row + ", with comma\",\"Line one\nline two 🌿 מוצר\"," + (row % 1000) + ".99,USD,x;bluesky\r\n";
                at = 0;
            }
            int n = Math.min(length, current.length() - at);
            current.getChars(at, at + n, buffer, offset);
            at += n;
            return n;
        }

        @Override
        public void close() {
        }
    }
}
