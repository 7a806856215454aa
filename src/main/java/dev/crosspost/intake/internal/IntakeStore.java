package dev.crosspost.intake.internal;

import dev.crosspost.system.Cursors;
import dev.crosspost.system.Page;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import java.math.BigDecimal;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** Campaigns, content rows, imports and their problems in PostgreSQL; every read is scoped to a workspace. */
@Component
public class IntakeStore {

    private static final TypeReference<List<Views.PlatformResult>> RESULTS = new TypeReference<>() {
    };

    private final JdbcClient jdbc;
    private final JdbcTemplate template;
    private final JsonMapper json;
    private final Cursors cursors;

    IntakeStore(JdbcClient jdbc, JdbcTemplate template, JsonMapper json, Cursors cursors) {
        this.jdbc = jdbc;
        this.template = template;
        this.json = json;
        this.cursors = cursors;
    }

    /** A row to insert: its checked values and where it came from (record number and first line). */
    record NewRow(UUID id, @Nullable Integer sourceRow, int line, RowData data) {
    }

    /** A stored row with the ids the hand-offs need. */
    record StoredRow(UUID id, UUID workspaceId, UUID campaignId, String status, @Nullable UUID postId, RowData data) {
    }

    void insertCampaign(UUID id, UUID workspaceId, String name, Views.@Nullable Sheet sheet, Instant now) {
        jdbc.sql("""
                        INSERT INTO campaigns (id, workspace_id, name, status, sheet_id, sheet_range, created_at)
                        VALUES (:id, :ws, :name, 'draft', :sheet, :range, :now)""")
                .param("id", id).param("ws", workspaceId).param("name", name)
                .param("sheet", sheet == null ? null : sheet.spreadsheetId()).param("range", sheet == null ? null : sheet.range())
                .param("now", Timestamp.from(now)).update();
    }

    Optional<Views.Campaign> campaign(UUID workspaceId, UUID id) {
        return jdbc.sql("SELECT * FROM campaigns WHERE workspace_id = :ws AND id = :id").param("ws", workspaceId).param("id", id)
                .query((rs, n) -> campaign(rs)).optional()
                .map(c -> new Views.Campaign(c.id(), c.name(), c.status(), c.sheet(), counts(c.id()), c.createdAt(), c.startedAt()));
    }

    /** Locks the campaign row for the rest of the transaction (imports and start serialise on it). */
    Optional<String> lockCampaign(UUID workspaceId, UUID id) {
        return jdbc.sql("SELECT status FROM campaigns WHERE workspace_id = :ws AND id = :id FOR UPDATE")
                .param("ws", workspaceId).param("id", id).query(String.class).optional();
    }

    /** The workspace of a campaign, for requests that carry no user (signed webhooks). */
    Optional<UUID> campaignWorkspace(UUID id) {
        return jdbc.sql("SELECT workspace_id FROM campaigns WHERE id = :id").param("id", id).query(UUID.class).optional();
    }

    boolean anyCampaign() {
        return jdbc.sql("SELECT EXISTS (SELECT 1 FROM campaigns)").query(Boolean.class).single();
    }

    Page<Views.Campaign> campaigns(UUID workspaceId, @Nullable String cursor, int limit) {
        Cursors.At after = cursor == null ? null : cursors.decodeAt("campaigns", cursor);
        List<Views.Campaign> rows = jdbc.sql("""
                        SELECT * FROM campaigns WHERE workspace_id = :ws
                          AND (CAST(:at AS timestamptz) IS NULL OR (created_at, id) < (CAST(:at AS timestamptz), CAST(:id AS uuid)))
                        ORDER BY created_at DESC, id DESC LIMIT :limit""")
                .param("ws", workspaceId).param("at", after == null ? null : Timestamp.from(after.at()))
                .param("id", after == null ? null : after.id()).param("limit", limit + 1)
                .query((rs, n) -> campaign(rs)).list();
        boolean more = rows.size() > limit;
        List<Views.Campaign> page = (more ? rows.subList(0, limit) : rows).stream()
                .map(c -> new Views.Campaign(c.id(), c.name(), c.status(), c.sheet(), counts(c.id()), c.createdAt(), c.startedAt())).toList();
        return new Page<>(page, more ? cursors.encode("campaigns", page.getLast().createdAt(), page.getLast().id()) : null);
    }

    void markRunning(UUID id, Instant now) {
        jdbc.sql("UPDATE campaigns SET status = 'running', started_at = :now WHERE id = :id").param("id", id)
                .param("now", Timestamp.from(now)).update();
    }

    private Map<String, Integer> counts(UUID campaignId) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        jdbc.sql("SELECT status, count(*) FROM content_rows WHERE campaign_id = :id GROUP BY status ORDER BY status")
                .param("id", campaignId).query((rs, n) -> counts.put(rs.getString(1), rs.getInt(2))).list();
        return counts;
    }

    /**
     * Inserts rows in one batch; a row whose id the campaign already has is not inserted.
     *
     * @return for each row, whether it was inserted
     */
    boolean[] insertRows(UUID workspaceId, UUID campaignId, List<NewRow> rows, String status, Instant now) {
        Timestamp at = Timestamp.from(now);
        int[][] counts = template.batchUpdate("""
                        INSERT INTO content_rows (id, workspace_id, campaign_id, source_row, external_id, title, description, price, currency,
                          product_url, image_url, video_url, platforms, hashtags, publish_at, timezone, status, created_at, updated_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (campaign_id, external_id) DO NOTHING""",
                rows, rows.size(), (ps, r) -> {
                    RowData d = r.data();
                    ps.setObject(1, r.id());
                    ps.setObject(2, workspaceId);
                    ps.setObject(3, campaignId);
                    ps.setObject(4, r.sourceRow());
                    ps.setString(5, d.externalId());
                    ps.setString(6, d.title());
                    ps.setString(7, d.description());
                    ps.setBigDecimal(8, d.price());
                    ps.setString(9, d.currency());
                    ps.setString(10, d.productUrl());
                    ps.setString(11, d.imageUrl());
                    ps.setString(12, d.videoUrl());
                    ps.setArray(13, ps.getConnection().createArrayOf("text", d.platforms().toArray()));
                    ps.setArray(14, ps.getConnection().createArrayOf("text", d.hashtags().toArray()));
                    ps.setObject(15, d.publishAt());
                    ps.setString(16, d.timezone());
                    ps.setString(17, status);
                    ps.setTimestamp(18, at);
                    ps.setTimestamp(19, at);
                });
        boolean[] inserted = new boolean[rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            inserted[i] = counts[0][i] != 0;
        }
        return inserted;
    }

    /** Where the campaign's row with this id came from (for duplicate messages). */
    Optional<String> existingRowLabel(UUID campaignId, String externalId) {
        return jdbc.sql("SELECT source_row FROM content_rows WHERE campaign_id = :c AND external_id = :e")
                .param("c", campaignId).param("e", externalId)
                .query((rs, n) -> rs.getObject(1) == null ? "an earlier API row" : "row " + rs.getInt(1)).optional();
    }

    /** Ids of the campaign's rows in {@code status}, in insertion order, a batch at a time. */
    List<UUID> rowIds(UUID campaignId, String status, long afterSeq, int limit, long[] lastSeq) {
        List<UUID> ids = new ArrayList<>();
        jdbc.sql("SELECT id, seq FROM content_rows WHERE campaign_id = :c AND status = :s AND seq > :after ORDER BY seq LIMIT :limit")
                .param("c", campaignId).param("s", status).param("after", afterSeq).param("limit", limit)
                .query((rs, n) -> {
                    ids.add(rs.getObject(1, UUID.class));
                    lastSeq[0] = rs.getLong(2);
                    return null;
                }).list();
        return ids;
    }

    Optional<StoredRow> row(UUID workspaceId, UUID id) {
        return jdbc.sql("SELECT * FROM content_rows WHERE workspace_id = :ws AND id = :id").param("ws", workspaceId).param("id", id)
                .query((rs, n) -> stored(rs)).optional();
    }

    Optional<StoredRow> rowForPost(UUID workspaceId, UUID postId) {
        return jdbc.sql("SELECT * FROM content_rows WHERE workspace_id = :ws AND post_id = :p").param("ws", workspaceId).param("p", postId)
                .query((rs, n) -> stored(rs)).optional();
    }

    Optional<Views.ContentRow> rowView(UUID workspaceId, UUID campaignId, UUID id) {
        return jdbc.sql("SELECT * FROM content_rows WHERE workspace_id = :ws AND campaign_id = :c AND id = :id")
                .param("ws", workspaceId).param("c", campaignId).param("id", id).query((rs, n) -> view(rs)).optional();
    }

    Page<Views.ContentRow> rows(UUID workspaceId, UUID campaignId, @Nullable String status, @Nullable String cursor, int limit) {
        long after = cursor == null ? 0 : cursors.decodePosition("campaign-rows", cursor);
        long[] last = {0};
        List<Views.ContentRow> rows = jdbc.sql("""
                        SELECT * FROM content_rows WHERE workspace_id = :ws AND campaign_id = :c AND seq > :after
                          AND (CAST(:status AS text) IS NULL OR status = :status)
                        ORDER BY seq LIMIT :limit""")
                .param("ws", workspaceId).param("c", campaignId).param("after", after).param("status", status).param("limit", limit + 1)
                .query((rs, n) -> {
                    if (n < limit) {
                        last[0] = rs.getLong("seq");
                    }
                    return view(rs);
                }).list();
        boolean more = rows.size() > limit;
        return new Page<>(more ? rows.subList(0, limit) : rows, more ? cursors.encode("campaign-rows", last[0]) : null);
    }

    /** Streams every row of a campaign in order to {@code each}, without holding them all. */
    void eachRow(UUID workspaceId, UUID campaignId, java.util.function.Consumer<Views.ContentRow> each) {
        jdbc.sql("SELECT * FROM content_rows WHERE workspace_id = :ws AND campaign_id = :c ORDER BY seq")
                .param("ws", workspaceId).param("c", campaignId)
                .query((org.springframework.jdbc.core.RowCallbackHandler) rs -> each.accept(view(rs)));
    }

    void setStatus(UUID id, String status, @Nullable String error, Instant now) {
        jdbc.sql("UPDATE content_rows SET status = :s, error = :e, updated_at = :now WHERE id = :id")
                .param("id", id).param("s", status).param("e", error).param("now", Timestamp.from(now)).update();
    }

    /** Records the asset the row's video was stored as. */
    void attachAsset(UUID id, UUID assetId) {
        jdbc.sql("UPDATE content_rows SET asset_id = :a WHERE id = :id").param("id", id).param("a", assetId).update();
    }

    /** The workspace's campaigns with a row whose video is one of {@code assets}. */
    Set<UUID> campaignsUsing(UUID workspaceId, Set<UUID> assets) {
        if (assets.isEmpty()) {
            return Set.of();
        }
        return Set.copyOf(jdbc.sql("SELECT DISTINCT campaign_id FROM content_rows WHERE workspace_id = :ws AND asset_id IN (:assets)")
                .param("ws", workspaceId).param("assets", assets).query(UUID.class).list());
    }

    /** Locks the row until the transaction ends; false when it already has its post. */
    boolean claimForPost(UUID id) {
        return jdbc.sql("SELECT post_id IS NULL FROM content_rows WHERE id = :id FOR UPDATE").param("id", id)
                .query(Boolean.class).optional().orElse(false);
    }

    /** Marks the row as publishing its post, unless another delivery of the same event did first. */
    boolean attachPost(UUID id, UUID postId, Instant now) {
        return jdbc.sql("UPDATE content_rows SET status = 'publishing', post_id = :p, error = NULL, updated_at = :now WHERE id = :id AND post_id IS NULL")
                .param("id", id).param("p", postId).param("now", Timestamp.from(now)).update() == 1;
    }

    List<Views.PlatformResult> results(UUID id) {
        return jdbc.sql("SELECT results FROM content_rows WHERE id = :id").param("id", id)
                .query((rs, n) -> json.readValue(rs.getString("results"), RESULTS)).optional().orElse(List.of());
    }

    void settle(UUID id, String status, List<Views.PlatformResult> results, @Nullable String error, Instant now) {
        jdbc.sql("UPDATE content_rows SET status = :s, results = CAST(:r AS jsonb), error = :e, updated_at = :now WHERE id = :id")
                .param("id", id).param("s", status).param("r", json.writeValueAsString(results)).param("e", error)
                .param("now", Timestamp.from(now)).update();
    }

    void insertImport(UUID id, UUID workspaceId, UUID campaignId, String source, @Nullable String key, @Nullable String sha256,
                      int total, int accepted, int rejected, int warnings, Instant now) {
        jdbc.sql("""
                        INSERT INTO intake_imports (id, workspace_id, campaign_id, source, idempotency_key, body_sha256, rows_total,
                          rows_accepted, rows_rejected, warnings, created_at)
                        VALUES (:id, :ws, :c, :src, :key, :sha, :total, :acc, :rej, :warn, :now)""")
                .param("id", id).param("ws", workspaceId).param("c", campaignId).param("src", source).param("key", key).param("sha", sha256)
                .param("total", total).param("acc", accepted).param("rej", rejected).param("warn", warnings)
                .param("now", Timestamp.from(now)).update();
    }

    void insertProblems(UUID importId, int firstSeq, List<Problem> problems) {
        template.batchUpdate("INSERT INTO intake_import_problems (import_id, seq, source_row, line, field, severity, reason) VALUES (?, ?, ?, ?, ?, ?, ?)",
                problems, problems.size(), new org.springframework.jdbc.core.ParameterizedPreparedStatementSetter<>() {
                    int seq = firstSeq;

                    @Override
                    public void setValues(java.sql.PreparedStatement ps, Problem p) throws SQLException {
                        ps.setObject(1, importId);
                        ps.setInt(2, seq++);
                        ps.setInt(3, p.row());
                        ps.setInt(4, p.line());
                        ps.setString(5, p.field());
                        ps.setString(6, p.severity());
                        ps.setString(7, p.reason());
                    }
                });
    }

    /** The import made with this Idempotency-Key: its id, campaign and body hash. */
    record KeyedImport(UUID id, UUID campaignId, String sha256) {
    }

    Optional<KeyedImport> importByKey(UUID workspaceId, String key) {
        return jdbc.sql("SELECT id, campaign_id, body_sha256 FROM intake_imports WHERE workspace_id = :ws AND idempotency_key = :key")
                .param("ws", workspaceId).param("key", key)
                .query((rs, n) -> new KeyedImport(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getString(3))).optional();
    }

    Optional<Views.ImportReport> report(UUID workspaceId, UUID campaignId, UUID importId, @Nullable String cursor, int limit) {
        long after = cursor == null ? -1 : cursors.decodePosition("import-problems", cursor);
        return jdbc.sql("SELECT * FROM intake_imports WHERE workspace_id = :ws AND campaign_id = :c AND id = :id")
                .param("ws", workspaceId).param("c", campaignId).param("id", importId)
                .query((rs, n) -> new Views.ImportReport(rs.getObject("id", UUID.class), rs.getObject("campaign_id", UUID.class),
                        rs.getString("source"), rs.getInt("rows_total"), rs.getInt("rows_accepted"), rs.getInt("rows_rejected"),
                        rs.getInt("warnings"), rs.getTimestamp("created_at").toInstant(), List.of(), null))
                .optional()
                .map(r -> {
                    long[] last = {0};
                    List<Problem> problems = jdbc.sql("""
                                    SELECT * FROM intake_import_problems WHERE import_id = :id AND seq > :after ORDER BY seq LIMIT :limit""")
                            .param("id", importId).param("after", after).param("limit", limit + 1)
                            .query((rs, n) -> {
                                if (n < limit) {
                                    last[0] = rs.getLong("seq");
                                }
                                return new Problem(rs.getInt("source_row"), rs.getInt("line"), rs.getString("field"), rs.getString("severity"),
                                        rs.getString("reason"));
                            }).list();
                    boolean more = problems.size() > limit;
                    return new Views.ImportReport(r.id(), r.campaignId(), r.source(), r.rowsTotal(), r.rowsAccepted(), r.rowsRejected(),
                            r.warnings(), r.createdAt(), more ? problems.subList(0, limit) : problems, more ? cursors.encode("import-problems", last[0]) : null);
                });
    }

    /** Deletes webhook nonces whose window has passed. */
    int sweepNonces(Instant now) {
        return jdbc.sql("DELETE FROM inbound_webhook_nonces WHERE expires_at <= :now").param("now", Timestamp.from(now)).update();
    }

    /** A campaign without its row counts, which {@link #counts} adds. */
    private Views.Campaign campaign(ResultSet rs) throws SQLException {
        String sheetId = rs.getString("sheet_id");
        Timestamp started = rs.getTimestamp("started_at");
        return new Views.Campaign(rs.getObject("id", UUID.class), rs.getString("name"), rs.getString("status"),
                sheetId == null ? null : new Views.Sheet(sheetId, rs.getString("sheet_range")), Map.of(),
                rs.getTimestamp("created_at").toInstant(), started == null ? null : started.toInstant());
    }

    private RowData data(ResultSet rs) throws SQLException {
        Timestamp publishAt = rs.getTimestamp("publish_at");
        return new RowData(rs.getString("external_id"), rs.getString("title"), rs.getString("description"), rs.getBigDecimal("price"),
                rs.getString("currency"), rs.getString("product_url"), rs.getString("image_url"), rs.getString("video_url"),
                strings(rs.getArray("platforms")), strings(rs.getArray("hashtags")),
                publishAt == null ? null : rs.getObject("publish_at", LocalDateTime.class), rs.getString("timezone"));
    }

    private StoredRow stored(ResultSet rs) throws SQLException {
        return new StoredRow(rs.getObject("id", UUID.class), rs.getObject("workspace_id", UUID.class), rs.getObject("campaign_id", UUID.class),
                rs.getString("status"), rs.getObject("post_id", UUID.class), data(rs));
    }

    private Views.ContentRow view(ResultSet rs) throws SQLException {
        RowData d = data(rs);
        Object sourceRow = rs.getObject("source_row");
        BigDecimal price = d.price();
        return new Views.ContentRow(rs.getObject("id", UUID.class), rs.getObject("campaign_id", UUID.class),
                sourceRow == null ? null : ((Number) sourceRow).intValue(), d.externalId(), d.title(), d.description(), price, d.currency(),
                d.productUrl(), d.imageUrl(), d.videoUrl(), d.platforms(), d.hashtags(), d.publishAt(), d.timezone(), rs.getString("status"),
                rs.getObject("post_id", UUID.class), json.readValue(rs.getString("results"), RESULTS), rs.getString("error"),
                rs.getTimestamp("created_at").toInstant(), rs.getTimestamp("updated_at").toInstant());
    }

    private static List<String> strings(@Nullable Array array) throws SQLException {
        return array == null ? List.of() : Arrays.asList((String[]) array.getArray());
    }
}
