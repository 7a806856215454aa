package dev.crosspost.intake.internal;

import dev.crosspost.system.LocalOrigin;
import dev.crosspost.sandbox.SandboxSettings;
import dev.crosspost.system.CrosspostException;
import org.springframework.core.env.Environment;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Google Sheets as a campaign's source and report: {@link #sync} reads the campaign's range (first row = header,
 * the CSV's column names) and imports new rows like a CSV; when a row's post settles, its sheet row gets its
 * {@code status}, {@code post_urls} and {@code error} cells written (those columns are added after the last header
 * column when the sheet lacks them). Without a configured service account the built-in simulator is used while
 * the sandbox runs, signed with a key made at start.
 */
@Component
public class SheetSync {

    static final List<String> RESULT_COLUMNS = List.of("status", "post_urls", "error");
    static final String SANDBOX_ACCOUNT = "crosspost-sandbox@crosspost-sandbox.iam.gserviceaccount.com";

    private final ContentIntake intake;
    private final SheetsClient client;
    private final boolean configured;

    SheetSync(ContentIntake intake, IntakeSettings settings, SandboxSettings sandbox, Environment env, JsonMapper json, Clock clock) {
        this.intake = intake;
        this.client = client(settings.sheets(), sandbox.enabled(), env, json, clock);
        this.configured = sandbox.enabled() || (settings.sheets().privateKey() != null && settings.sheets().clientEmail() != null);
    }

    private static SheetsClient client(IntakeSettings.Sheets s, boolean sandbox, Environment env, JsonMapper json, Clock clock) {
        Supplier<String> local = () -> LocalOrigin.of(env) + "/sandbox/sheets";
        Supplier<String> base = s.baseUrl() != null ? s::baseUrl : sandbox ? local : () -> "https://sheets.googleapis.com";
        Supplier<String> token = s.tokenUrl() != null ? s::tokenUrl : sandbox && s.privateKey() == null ? () -> local.get() + "/token"
                : () -> "https://oauth2.googleapis.com/token";
        java.security.PrivateKey key;
        String email;
        if (s.privateKey() != null && s.clientEmail() != null) {
            key = SheetsClient.privateKey(s.privateKey());
            email = s.clientEmail();
        } else {
            try {
                // no service account: the simulator accepts any well-formed RS256 assertion, so a fresh key will do
                KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
                generator.initialize(2048);
                key = generator.generateKeyPair().getPrivate();
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
            email = SANDBOX_ACCOUNT;
        }
        return new SheetsClient(base, token, email, key, s.maxRetries(), s.requestsPerMinute(), s.httpTimeout(), json, clock, d -> Thread.sleep(d));
    }

    /** Imports the campaign's sheet rows that are not in the campaign yet; rows already imported are noted, not doubled. */
    public Views.ImportReport sync(UUID workspaceId, UUID campaignId) {
        Views.Campaign campaign = intake.campaign(workspaceId, campaignId);
        if (!configured) {
            throw new CrosspostException(CrosspostException.Kind.UNPROCESSABLE, "sheets_not_configured",
                    "Google Sheets needs a service account: set crosspost.intake.sheets.client-email and private-key");
        }
        if (campaign.sheet() == null) {
            throw new CrosspostException(CrosspostException.Kind.CONFLICT, "no_sheet", "campaign " + campaignId + " has no Google Sheets source");
        }
        List<List<String>> values = client.read(campaign.sheet().spreadsheetId(), campaign.sheet().range());
        if (values.isEmpty()) {
            throw new CrosspostException(CrosspostException.Kind.UNPROCESSABLE, "invalid_sheet", "the range " + campaign.sheet().range()
                    + " is empty; its first row must be the header: " + String.join(",", RowChecker.COLUMNS));
        }
        SheetRange range = SheetRange.parse(campaign.sheet().range());
        List<String> header = values.getFirst().stream().map(h -> h.strip().toLowerCase(Locale.ROOT)).toList();
        for (String required : RowChecker.REQUIRED) {
            if (!header.contains(required)) {
                throw new CrosspostException(CrosspostException.Kind.UNPROCESSABLE, "invalid_sheet", "the sheet's header has no '" + required + "' column");
            }
        }
        List<ContentIntake.NumberedRow> rows = new ArrayList<>();
        for (int i = 1; i < values.size(); i++) {
            List<String> cells = values.get(i);
            if (cells.stream().allMatch(String::isBlank)) {
                continue;
            }
            Map<String, String> row = new LinkedHashMap<>();
            for (int c = 0; c < header.size(); c++) {
                if (RowChecker.COLUMNS.contains(header.get(c))) {
                    row.put(header.get(c), c < cells.size() ? cells.get(c) : "");
                }
            }
            rows.add(new ContentIntake.NumberedRow(range.firstRow() + i, row));
        }
        return intake.importRows(workspaceId, campaignId, rows, "sheet");
    }

    @ApplicationModuleListener
    void on(Outcomes.RowSettled settled) {
        Views.Campaign campaign = intake.campaign(settled.workspaceId(), settled.campaignId());
        Views.ContentRow row = intake.row(settled.workspaceId(), settled.campaignId(), settled.rowId());
        if (campaign.sheet() == null || row.sourceRow() == null || !configured) {
            return;
        }
        SheetRange range = SheetRange.parse(campaign.sheet().range());
        String sheetId = campaign.sheet().spreadsheetId();
        List<List<String>> headerRow = client.read(sheetId, range.cell(range.firstColumn(), range.firstRow()) + ":" + range.firstRow());
        List<String> header = headerRow.isEmpty() ? List.of() : headerRow.getFirst().stream().map(h -> h.strip().toLowerCase(Locale.ROOT)).toList();
        List<SheetsClient.Write> writes = new ArrayList<>();
        int next = range.firstColumn() + header.size();
        Map<String, String> values = Map.of("status", row.status(),
                "post_urls", String.join(" ", row.results().stream().filter(r -> r.url() != null).map(r -> r.platform() + ": " + r.url()).toList()),
                "error", errors(row));
        for (String column : RESULT_COLUMNS) {
            int at = header.indexOf(column);
            int sheetColumn;
            if (at >= 0) {
                sheetColumn = range.firstColumn() + at;
            } else {
                sheetColumn = next++;
                writes.add(new SheetsClient.Write(range.cell(sheetColumn, range.firstRow()), List.of(List.of(column))));
            }
            writes.add(new SheetsClient.Write(range.cell(sheetColumn, row.sourceRow()), List.of(List.of(values.get(column)))));
        }
        client.write(sheetId, writes);
    }

    private static String errors(Views.ContentRow row) {
        List<String> errors = new ArrayList<>();
        row.results().stream().filter(r -> r.error() != null).forEach(r -> errors.add(r.platform() + ": " + r.error()));
        if (errors.isEmpty() && row.error() != null) {
            errors.add(row.error());
        }
        return String.join("; ", errors);
    }
}
