package dev.crosspost.publishing.engine;

import dev.crosspost.publishing.LocalSchedule;
import dev.crosspost.publishing.NewPost;
import dev.crosspost.system.Cursors;
import dev.crosspost.system.Page;
import dev.crosspost.publishing.PlatformsSettings;
import dev.crosspost.publishing.PostView;
import dev.crosspost.publishing.Priority;
import dev.crosspost.publishing.adapter.MediaRef;
import dev.crosspost.publishing.Posts;
import dev.crosspost.publishing.PublicationState;
import dev.crosspost.publishing.PublicationView;
import dev.crosspost.system.CrosspostException;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.json.JsonMapper;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Creates posts with their publications and jobs in one transaction, and reads them back with outcomes. */
@Service
class PostService implements Posts {

    private final JdbcClient jdbc;
    private final PublicationStore store;
    private final PublicationJobs jobs;
    private final PlatformsSettings settings;
    private final JsonMapper json;
    private final Clock clock;
    private final PlatformAdapters adapters;
    private final Cursors cursors;

    PostService(JdbcClient jdbc, PublicationStore store, PublicationJobs jobs, PlatformAdapters adapters, PlatformsSettings settings,
                JsonMapper json, Clock clock, Cursors cursors) {
        this.cursors = cursors;
        this.jdbc = jdbc;
        this.adapters = adapters;
        this.store = store;
        this.jobs = jobs;
        this.settings = settings;
        this.json = json;
        this.clock = clock;
    }

    @Override
    @Transactional
    public PostView create(NewPost post) {
        for (NewPost.Target target : post.targets()) {
            if (!settings.platforms().containsKey(target.platform())) {
                throw new CrosspostException(CrosspostException.Kind.INVALID, "unknown_platform",
                        "unknown platform '" + target.platform() + "'; known: " + String.join(", ", settings.platforms().keySet()));
            }
        }
        Instant now = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MICROS); // as stored, so the answer matches a later read
        UUID postId = UUID.randomUUID();
        LocalSchedule schedule = post.schedule();
        Instant due = schedule == null || schedule.instant().isBefore(now) ? now : schedule.instant();
        List<NewPost.Target> targets = post.targets().stream().distinct().toList();
        jdbc.sql("""
                        INSERT INTO posts (id, workspace_id, campaign_id, text, media, publish_at, local_time, zone, priority, created_at,
                          open_publications)
                        VALUES (:id, :ws, :campaign, :text, CAST(:media AS jsonb), :at, :local, :zone, :priority, :now, :open)""")
                .param("id", postId).param("ws", post.workspaceId()).param("campaign", post.campaignId())
                .param("text", post.text()).param("media", json.writeValueAsString(post.media()))
                .param("at", schedule == null ? null : java.sql.Timestamp.from(schedule.instant()))
                .param("local", schedule == null ? null : schedule.localTime().toString())
                .param("zone", schedule == null ? null : schedule.zone().getId())
                .param("priority", post.priority().name()).param("now", java.sql.Timestamp.from(now))
                .param("open", targets.size())
                .update();
        boolean later = due.isAfter(now);
        Map<UUID, NewPost.Target> overrides = new LinkedHashMap<>();
        List<Publication> publications = new ArrayList<>();
        for (NewPost.Target target : targets) {
            UUID id = UUID.randomUUID();
            publications.add(new Publication(id, postId, post.workspaceId(), target.platform(), target.accountId(),
                    "cp-" + id, later ? PublicationState.SCHEDULED : PublicationState.QUEUED, 0, null, Map.of(), null, null,
                    0, 0, 0, later ? due : null, later ? "scheduled for " + due : null, null, null, null, null, null, null, now, now, 0,
                    org.slf4j.MDC.get(dev.crosspost.system.web.RequestIds.MDC_KEY)));
            if (target.text() != null || target.media() != null) {
                overrides.put(id, target);
            }
            adapters.remember(id, post.textFor(target), post.mediaFor(target));
        }
        store.insertAll(publications);
        overrides.forEach((id, target) -> jdbc.sql("UPDATE publications SET text = :text, media = CAST(:media AS jsonb) WHERE id = :id")
                .param("text", target.text()).param("media", target.media() == null ? null : json.writeValueAsString(target.media()))
                .param("id", id).update());
        jobs.scheduleNew(publications.stream().map(Publication::id).toList(), due, post.priority());
        // what was just written, without reading it back
        return view(new PostRow(postId, post.campaignId(), post.text(), schedule == null ? null : schedule.instant(),
                schedule == null ? null : schedule.localTime().toString(), schedule == null ? null : schedule.zone().getId(), now, null),
                publications.stream().sorted(java.util.Comparator.comparing(Publication::platform).thenComparing(Publication::accountId)).toList());
    }

    @Override
    public List<Refusal> check(NewPost post) {
        List<Refusal> refusals = new ArrayList<>();
        for (NewPost.Target target : post.targets().stream().distinct().toList()) {
            adapters.check(target.platform(), target.accountId(), post.textFor(target), post.mediaFor(target))
                    .ifPresent(r -> refusals.add(new Refusal(target.platform(), target.accountId(), r.code(), r.reason())));
        }
        return refusals;
    }

    @Override
    public Optional<PostView> find(UUID workspaceId, UUID postId) {
        return jdbc.sql("SELECT * FROM posts WHERE id = :id AND workspace_id = :ws")
                .param("id", postId).param("ws", workspaceId)
                .query(this::row).optional()
                .map(r -> view(r, store.forPost(postId)));
    }

    @Override
    public PostMedia media(UUID workspaceId, UUID postId) {
        List<MediaRef> post = jdbc.sql("SELECT media::text FROM posts WHERE id = :id AND workspace_id = :ws")
                .param("id", postId).param("ws", workspaceId).query(String.class).optional()
                .map(this::refs).orElse(List.of());
        Map<String, List<MediaRef>> byPlatform = new LinkedHashMap<>();
        jdbc.sql("""
                        SELECT u.platform, u.media::text AS media FROM publications u JOIN posts p ON p.id = u.post_id
                        WHERE p.id = :id AND p.workspace_id = :ws AND u.media IS NOT NULL ORDER BY u.platform""")
                .param("id", postId).param("ws", workspaceId)
                .query((rs, n) -> Map.entry(rs.getString("platform"), refs(rs.getString("media"))))
                .list().forEach(e -> byPlatform.merge(e.getKey(), e.getValue(), (a, b) -> a));
        return new PostMedia(post, byPlatform);
    }

    private List<MediaRef> refs(String media) {
        return List.of(json.readValue(media, MediaRef[].class));
    }

    /**
     * One round trip: the page of posts (keyset on created_at, id) joined with just the columns of their publications'
     * views, the post's columns repeated on each of its rows. The limit is written into the text (it is a checked int)
     * and the first page has no cursor condition, so PostgreSQL settles on one generic plan per statement instead of
     * planning every call; columns are read by position.
     */
    @Override
    public Page<PostView> list(UUID workspaceId, @Nullable String cursor, int limit) {
        Cursors.At after = cursor == null ? null : cursors.decodeAt("posts", cursor);
        String sql = """
                WITH page AS (
                  SELECT id, campaign_id, text, publish_at, local_time, zone, created_at, settled_at FROM posts
                  WHERE workspace_id = :ws %s ORDER BY created_at DESC, id DESC LIMIT %d)
                SELECT page.id, page.campaign_id, page.text, page.publish_at, page.local_time, page.zone, page.created_at, page.settled_at,
                       u.id, u.platform, u.account_id, u.state, u.step_name, u.next_attempt_at, u.waiting_reason, u.platform_post_id,
                       u.platform_url, u.error_class, u.error_code, u.error_message, u.attempts, u.dead_reason, u.idempotency_key,
                       u.updated_at
                FROM page LEFT JOIN publications u ON u.post_id = page.id
                ORDER BY page.created_at DESC, page.id DESC, u.platform, u.account_id"""
                .formatted(after == null ? "" : "AND (created_at, id) < (:at, :id)", Math.addExact(limit, 1));
        var statement = jdbc.sql(sql).param("ws", workspaceId);
        if (after != null) {
            statement = statement.param("at", java.sql.Timestamp.from(after.at())).param("id", after.id());
        }
        Map<UUID, PostRow> posts = new LinkedHashMap<>();
        Map<UUID, List<Listed>> pubs = new HashMap<>();
        statement.query(rs -> {
            UUID postId = rs.getObject(1, UUID.class);
            if (!posts.containsKey(postId)) {
                posts.put(postId, new PostRow(postId, rs.getObject(2, UUID.class), rs.getString(3), PublicationStore.instant(rs, 4), rs.getString(5),
                        rs.getString(6), PublicationStore.instant(rs, 7), PublicationStore.instant(rs, 8)));
            }
            UUID id = rs.getObject(9, UUID.class);
            if (id != null) {
                pubs.computeIfAbsent(postId, k -> new ArrayList<>()).add(listed(rs, id, postId));
            }
        });
        return Page.of(List.copyOf(posts.values()), limit, r -> cursors.encode("posts", r.createdAt(), r.id()),
                page -> page.stream().map(r -> {
                    List<Listed> listed = pubs.getOrDefault(r.id(), List.of());
                    return view(r, listed.stream().map(Listed::state).toList(), listed.stream().map(Listed::view).toList());
                }).toList());
    }

    /** A publication row of the list query as its view (the same view {@link Views#of} makes from a whole row). */
    private record Listed(PublicationState state, PublicationView view) {
    }

    private static Listed listed(ResultSet rs, UUID id, UUID postId) throws SQLException {
        PublicationState state = PublicationState.valueOf(rs.getString(12));
        return new Listed(state, new PublicationView(id, postId, rs.getString(10), rs.getString(11), state.wireName(), rs.getString(13),
                PublicationStore.instant(rs, 14), rs.getString(15), rs.getString(16), rs.getString(17),
                Views.error(rs.getString(18), rs.getString(19), rs.getString(20)), rs.getInt(21), rs.getString(22),
                rs.getString(23), java.util.Objects.requireNonNull(PublicationStore.instant(rs, 24))));
    }

    @Override
    public List<PostView> scheduledBetween(UUID workspaceId, Instant from, Instant to, int limit) {
        List<PostRow> rows = jdbc.sql("""
                        SELECT * FROM posts WHERE workspace_id = :ws AND publish_at >= :from AND publish_at < :to
                        ORDER BY publish_at, id LIMIT :limit""")
                .param("ws", workspaceId).param("from", java.sql.Timestamp.from(from)).param("to", java.sql.Timestamp.from(to))
                .param("limit", limit)
                .query(this::row).list();
        Map<UUID, List<Publication>> pubs = new LinkedHashMap<>();
        store.forPosts(rows.stream().map(PostRow::id).toList())
                .forEach(p -> pubs.computeIfAbsent(p.postId(), k -> new ArrayList<>()).add(p));
        return rows.stream().map(r -> view(r, pubs.getOrDefault(r.id(), List.of()))).toList();
    }

    @Override
    @Transactional
    public PostView reschedule(UUID workspaceId, UUID postId, LocalSchedule schedule) {
        Instant now = clock.instant();
        if (!schedule.instant().isAfter(now)) {
            throw CrosspostException.invalid("publishAt", "must be in the future");
        }
        // lock the post so two reschedules of it queue up instead of interleaving
        jdbc.sql("SELECT id FROM posts WHERE id = :id AND workspace_id = :ws FOR UPDATE")
                .param("id", postId).param("ws", workspaceId).query(UUID.class).optional()
                .orElseThrow(() -> CrosspostException.notFound("post", postId));
        List<Publication> scheduled = store.forPost(postId).stream().filter(p -> p.state() == PublicationState.SCHEDULED).toList();
        if (scheduled.isEmpty()) {
            throw new CrosspostException(CrosspostException.Kind.CONFLICT, "not_scheduled",
                    "post " + postId + " has no scheduled publication left; only scheduled publications can be moved");
        }
        jdbc.sql("UPDATE posts SET publish_at = :at, local_time = :local, zone = :zone WHERE id = :id")
                .param("at", java.sql.Timestamp.from(schedule.instant())).param("local", schedule.localTime().toString())
                .param("zone", schedule.zone().getId()).param("id", postId).update();
        for (Publication p : scheduled) {
            try {
                store.save(p, p.moveTo(PublicationState.SCHEDULED).waitUntil(schedule.instant(), "scheduled for " + schedule.instant()),
                        new PublicationStore.HistoryEntry("rescheduled", null, null, "moved from " + p.nextAttemptAt() + " to " + schedule.instant()),
                        now);
                jobs.schedule(p.id(), schedule.instant(), Priority.SCHEDULED);
            } catch (PublicationStore.ConcurrentChangeException | com.github.kagkarlsson.scheduler.exceptions.TaskInstanceCurrentlyExecutingException e) {
                // it became due and started meanwhile: nothing moves (the transaction rolls back)
                throw new CrosspostException(CrosspostException.Kind.CONFLICT, "not_scheduled",
                        "post " + postId + " started publishing while being moved; reload and try again");
            }
        }
        return find(workspaceId, postId).orElseThrow();
    }

    private record PostRow(UUID id, @Nullable UUID campaignId, String text, @Nullable Instant publishAt, @Nullable String localTime,
                           @Nullable String zone, Instant createdAt, @Nullable Instant settledAt) {
    }

    private PostRow row(ResultSet rs, int n) throws SQLException {
        return new PostRow(rs.getObject("id", UUID.class), rs.getObject("campaign_id", UUID.class), rs.getString("text"),
                PublicationStore.instant(rs, "publish_at"), rs.getString("local_time"), rs.getString("zone"),
                PublicationStore.instant(rs, "created_at"), PublicationStore.instant(rs, "settled_at"));
    }

    private static PostView view(PostRow r, List<Publication> publications) {
        return view(r, publications.stream().map(Publication::state).toList(), publications.stream().map(Views::of).toList());
    }

    private static PostView view(PostRow r, List<PublicationState> states, List<PublicationView> views) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        states.forEach(s -> counts.merge(s.wireName(), 1, Integer::sum));
        boolean settled = !states.isEmpty() && states.stream().allMatch(PublicationState::terminal);
        long published = states.stream().filter(s -> s == PublicationState.PUBLISHED).count();
        String outcome = !settled ? "in_progress"
                : published == states.size() ? "published"
                : published == 0 ? "failed" : "partially_published";
        return new PostView(r.id(), r.campaignId(), r.text(), r.publishAt(), r.localTime(), r.zone(), r.createdAt(), r.settledAt(),
                new PostView.Summary(counts, settled, outcome), views);
    }
}
