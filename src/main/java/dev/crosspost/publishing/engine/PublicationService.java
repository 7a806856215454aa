package dev.crosspost.publishing.engine;

import dev.crosspost.system.Cursors;
import dev.crosspost.system.Page;
import dev.crosspost.publishing.PlatformsSettings;
import dev.crosspost.publishing.Priority;
import dev.crosspost.publishing.PublicationState;
import dev.crosspost.publishing.PublicationView;
import dev.crosspost.publishing.Publications;
import dev.crosspost.system.CrosspostException;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Publication details, state counts, and the dead-letter queue's replay and discard. */
@Service
class PublicationService implements Publications {

    private final JdbcClient jdbc;
    private final PublicationStore store;
    private final PublicationJobs jobs;
    private final PostSettlement settlement;
    private final Breakers breakers;
    private final QuotaGate quotas;
    private final PlatformsSettings settings;
    private final Clock clock;
    private final Cursors cursors;
    private final PlatformAdapters adapters;

    PublicationService(JdbcClient jdbc, PublicationStore store, PublicationJobs jobs, PostSettlement settlement, Breakers breakers,
                       QuotaGate quotas, PlatformsSettings settings, Clock clock, Cursors cursors, PlatformAdapters adapters) {
        this.cursors = cursors;
        this.adapters = adapters;
        this.jdbc = jdbc;
        this.store = store;
        this.jobs = jobs;
        this.settlement = settlement;
        this.breakers = breakers;
        this.quotas = quotas;
        this.settings = settings;
        this.clock = clock;
    }

    @Override
    public Optional<Detail> find(UUID workspaceId, UUID publicationId) {
        return store.find(workspaceId, publicationId).map(p -> new Detail(Views.of(p), history(p.id())));
    }

    @Override
    public Map<String, Long> stateCounts(UUID workspaceId) {
        Map<String, Long> counts = new LinkedHashMap<>();
        Arrays.stream(PublicationState.values()).forEach(s -> counts.put(s.wireName(), 0L));
        jdbc.sql("SELECT state, count(*) FROM publications WHERE workspace_id = :ws GROUP BY state")
                .param("ws", workspaceId)
                .query(rs -> {
                    counts.put(PublicationState.valueOf(rs.getString(1)).wireName(), rs.getLong(2));
                });
        return counts;
    }

    @Override
    public Page<PublicationView> deadLetters(UUID workspaceId, @Nullable String platform, @Nullable String reason, @Nullable String cursor,
                                             int limit) {
        Cursors.At after = cursor == null ? null : cursors.decodeAt("dead-letters", cursor);
        String like = reason == null || reason.isBlank() ? null
                : "%" + reason.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
        List<UUID> ids = jdbc.sql("""
                        SELECT id FROM publications WHERE workspace_id = :ws AND state = 'DEAD'
                          AND (CAST(:platform AS text) IS NULL OR platform = :platform)
                          AND (CAST(:reason AS text) IS NULL OR dead_reason ILIKE :reason)
                          AND (CAST(:at AS timestamptz) IS NULL OR (updated_at, id) < (CAST(:at AS timestamptz), CAST(:id AS uuid)))
                        ORDER BY updated_at DESC, id DESC LIMIT :limit""")
                .param("ws", workspaceId).param("platform", platform).param("reason", like)
                .param("at", after == null ? null : java.sql.Timestamp.from(after.at()))
                .param("id", after == null ? null : after.id())
                .param("limit", limit + 1)
                .query(UUID.class).list();
        boolean more = ids.size() > limit;
        List<PublicationView> views = store.findAll(more ? ids.subList(0, limit) : ids).stream().map(Views::of).toList();
        return new Page<>(views, more ? cursors.encode("dead-letters", views.getLast().updatedAt(), views.getLast().id()) : null);
    }

    @Override
    public List<PlatformStatus> platformStatus(UUID workspaceId) {
        Map<String, String> states = breakers.states();
        Map<String, List<String>> accounts = new LinkedHashMap<>();
        // the accounts this workspace published with; capped so a huge workspace cannot make this page slow
        jdbc.sql("SELECT DISTINCT platform, account_id FROM publications WHERE workspace_id = :ws ORDER BY 1, 2 LIMIT 500")
                .param("ws", workspaceId)
                .query(rs -> {
                    accounts.computeIfAbsent(rs.getString(1), k -> new java.util.ArrayList<>()).add(rs.getString(2));
                });
        return settings.platforms().entrySet().stream().sorted(Map.Entry.comparingByKey()).map(e -> {
            String platform = e.getKey();
            PlatformsSettings.Platform p = e.getValue();
            List<QuotaUse> uses = new java.util.ArrayList<>();
            if (p.appQuota() != null) {
                uses.add(use("app", QuotaGate.appKey(platform), p.appQuota()));
            }
            accounts.getOrDefault(platform, List.of())
                    .forEach(account -> uses.add(use(account, QuotaGate.accountKey(platform, account), p.quota())));
            return new PlatformStatus(platform, states.getOrDefault(platform, "closed"), List.copyOf(uses));
        }).toList();
    }

    private QuotaUse use(String scope, String key, PlatformsSettings.Quota quota) {
        return new QuotaUse(scope, quota.limit(), quota.period(), quotas.available(key, quota).orElse(quota.limit()));
    }

    @Override
    @Transactional
    public PublicationView replay(UUID workspaceId, UUID publicationId) {
        Publication p = store.find(workspaceId, publicationId).orElseThrow(() -> CrosspostException.notFound("publication", publicationId));
        if (p.state() != PublicationState.DEAD && p.state() != PublicationState.FAILED) {
            throw new CrosspostException(CrosspostException.Kind.CONFLICT, "not_replayable",
                    "publication " + publicationId + " is " + p.state().wireName() + "; only dead or failed publications can be replayed");
        }
        // the same content would meet the same refusal before any call: say so now rather than fail again
        adapters.check(p).ifPresent(refusal -> {
            throw new CrosspostException(CrosspostException.Kind.UNPROCESSABLE, "still_refused", "publication " + publicationId
                    + " would fail again: " + refusal.reason() + " (" + refusal.code() + "); create a post whose text and media "
                    + p.platform() + " accepts");
        });
        Instant now = clock.instant();
        Publication saved = store.save(p, p.moveTo(PublicationState.QUEUED).replayed(),
                new PublicationStore.HistoryEntry("replayed", null, null, "replayed from the dead-letter queue"), now);
        settlement.reopen(p.postId());
        jobs.schedule(saved.id(), now, Priority.NOW);
        return Views.of(saved);
    }

    @Override
    @Transactional
    public List<PublicationView> replayAll(UUID workspaceId, List<UUID> publicationIds) {
        // one transaction: a refusal rolls back the replays before it
        return publicationIds.stream().distinct().map(id -> replay(workspaceId, id)).toList();
    }

    @Override
    @Transactional
    public int resumeAccount(UUID workspaceId, String platform, String accountId) {
        List<UUID> waiting = jdbc.sql("""
                        SELECT id FROM publications WHERE workspace_id = :ws AND platform = :platform AND account_id = :account
                          AND state = 'NEEDS_RECONNECT'""")
                .param("ws", workspaceId).param("platform", platform).param("account", accountId).query(UUID.class).list();
        Instant now = clock.instant();
        for (UUID id : waiting) {
            Publication p = store.find(id).orElseThrow();
            store.save(p, p.moveTo(PublicationState.QUEUED).withError(null, null, null),
                    new PublicationStore.HistoryEntry("reconnected", null, null, "the " + platform + " account was reconnected"), now);
            jobs.schedule(id, now, Priority.NOW);
        }
        return waiting.size();
    }

    @Override
    @Transactional
    public PublicationView discard(UUID workspaceId, UUID publicationId) {
        Publication p = store.find(workspaceId, publicationId).orElseThrow(() -> CrosspostException.notFound("publication", publicationId));
        if (p.state() != PublicationState.DEAD) {
            throw new CrosspostException(CrosspostException.Kind.CONFLICT, "not_a_dead_letter",
                    "publication " + publicationId + " is " + p.state().wireName() + ", not in the dead-letter queue");
        }
        Instant now = clock.instant();
        Publication saved = store.save(p, p.moveTo(PublicationState.CANCELLED),
                new PublicationStore.HistoryEntry("discarded", null, null, "discarded from the dead-letter queue"), now);
        return Views.of(saved);
    }

    private List<HistoryEntry> history(UUID publicationId) {
        return jdbc.sql("SELECT * FROM publication_history WHERE publication_id = :id ORDER BY id")
                .param("id", publicationId)
                .query((rs, n) -> new HistoryEntry(rs.getLong("id"), PublicationStore.instant(rs, "at"),
                        rs.getString("from_state") == null ? null : PublicationState.valueOf(rs.getString("from_state")).wireName(),
                        PublicationState.valueOf(rs.getString("to_state")).wireName(), rs.getString("step"), rs.getString("outcome"),
                        rs.getString("error_class"), (Integer) rs.getObject("response_code"), rs.getString("reason")))
                .list();
    }
}
