package dev.crosspost.intake.web;

import dev.crosspost.intake.internal.ContentIntake;
import dev.crosspost.intake.internal.CsvExport;
import dev.crosspost.intake.internal.SheetSync;
import dev.crosspost.intake.internal.Views;
import dev.crosspost.intake.internal.WebhookSecrets;
import dev.crosspost.system.Page;
import dev.crosspost.system.CrosspostException;
import dev.crosspost.system.Workspaces;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** {@code /api/v1/campaigns}: campaigns, their rows, CSV imports with their validation reports, start, and export. */
@RestController
@RequestMapping("/api/v1/campaigns")
class CampaignController {

    private final ContentIntake intake;
    private final CsvExport export;
    private final WebhookSecrets secrets;
    private final SheetSync sheets;
    private final Workspaces workspaces;

    CampaignController(ContentIntake intake, CsvExport export, WebhookSecrets secrets, SheetSync sheets, Workspaces workspaces) {
        this.intake = intake;
        this.sheets = sheets;
        this.export = export;
        this.secrets = secrets;
        this.workspaces = workspaces;
    }

    /** Where and how to send signed rows to a campaign. */
    record WebhookInfo(String url, String secret, String signature) {
    }

    /** A Google Sheets source: the spreadsheet's id (from its URL) and an A1 range whose first row is the header. */
    record SheetRequest(@NotBlank @Pattern(regexp = "[A-Za-z0-9_-]{10,100}", message = "must be the id from the sheet's URL") String spreadsheetId,
                        @NotBlank @Size(max = 200) @Pattern(regexp = "[^\\p{Cntrl}]+", message = "must be an A1 range like Sheet1!A1:L") String range) {
    }

    record CreateCampaign(@NotBlank @Size(max = 200) String name, @Nullable @Valid SheetRequest sheet) {
    }

    /** One content row; the fields are the CSV's columns, {@code platforms} and {@code hashtags} as lists. */
    record CreateRow(@Nullable String id, @Nullable String title, @Nullable String description, @Nullable String price,
                     @Nullable String currency, @Nullable String productUrl, @Nullable String imageUrl, @Nullable String videoUrl,
                     @Nullable @Size(max = 20) List<@Size(max = 40) String> platforms, @Nullable String publishAt, @Nullable String timezone,
                     @Nullable @Size(max = 100) List<@Size(max = 100) String> hashtags) {

        Map<String, String> values() {
            Map<String, String> values = new LinkedHashMap<>();
            values.put("id", id);
            values.put("title", title);
            values.put("description", description);
            values.put("price", price);
            values.put("currency", currency);
            values.put("product_url", productUrl);
            values.put("image_url", imageUrl);
            values.put("video_url", videoUrl);
            values.put("platforms", platforms == null ? null : String.join(";", platforms));
            values.put("publish_at", publishAt);
            values.put("timezone", timezone);
            values.put("hashtags", hashtags == null ? null : String.join(";", hashtags));
            return values;
        }
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Create a campaign (optionally backed by a Google Sheets range)")
    Views.Campaign create(@Valid @RequestBody CreateCampaign body, HttpServletRequest request) {
        Views.Sheet sheet = body.sheet() == null ? null : new Views.Sheet(body.sheet().spreadsheetId(), body.sheet().range());
        return intake.createCampaign(workspaces.current(request), body.name().strip(), sheet);
    }

    @GetMapping
    @Operation(summary = "List campaigns, newest first, with cursor paging")
    Page<Views.Campaign> list(@RequestParam(required = false) @Nullable String cursor,
                              @RequestParam(defaultValue = "20") @Min(1) @Max(100) int limit, HttpServletRequest request) {
        return intake.campaigns(workspaces.current(request), cursor, limit);
    }

    @GetMapping("/{id}")
    @Operation(summary = "A campaign with how many rows are in each status")
    Views.Campaign get(@PathVariable UUID id, HttpServletRequest request) {
        return intake.campaign(workspaces.current(request), id);
    }

    @PostMapping("/{id}/sheet/sync")
    @Operation(summary = "Import the rows of the campaign's Google Sheets range that are not in the campaign yet")
    Views.ImportReport syncSheet(@PathVariable UUID id, HttpServletRequest request) {
        return sheets.sync(workspaces.current(request), id);
    }

    @GetMapping("/{id}/webhook")
    @Operation(summary = "The campaign's signed content webhook: its URL and secret")
    WebhookInfo webhook(@PathVariable UUID id, HttpServletRequest request) {
        intake.campaign(workspaces.current(request), id);
        return new WebhookInfo("/api/v1/hooks/campaigns/" + id + "/rows", secrets.secret(id),
                "Crosspost-Timestamp: <unix seconds>; Crosspost-Signature: v1=<hex HMAC-SHA256(secret, timestamp + \".\" + body)>");
    }

    @PostMapping("/{id}/start")
    @Operation(summary = "Start the campaign: every pending row goes on to captions, video and publishing")
    Views.Campaign start(@PathVariable UUID id, HttpServletRequest request) {
        return intake.start(workspaces.current(request), id);
    }

    @GetMapping("/{id}/rows")
    @Operation(summary = "The campaign's rows in import order, with cursor paging; filter with status")
    Page<Views.ContentRow> rows(@PathVariable UUID id, @RequestParam(required = false)
                                @Nullable @Pattern(regexp = "pending|preparing|publishing|published|partial|failed") String status,
                                @RequestParam(required = false) @Nullable String cursor,
                                @RequestParam(defaultValue = "50") @Min(1) @Max(500) int limit, HttpServletRequest request) {
        return intake.rows(workspaces.current(request), id, status, cursor, limit);
    }

    @GetMapping("/{id}/rows/{rowId}")
    @Operation(summary = "One row with each platform's outcome")
    Views.ContentRow row(@PathVariable UUID id, @PathVariable UUID rowId, HttpServletRequest request) {
        return intake.row(workspaces.current(request), id, rowId);
    }

    @PostMapping("/{id}/rows")
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Add one row, checked like a CSV row; what the check warns about (a DST gap, a time already past) comes as warnings")
    Views.AddedRow addRow(@PathVariable UUID id, @Valid @RequestBody CreateRow body, HttpServletRequest request) {
        return intake.addRow(workspaces.current(request), id, body.values());
    }

    @PostMapping(path = "/{id}/imports", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    @Operation(summary = "Import a CSV file (multipart field 'file'); answers with the validation report")
    ResponseEntity<Views.ImportReport> importCsv(@PathVariable UUID id, @RequestPart("file") MultipartFile file,
                                                 @RequestHeader(name = "Idempotency-Key", required = false) @Nullable
                                                 @Pattern(regexp = "[\\x21-\\x7E]{1,255}", message = "must be 1-255 visible ASCII characters") String key,
                                                 HttpServletRequest request) {
        // the part is spooled to disk by the container above a small threshold and read here as a stream
        try (InputStream in = file.getInputStream()) {
            ContentIntake.Imported imported = intake.importCsv(workspaces.current(request), id, in, key, "csv");
            return imported.replayed()
                    ? ResponseEntity.ok().header("Idempotent-Replayed", "true").body(imported.report())
                    : ResponseEntity.status(HttpStatus.CREATED).body(imported.report());
        } catch (IOException e) {
            throw new CrosspostException(CrosspostException.Kind.INVALID, "malformed_body", "the uploaded file could not be read");
        }
    }

    @GetMapping("/{id}/imports/{importId}")
    @Operation(summary = "An import's validation report: row, field and reason of every problem, with cursor paging")
    Views.ImportReport report(@PathVariable UUID id, @PathVariable UUID importId, @RequestParam(required = false) @Nullable String cursor,
                              @RequestParam(defaultValue = "100") @Min(1) @Max(1000) int limit, HttpServletRequest request) {
        return intake.report(workspaces.current(request), id, importId, cursor, limit);
    }

    @GetMapping(path = "/{id}/export", produces = "text/csv")
    @Operation(summary = "The campaign's results as CSV (one line per row and platform), formula-escaped")
    void export(@PathVariable UUID id, HttpServletRequest request, HttpServletResponse response) {
        UUID workspace = workspaces.current(request);
        intake.campaign(workspace, id);
        response.setContentType("text/csv; charset=UTF-8");
        response.setHeader("Content-Disposition", "attachment; filename=\"campaign-" + id + ".csv\"");
        try {
            Writer out = new OutputStreamWriter(response.getOutputStream(), StandardCharsets.UTF_8);
            export.write(workspace, id, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
