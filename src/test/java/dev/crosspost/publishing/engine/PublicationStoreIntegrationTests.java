package dev.crosspost.publishing.engine;

import dev.crosspost.publishing.PublicationState;
import dev.crosspost.support.CrosspostIntegrationTest;
import dev.crosspost.system.Workspaces;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.transaction.support.TransactionTemplate;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The guarded saves: an ending's one statement (history row, the post's open count), and which commits wait for the flush. */
@CrosspostIntegrationTest
@ActiveProfiles("engine")
class PublicationStoreIntegrationTests {

    @Autowired PublicationStore store;
    @Autowired JdbcClient jdbc;
    @Autowired TransactionTemplate tx;

    private final Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);

    @Test
    void endingsCountOffTheirPostAndAStaleOneChangesNothing() {
        UUID post = post(2);
        Publication a = running(publication(post, "alpha"));
        Publication b = running(publication(post, "beta"));

        PublicationStore.Ended first = tx.execute(s -> store.saveEnding(a, a.moveTo(PublicationState.PUBLISHED).published("a-1", null),
                PublicationStore.HistoryEntry.of("done"), now));
        assertThat(first.open()).isEqualTo(1);
        assertThat(first.publication().version()).isEqualTo(a.version() + 1);

        // the same ending again from the old snapshot: the version guard refuses it, and the post keeps its count
        assertThatThrownBy(() -> tx.execute(s -> store.saveEnding(a, a.moveTo(PublicationState.PUBLISHED).published("a-1", null),
                PublicationStore.HistoryEntry.of("done"), now))).isInstanceOf(PublicationStore.ConcurrentChangeException.class);
        assertThat(open(post)).isEqualTo(1);
        assertThat(history(a.id())).containsExactly("created", "moved", "done");

        PublicationStore.Ended last = tx.execute(s -> store.saveEnding(b, b.moveTo(PublicationState.FAILED),
                new PublicationStore.HistoryEntry("rejected", "PERMANENT", 400, "text too long"), now));
        assertThat(last.open()).isZero();
        assertThat(open(post)).isZero();
        assertThat(jdbc.sql("SELECT settled_at FROM posts WHERE id = :id").param("id", post).query(Timestamp.class).single())
                .isEqualTo(Timestamp.from(now));
        assertThat(history(b.id())).containsExactly("created", "moved", "rejected");
    }

    @Test
    void onlyTheEndingsTransactionSkipsTheWalFlushWait() {
        UUID post = post(1);
        Publication p = running(publication(post, "alpha"));
        assertThat(synchronousCommitAfter(() -> store.saveEnding(p, p.moveTo(PublicationState.PUBLISHED).published("p-1", null),
                PublicationStore.HistoryEntry.of("done"), now))).isEqualTo("off");
        assertThat(synchronousCommitAfter(() -> { })).isEqualTo("on");
    }

    @Test
    void aRedoableSaveSkipsTheWalFlushWaitAndADurableOneWaits() {
        Publication p = publication(post(1), "alpha");
        assertThat(synchronousCommitAfter(() -> store.save(p, p.moveTo(PublicationState.RUNNING), null, now,
                PublicationStore.Commit.REDOABLE))).isEqualTo("off");
        Publication running = store.find(p.id()).orElseThrow();
        assertThat(synchronousCommitAfter(() -> store.save(running, running.sending("publish", now), null, now,
                PublicationStore.Commit.DURABLE))).isEqualTo("on");
        assertThat(store.find(p.id()).orElseThrow().sentStep()).isEqualTo("publish");
    }

    @Test
    void anEngineStepWaitsForTheFlushOnlyWhenItMarksAnEffectAsBeingSent() {
        Publication queued = new Publication(UUID.randomUUID(), UUID.randomUUID(), Workspaces.SANDBOX, "alpha", "default", "cp-1",
                PublicationState.QUEUED, 0, null, Map.of(), null, null, 0, 0, 0, null, null, null, null, null, null, null, null, now, now, 0, null);
        Publication running = queued.moveTo(PublicationState.RUNNING);
        Publication sending = running.atStep(0, "upload").sending("upload", now);

        assertThat(PublicationStore.Commit.ofEngineStep(queued, sending)).isEqualTo(PublicationStore.Commit.DURABLE);
        assertThat(PublicationStore.Commit.ofEngineStep(queued, running)).isEqualTo(PublicationStore.Commit.REDOABLE);
        // the result settles the mark; the next effect's mark, even at the same instant, is new
        Publication uploaded = sending.withOutputs(Map.of("upload_id", "u-1")).sendSettled().atStep(1, "publish");
        assertThat(PublicationStore.Commit.ofEngineStep(sending, uploaded)).isEqualTo(PublicationStore.Commit.REDOABLE);
        assertThat(PublicationStore.Commit.ofEngineStep(uploaded, uploaded.sending("publish", now))).isEqualTo(PublicationStore.Commit.DURABLE);
        assertThat(PublicationStore.Commit.ofEngineStep(sending, sending.sending("publish", now))).isEqualTo(PublicationStore.Commit.DURABLE);
        // an existing mark carried into a new state (unknown, reconciling) was flushed when it was made
        assertThat(PublicationStore.Commit.ofEngineStep(sending, sending.moveTo(PublicationState.OUTCOME_UNKNOWN)))
                .isEqualTo(PublicationStore.Commit.REDOABLE);
    }

    /** The transaction's synchronous_commit right after {@code work}, inside the same transaction. */
    private String synchronousCommitAfter(Runnable work) {
        return tx.execute(s -> {
            work.run();
            return jdbc.sql("SHOW synchronous_commit").query(String.class).single();
        });
    }

    private UUID post(int open) {
        UUID id = UUID.randomUUID();
        jdbc.sql("""
                        INSERT INTO posts (id, workspace_id, text, priority, created_at, open_publications)
                        VALUES (:id, :ws, 'store test', 'NOW', :now, :open)""")
                .param("id", id).param("ws", Workspaces.SANDBOX).param("now", Timestamp.from(now)).param("open", open).update();
        return id;
    }

    private Publication publication(UUID post, String platform) {
        UUID id = UUID.randomUUID();
        Publication p = new Publication(id, post, Workspaces.SANDBOX, platform, "default", "cp-" + id, PublicationState.QUEUED, 0, null,
                Map.of(), null, null, 0, 0, 0, null, null, null, null, null, null, null, null, now, now, 0, null);
        store.insertAll(List.of(p));
        return p;
    }

    private Publication running(Publication queued) {
        return store.save(queued, queued.moveTo(PublicationState.RUNNING), null, now);
    }

    private int open(UUID post) {
        return jdbc.sql("SELECT open_publications FROM posts WHERE id = :id").param("id", post).query(Integer.class).single();
    }

    private List<String> history(UUID publication) {
        return jdbc.sql("SELECT outcome FROM publication_history WHERE publication_id = :id ORDER BY id")
                .param("id", publication).query(String.class).list();
    }
}
