package dev.crosspost.intake.internal;

import dev.crosspost.publishing.PostSettled;
import dev.crosspost.publishing.PostView;
import dev.crosspost.publishing.Posts;
import dev.crosspost.publishing.PublicationView;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Writes each row's outcome back when its post settles: per platform the state, the platform's post id and URL
 * or its error; the row is {@code published} when every platform of the row landed, {@code failed} when none did,
 * else {@code partial}. Rows of a sheet-backed campaign then get their sheet row updated.
 */
@Component
class Outcomes {

    private final IntakeStore store;
    private final Posts posts;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    Outcomes(IntakeStore store, Posts posts, ApplicationEventPublisher events, Clock clock) {
        this.store = store;
        this.posts = posts;
        this.events = events;
        this.clock = clock;
    }

    /** A row's outcome was stored; sheet write-back listens. */
    public record RowSettled(java.util.UUID workspaceId, java.util.UUID campaignId, java.util.UUID rowId) {
    }

    @ApplicationModuleListener
    void on(PostSettled settled) {
        IntakeStore.StoredRow row = store.rowForPost(settled.workspaceId(), settled.postId()).orElse(null);
        if (row == null) {
            return;
        }
        PostView post = posts.find(settled.workspaceId(), settled.postId()).orElseThrow();
        List<Views.PlatformResult> results = new ArrayList<>();
        Set<String> landed = new java.util.HashSet<>();
        for (PublicationView p : post.publications()) {
            String error = p.error() == null || p.state().equals("published") ? null
                    : p.error().code() == null ? p.error().message() : p.error().code() + ": " + p.error().message();
            if (error == null && p.deadReason() != null && !p.state().equals("published")) {
                error = p.deadReason();
            }
            results.add(new Views.PlatformResult(p.platform(), p.accountId(), p.state(), p.platformPostId(), p.platformUrl(), error));
            if (p.state().equals("published")) {
                landed.add(p.platform());
            }
        }
        // platforms refused at hand-off (limits, no account) keep their reason
        store.results(row.id()).stream().filter(r -> r.accountId() == null && !landed.contains(r.platform())).forEach(results::add);
        List<String> missing = row.data().platforms().stream().filter(pl -> !landed.contains(pl)).toList();
        String status = missing.isEmpty() ? "published" : landed.isEmpty() ? "failed" : "partial";
        String error = missing.isEmpty() ? null : "not published to " + String.join(", ", missing);
        store.settle(row.id(), status, results, error, clock.instant());
        events.publishEvent(new RowSettled(row.workspaceId(), row.campaignId(), row.id()));
    }
}
