package dev.crosspost.intake.internal;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What the Sheets client relies on, run against the built-in simulator and against WireMock stubs written from
 * platforms.md §10: if both pass, the simulator answers like the real API where the client can tell.
 */
abstract class SheetsClientContract {

    /** Pauses the client asked for; recorded instead of slept. */
    protected final List<Duration> pauses = new ArrayList<>();

    /** A client whose pauses go to {@link #pauses}. */
    protected abstract SheetsClient client();

    /** Makes spreadsheet {@code id} hold {@code rows} on Sheet1 (the simulator), or stubs reading it (WireMock). */
    protected abstract void givenSheet(String id, List<List<String>> rows) throws Exception;

    /** The next API call answers 429 RESOURCE_EXHAUSTED once. */
    protected abstract void givenRateLimitedOnce() throws Exception;

    /** Checks that {@code writes} reached the spreadsheet (simulator: read back; WireMock: the request sent). */
    protected abstract void assertWritten(String id, List<SheetsClient.Write> writes) throws Exception;

    /** Checks the JWT bearer grant the client sent, where the test can see it. */
    protected abstract void assertTokenGrant() throws Exception;

    static final List<List<String>> ROWS = List.of(
            List.of("id", "title", "platforms", "status"),
            List.of("S-1", "Trail Runner 2", "x;bluesky"),
            List.of("S-2", "Pour-Over 🌿", "bluesky", ""));

    @Test
    void readsARangeAsRowsWithoutTrailingEmptyCells() throws Exception {
        givenSheet("sheet-read", ROWS);
        List<List<String>> rows = client().read("sheet-read", "Sheet1!A1:L");
        assertThat(rows).containsExactly(ROWS.get(0), ROWS.get(1), List.of("S-2", "Pour-Over 🌿", "bluesky"));
        assertTokenGrant();
    }

    @Test
    void writesSeveralRangesInOneBatch() throws Exception {
        givenSheet("sheet-write", ROWS);
        List<SheetsClient.Write> writes = List.of(new SheetsClient.Write("Sheet1!D2", List.of(List.of("published"))),
                new SheetsClient.Write("Sheet1!E2", List.of(List.of("=not a formula"))));
        client().write("sheet-write", writes);
        assertWritten("sheet-write", writes);
    }

    @Test
    void a429IsBackedOffAndRetried() throws Exception {
        givenSheet("sheet-429", ROWS);
        givenRateLimitedOnce();
        assertThat(client().read("sheet-429", "Sheet1!A1:L")).hasSize(3);
        assertThat(pauses).hasSize(1);
        assertThat(pauses.getFirst()).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void anUnknownSpreadsheetIsNotFoundInGooglesWords() {
        assertThatThrownBy(() -> client().read("no-such-sheet", "Sheet1!A1:L"))
                .isInstanceOfSatisfying(SheetsClient.SheetsFailed.class, e -> {
                    assertThat(e.status()).isEqualTo("NOT_FOUND");
                    assertThat(e.getMessage()).contains("Requested entity was not found");
                });
    }
}
