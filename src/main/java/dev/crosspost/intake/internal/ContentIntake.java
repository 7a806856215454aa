package dev.crosspost.intake.internal;

import dev.crosspost.intake.ContentAccepted;
import dev.crosspost.system.Page;
import dev.crosspost.publishing.PlatformsSettings;
import dev.crosspost.system.CrosspostException;
import dev.crosspost.system.net.SafeFetcher;
import dev.crosspost.system.web.Problems;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static java.util.stream.Collectors.mapping;
import static java.util.stream.Collectors.partitioningBy;
import static java.util.stream.Collectors.toList;

/**
 * Campaigns and their rows: creating them, importing CSV (streamed, checked row by row, stored in batches, so
 * memory stays flat however long the file), adding single rows, and starting a campaign, which hands every row to
 * generation as {@link ContentAccepted}. Each import is one transaction: its rows, its report and its events commit
 * together or not at all.
 */
@Component
public class ContentIntake {

    static final int BATCH = 500;
    static final int MAX_RECORD_CHARS = 256 * 1024;
    static final java.time.Duration KEY_TTL = java.time.Duration.ofHours(24);

    private final IntakeStore store;
    private final JdbcClient jdbc;
    private final TransactionTemplate tx;
    private final ApplicationEventPublisher events;
    private final PlatformsSettings platforms;
    private final SafeFetcher fetcher;
    private final Clock clock;

    ContentIntake(IntakeStore store, JdbcClient jdbc, TransactionTemplate tx, ApplicationEventPublisher events, PlatformsSettings platforms,
                  SafeFetcher fetcher, Clock clock) {
        this.store = store;
        this.jdbc = jdbc;
        this.tx = tx;
        this.events = events;
        this.platforms = platforms;
        this.fetcher = fetcher;
        this.clock = clock;
    }

    /** An import's report, and whether it is the stored answer to an earlier request with the same Idempotency-Key. */
    public record Imported(Views.ImportReport report, boolean replayed) {
    }

    public Views.Campaign createCampaign(UUID workspaceId, String name, Views.@Nullable Sheet sheet) {
        UUID id = UUID.randomUUID();
        tx.executeWithoutResult(s -> store.insertCampaign(id, workspaceId, name, sheet, clock.instant()));
        return campaign(workspaceId, id);
    }

    public Views.Campaign campaign(UUID workspaceId, UUID id) {
        return store.campaign(workspaceId, id).orElseThrow(() -> CrosspostException.notFound("campaign", id));
    }

    public Page<Views.Campaign> campaigns(UUID workspaceId, @Nullable String cursor, int limit) {
        return store.campaigns(workspaceId, cursor, limit);
    }

    public Page<Views.ContentRow> rows(UUID workspaceId, UUID campaignId, @Nullable String status, @Nullable String cursor, int limit) {
        campaign(workspaceId, campaignId);
        return store.rows(workspaceId, campaignId, status, cursor, limit);
    }

    public Views.ContentRow row(UUID workspaceId, UUID campaignId, UUID rowId) {
        return store.rowView(workspaceId, campaignId, rowId).orElseThrow(() -> CrosspostException.notFound("row", rowId));
    }

    public Views.ImportReport report(UUID workspaceId, UUID campaignId, UUID importId, @Nullable String cursor, int limit) {
        return store.report(workspaceId, campaignId, importId, cursor, limit).orElseThrow(() -> CrosspostException.notFound("import", importId));
    }

    /** The workspace a campaign belongs to, for signed webhooks that carry no user. */
    public Optional<UUID> campaignWorkspace(UUID campaignId) {
        return store.campaignWorkspace(campaignId);
    }

    /** Starts the campaign: every pending row goes to generation. Starting a running campaign changes nothing. */
    public Views.Campaign start(UUID workspaceId, UUID campaignId) {
        tx.executeWithoutResult(s -> {
            String status = store.lockCampaign(workspaceId, campaignId).orElseThrow(() -> CrosspostException.notFound("campaign", campaignId));
            if (status.equals("running")) {
                return;
            }
            store.markRunning(campaignId, clock.instant());
            long[] last = {0};
            for (List<UUID> ids; !(ids = store.rowIds(campaignId, "pending", last[0], BATCH, last)).isEmpty(); ) {
                for (UUID id : ids) {
                    accept(store.row(workspaceId, id).orElseThrow());
                }
            }
        });
        return campaign(workspaceId, campaignId);
    }

    /** Adds one row given as column → value; refused with field errors, or 409 when the campaign has its id. */
    public Views.AddedRow addRow(UUID workspaceId, UUID campaignId, Map<String, String> values) {
        RowChecker.Checked checked = checker().check(1, 1, values);
        // by field, as the API answers them: errors refuse the row, warnings come back with it
        Map<Boolean, List<Problems.FieldError>> found = checked.problems().stream().collect(partitioningBy(Problem::isError,
                mapping(p -> new Problems.FieldError(p.field(), p.reason()), toList())));
        if (checked.row() == null) {
            throw CrosspostException.invalid(found.get(true));
        }
        UUID id = UUID.randomUUID();
        tx.executeWithoutResult(s -> {
            String status = store.lockCampaign(workspaceId, campaignId).orElseThrow(() -> CrosspostException.notFound("campaign", campaignId));
            boolean running = status.equals("running");
            boolean[] inserted = store.insertRows(workspaceId, campaignId, List.of(new IntakeStore.NewRow(id, null, 0, checked.row())),
                    running ? "preparing" : "pending", clock.instant());
            if (!inserted[0]) {
                throw new CrosspostException(CrosspostException.Kind.CONFLICT, "duplicate_id", "id " + checked.row().externalId()
                        + " is already in this campaign (" + store.existingRowLabel(campaignId, checked.row().externalId()).orElse("?") + ")");
            }
            if (running) {
                publishAccepted(workspaceId, campaignId, id, checked.row());
            }
        });
        return new Views.AddedRow(row(workspaceId, campaignId, id), found.get(false));
    }

    /**
     * Imports a CSV stream into a campaign. With an Idempotency-Key, a retry with the same bytes gets the first
     * import's report back, and the same key with other bytes is refused with 422.
     */
    public Imported importCsv(UUID workspaceId, UUID campaignId, InputStream body, @Nullable String idempotencyKey, String source) {
        MessageDigest sha = sha256();
        DigestInputStream in = new DigestInputStream(body, sha);
        Imported result = tx.execute(s -> {
            if (idempotencyKey != null) {
                // a concurrent twin with the same key waits here until this one commits, then replays it
                jdbc.sql("SELECT pg_advisory_xact_lock(hashtextextended(:k, 0))").param("k", workspaceId + "|intake-import|" + idempotencyKey)
                        .query().singleValue();
                // keys live 24 hours, like every Idempotency-Key: an older use no longer counts
                jdbc.sql("UPDATE intake_imports SET idempotency_key = NULL WHERE workspace_id = :ws AND idempotency_key = :k AND created_at <= :cutoff")
                        .param("ws", workspaceId).param("k", idempotencyKey)
                        .param("cutoff", java.sql.Timestamp.from(clock.instant().minus(KEY_TTL))).update();
                var earlier = store.importByKey(workspaceId, idempotencyKey);
                if (earlier.isPresent()) {
                    drain(in);
                    String hash = HexFormat.of().formatHex(sha.digest());
                    if (!earlier.get().sha256().equals(hash) || !earlier.get().campaignId().equals(campaignId)) {
                        throw new CrosspostException(CrosspostException.Kind.UNPROCESSABLE, "idempotency_key_reused",
                                "This Idempotency-Key was used with a different upload; use a new key for a new upload.");
                    }
                    return new Imported(report(workspaceId, campaignId, earlier.get().id(), null, 100), true);
                }
            }
            String status = store.lockCampaign(workspaceId, campaignId).orElseThrow(() -> CrosspostException.notFound("campaign", campaignId));
            UUID importId = UUID.randomUUID();
            Instant now = clock.instant();
            store.insertImport(importId, workspaceId, campaignId, source, idempotencyKey, null, 0, 0, 0, 0, now);
            Counts counts = readCsv(workspaceId, campaignId, importId, in, status.equals("running"));
            jdbc.sql("""
                            UPDATE intake_imports SET rows_total = :t, rows_accepted = :a, rows_rejected = :r, warnings = :w, body_sha256 = :sha
                            WHERE id = :id""")
                    .param("t", counts.total).param("a", counts.accepted).param("r", counts.rejected).param("w", counts.warnings)
                    .param("sha", HexFormat.of().formatHex(sha.digest())).param("id", importId).update();
            return new Imported(report(workspaceId, campaignId, importId, null, 100), false);
        });
        return java.util.Objects.requireNonNull(result);
    }

    /** Raw values of one row and its number in its source (sheet row, position in a webhook). */
    public record NumberedRow(int number, Map<String, String> values) {
    }

    /**
     * Imports rows that arrive as values (a sheet range, a webhook body) exactly like CSV rows: checked, stored in
     * batches, with a report. Runs in the caller's transaction when there is one.
     */
    public Views.ImportReport importRows(UUID workspaceId, UUID campaignId, List<NumberedRow> rows, String source) {
        Views.ImportReport report = tx.execute(s -> {
            String status = store.lockCampaign(workspaceId, campaignId).orElseThrow(() -> CrosspostException.notFound("campaign", campaignId));
            boolean running = status.equals("running");
            UUID importId = UUID.randomUUID();
            store.insertImport(importId, workspaceId, campaignId, source, null, null, 0, 0, 0, 0, clock.instant());
            Counts counts = new Counts();
            List<Problem> problems = new ArrayList<>();
            List<IntakeStore.NewRow> batch = new ArrayList<>();
            RowChecker checker = checker();
            for (NumberedRow raw : rows) {
                counts.total++;
                RowChecker.Checked checked = checker.check(raw.number(), raw.number(), raw.values());
                problems.addAll(checked.problems());
                if (checked.row() == null) {
                    counts.rejected++;
                } else {
                    batch.add(new IntakeStore.NewRow(UUID.randomUUID(), raw.number(), raw.number(), checked.row()));
                }
                if (batch.size() >= BATCH) {
                    flushRows(workspaceId, campaignId, running, batch, problems, counts, source.equals("sheet"));
                }
            }
            flushRows(workspaceId, campaignId, running, batch, problems, counts, source.equals("sheet"));
            flushProblems(importId, problems, counts);
            jdbc.sql("UPDATE intake_imports SET rows_total = :t, rows_accepted = :a, rows_rejected = :r, warnings = :w WHERE id = :id")
                    .param("t", counts.total).param("a", counts.accepted).param("r", counts.rejected).param("w", counts.warnings)
                    .param("id", importId).update();
            return report(workspaceId, campaignId, importId, null, 1000);
        });
        return java.util.Objects.requireNonNull(report);
    }

    private static final class Counts {
        int total;
        int accepted;
        int rejected;
        int warnings;
        int problemSeq;
    }

    private Counts readCsv(UUID workspaceId, UUID campaignId, UUID importId, InputStream in, boolean running) {
        Counts counts = new Counts();
        List<Problem> problems = new ArrayList<>();
        List<IntakeStore.NewRow> batch = new ArrayList<>();
        RowChecker checker = checker();
        var decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        try (CsvReader csv = new CsvReader(new BufferedReader(new InputStreamReader(in, decoder), 64 * 1024), MAX_RECORD_CHARS)) {
            CsvReader.Record header = csv.next();
            if (header == null) {
                throw invalidFile("the file is empty; the first line must be the header: " + String.join(",", RowChecker.COLUMNS));
            }
            List<String> columns = header(header, problems);
            for (CsvReader.Record record; (record = csv.next()) != null; ) {
                counts.total++;
                if (record.malformed() != null) {
                    problems.add(Problem.error(record.number(), record.line(), "row", "malformed CSV: " + record.malformed()));
                    counts.rejected++;
                } else if (record.fields().size() != columns.size()) {
                    problems.add(Problem.error(record.number(), record.line(), "row", "has " + record.fields().size()
                            + " fields; the header has " + columns.size() + " (an unquoted comma?)"));
                    counts.rejected++;
                } else {
                    Map<String, String> values = new LinkedHashMap<>();
                    for (int i = 0; i < columns.size(); i++) {
                        if (columns.get(i) != null) {
                            values.put(columns.get(i), record.fields().get(i));
                        }
                    }
                    RowChecker.Checked checked = checker.check(record.number(), record.line(), values);
                    problems.addAll(checked.problems());
                    if (checked.row() == null) {
                        counts.rejected++;
                    } else {
                        batch.add(new IntakeStore.NewRow(UUID.randomUUID(), record.number(), record.line(), checked.row()));
                    }
                }
                if (batch.size() >= BATCH) {
                    flushRows(workspaceId, campaignId, running, batch, problems, counts);
                }
                if (problems.size() >= BATCH) {
                    flushProblems(importId, problems, counts);
                }
            }
            flushRows(workspaceId, campaignId, running, batch, problems, counts);
            flushProblems(importId, problems, counts);
        } catch (java.nio.charset.CharacterCodingException e) {
            throw invalidFile("the file is not UTF-8 text (save it as CSV UTF-8)");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return counts;
    }

    /** The header's columns in order; unknown or repeated ones map to null (and get a problem). */
    private static List<String> header(CsvReader.Record header, List<Problem> problems) {
        if (header.malformed() != null) {
            throw invalidFile("the header is malformed CSV: " + header.malformed());
        }
        List<String> columns = new ArrayList<>();
        List<Problems.FieldError> errors = new ArrayList<>();
        for (String raw : header.fields()) {
            String name = raw.strip().toLowerCase(Locale.ROOT);
            if (columns.contains(name)) {
                errors.add(new Problems.FieldError("file", "column '" + name + "' appears twice in the header"));
                columns.add(null);
            } else if (!RowChecker.COLUMNS.contains(name)) {
                problems.add(Problem.warning(1, 1, raw, "unknown column, ignored; known: " + String.join(",", RowChecker.COLUMNS)));
                columns.add(null);
            } else {
                columns.add(name);
            }
        }
        for (String required : RowChecker.REQUIRED) {
            if (!columns.contains(required)) {
                errors.add(new Problems.FieldError("file", "the header has no '" + required + "' column"));
            }
        }
        if (!errors.isEmpty()) {
            throw new CrosspostException(CrosspostException.Kind.UNPROCESSABLE, "invalid_csv_header",
                    "The CSV header is not usable: " + errors.getFirst().message(), Map.of("errors", errors));
        }
        return columns;
    }

    private void flushRows(UUID workspaceId, UUID campaignId, boolean running, List<IntakeStore.NewRow> batch, List<Problem> problems,
                           Counts counts) {
        flushRows(workspaceId, campaignId, running, batch, problems, counts, false);
    }

    /** @param resync the source is read again and again (a sheet): a row already imported is noted, not an error */
    private void flushRows(UUID workspaceId, UUID campaignId, boolean running, List<IntakeStore.NewRow> batch, List<Problem> problems,
                           Counts counts, boolean resync) {
        if (batch.isEmpty()) {
            return;
        }
        boolean[] inserted = store.insertRows(workspaceId, campaignId, batch, running ? "preparing" : "pending", clock.instant());
        for (int i = 0; i < batch.size(); i++) {
            IntakeStore.NewRow row = batch.get(i);
            if (inserted[i]) {
                counts.accepted++;
                if (running) {
                    publishAccepted(workspaceId, campaignId, row.id(), row.data());
                }
            } else if (resync) {
                problems.add(Problem.warning(row.sourceRow() == null ? 0 : row.sourceRow(), row.line(), "id",
                        "already imported (" + row.data().externalId() + "); unchanged"));
            } else {
                counts.rejected++;
                problems.add(Problem.error(row.sourceRow() == null ? 0 : row.sourceRow(), row.line(), "id",
                        "duplicate id " + row.data().externalId() + ": already in " + store.existingRowLabel(campaignId, row.data().externalId()).orElse("this campaign")));
            }
        }
        batch.clear();
    }

    private void flushProblems(UUID importId, List<Problem> problems, Counts counts) {
        if (problems.isEmpty()) {
            return;
        }
        // problems are stored in file order (duplicates are found a batch later, so sort what is buffered)
        problems.sort(java.util.Comparator.comparingInt(Problem::row));
        counts.warnings += (int) problems.stream().filter(p -> !p.isError()).count();
        store.insertProblems(importId, counts.problemSeq, problems);
        counts.problemSeq += problems.size();
        problems.clear();
    }

    private void accept(IntakeStore.StoredRow row) {
        store.setStatus(row.id(), "preparing", null, clock.instant());
        publishAccepted(row.workspaceId(), row.campaignId(), row.id(), row.data());
    }

    private void publishAccepted(UUID workspaceId, UUID campaignId, UUID rowId, RowData d) {
        events.publishEvent(new ContentAccepted(workspaceId, campaignId, rowId, d.externalId(), d.title(), d.description(), d.price(),
                d.currency(), d.productUrl(), d.imageUrl(), d.videoUrl(), d.platforms(), d.hashtags(), d.publishAt(), d.timezone()));
    }

    RowChecker checker() {
        return new RowChecker(platforms.platforms().keySet(), fetcher, clock);
    }

    private static CrosspostException invalidFile(String message) {
        return new CrosspostException(CrosspostException.Kind.UNPROCESSABLE, "invalid_csv", message,
                Map.of("errors", List.of(new Problems.FieldError("file", message))));
    }

    private static void drain(InputStream in) {
        try {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
