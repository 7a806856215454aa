package dev.crosspost.publishing;

import dev.crosspost.system.CrosspostException;
import dev.crosspost.publishing.ScriptedPlatform.Behaviour;
import dev.crosspost.publishing.adapter.MediaRef;
import dev.crosspost.publishing.adapter.ReconcileResult;
import dev.crosspost.support.CrosspostIntegrationTest;
import dev.crosspost.system.Workspaces;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The engine end to end on real PostgreSQL and db-scheduler, against scripted platforms. */
@CrosspostIntegrationTest
@ActiveProfiles("engine")
class PublishingEngineIntegrationTests {

    @TestConfiguration
    static class Platforms {
        @Bean
        ScriptedPlatform alpha() {
            return new ScriptedPlatform("alpha");
        }

        @Bean
        ScriptedPlatform beta() {
            return new ScriptedPlatform("beta");
        }

        @Bean
        ScriptedPlatform gamma() {
            return new ScriptedPlatform("gamma");
        }

        @Bean
        ScriptedPlatform delta() {
            return new ScriptedPlatform("delta");
        }

        @Bean
        SettledPosts settledPosts() {
            return new SettledPosts();
        }
    }

    /** Every committed {@link PostSettled}, in order. */
    static class SettledPosts {
        final List<PostSettled> seen = new java.util.concurrent.CopyOnWriteArrayList<>();

        @org.springframework.transaction.event.TransactionalEventListener
        void on(PostSettled event) {
            seen.add(event);
        }

        List<PostSettled> of(UUID post) {
            return seen.stream().filter(e -> e.postId().equals(post)).toList();
        }
    }

    @Autowired Posts posts;
    @Autowired Publications publications;
    @Autowired ScriptedPlatform alpha;
    @Autowired ScriptedPlatform beta;
    @Autowired ScriptedPlatform gamma;
    @Autowired ScriptedPlatform delta;
    @Autowired JdbcClient jdbc;
    @Autowired TransactionTemplate tx;

    private static final UUID WS = Workspaces.SANDBOX;

    @Autowired CircuitBreakerRegistry breakers;
    @Autowired SettledPosts settled;

    @BeforeEach
    void closeBreakers() {
        breakers.getAllCircuitBreakers().forEach(CircuitBreaker::reset);
    }

    private PostView post(String text, List<MediaRef> media, String... platforms) {
        var targets = java.util.Arrays.stream(platforms).map(p -> new NewPost.Target(p, "acct-" + p)).toList();
        return posts.create(new NewPost(WS, null, text, media, targets, null, Priority.NOW));
    }

    private PublicationView publication(PostView post, String platform) {
        return post.publications().stream().filter(p -> p.platform().equals(platform)).findFirst().orElseThrow();
    }

    private Publications.Detail awaitState(UUID publicationId, String state) {
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50)).until(
                () -> publications.find(WS, publicationId).orElseThrow().publication().state(), state::equals);
        return publications.find(WS, publicationId).orElseThrow();
    }

    @Test
    void publishesToEveryTargetInParallelAndReportsEachOutcome() {
        PostView post = post("hello from crosspost", List.of(), "alpha", "beta");

        var a = awaitState(publication(post, "alpha").id(), "published").publication();
        var b = awaitState(publication(post, "beta").id(), "published").publication();

        assertThat(a.platformPostId()).startsWith("alpha_");
        assertThat(a.platformUrl()).isEqualTo("https://alpha.test/p/" + a.platformPostId());
        assertThat(b.platformPostId()).startsWith("beta_");
        await().atMost(Duration.ofSeconds(5)).until(() -> posts.find(WS, post.id()).orElseThrow().summary().settled());
        PostView settled = posts.find(WS, post.id()).orElseThrow();
        assertThat(settled.summary().outcome()).isEqualTo("published");
        assertThat(settled.settledAt()).isNotNull();
        assertThat(alpha.postsWithKey(a.idempotencyKey())).isEqualTo(1);
    }

    @Test
    void oneFailingPlatformNeverFailsTheOthers() {
        alpha.script("aspect test", "publish", Behaviour.REJECT);
        PostView post = post("aspect test", List.of(), "alpha", "beta");

        var failed = awaitState(publication(post, "alpha").id(), "failed").publication();
        awaitState(publication(post, "beta").id(), "published");

        assertThat(failed.error().message()).isEqualTo("alpha: video aspect ratio 4:5 is not allowed for Reels");
        assertThat(failed.error().errorClass()).isEqualTo("permanent");
        await().atMost(Duration.ofSeconds(5)).until(() -> posts.find(WS, post.id()).orElseThrow().summary().settled());
        assertThat(posts.find(WS, post.id()).orElseThrow().summary().outcome()).isEqualTo("partially_published");
    }

    @Test
    void retriesResumeFromTheLastFinishedStep() {
        alpha.script("video post", "process", Behaviour.PROCESSING, Behaviour.PROCESSING);
        alpha.script("video post", "publish", Behaviour.TRANSIENT);
        PostView post = post("video post", List.of(new MediaRef("file:///demo.mp4", "video/mp4", 1000)), "alpha");

        var detail = awaitState(publication(post, "alpha").id(), "published");

        assertThat(alpha.calls("video post", "upload")).isEqualTo(1);
        assertThat(alpha.calls("video post", "process")).isEqualTo(3);
        assertThat(alpha.calls("video post", "publish")).isEqualTo(2);
        assertThat(alpha.posts("video post")).hasSize(1);
        assertThat(detail.history()).extracting(Publications.HistoryEntry::outcome).contains("processing", "retry", "done");
        assertThat(detail.history()).filteredOn(h -> "retry".equals(h.outcome())).singleElement()
                .satisfies(h -> {
                    assertThat(h.errorClass()).isEqualTo("TRANSIENT");
                    assertThat(h.responseCode()).isEqualTo(503);
                    assertThat(h.step()).isEqualTo("publish");
                });
    }

    @Test
    void aTimeoutAfterCommitIsReconciledNotResent() {
        alpha.script("timeout after commit", "publish", Behaviour.COMMIT_THEN_HANG);
        PostView post = post("timeout after commit", List.of(), "alpha");

        var detail = awaitState(publication(post, "alpha").id(), "published");

        assertThat(alpha.calls("timeout after commit", "publish")).isEqualTo(1);
        assertThat(alpha.posts("timeout after commit")).hasSize(1);
        assertThat(detail.publication().platformPostId()).isEqualTo(alpha.posts("timeout after commit").getFirst().id());
        assertThat(detail.history()).extracting(Publications.HistoryEntry::to).containsSubsequence("outcome_unknown", "reconciling", "published");
        assertThat(detail.history()).extracting(Publications.HistoryEntry::outcome).contains("found");
    }

    @Test
    void anEffectProvenAbsentIsSentAgainExactlyOnce() {
        alpha.script("lost in transit", "publish", Behaviour.HANG);
        PostView post = post("lost in transit", List.of(), "alpha");

        var detail = awaitState(publication(post, "alpha").id(), "published");

        assertThat(alpha.calls("lost in transit", "publish")).isEqualTo(2);
        assertThat(alpha.posts("lost in transit")).hasSize(1);
        assertThat(detail.history()).extracting(Publications.HistoryEntry::outcome).contains("unknown", "absent", "done");
    }

    @Test
    void unknownsThatStayUnknownAreDeadLetteredAsUnconfirmed() {
        alpha.script("never confirmed", "publish", Behaviour.HANG);
        alpha.scriptLookups("never confirmed", new ReconcileResult.Unknown("lookup 500"), new ReconcileResult.Unknown("lookup 500"),
                new ReconcileResult.Unknown("lookup 500"));
        PostView post = post("never confirmed", List.of(), "alpha");

        var dead = awaitState(publication(post, "alpha").id(), "dead").publication();

        assertThat(dead.deadReason()).startsWith("unconfirmed:");
        assertThat(alpha.calls("never confirmed", "publish")).isEqualTo(1);
    }

    @Test
    void retryAfterIsHonouredExactly() {
        alpha.script("rate limited", "publish", Behaviour.RATE_LIMITED_1S);
        PostView post = post("rate limited", List.of(), "alpha");
        UUID id = publication(post, "alpha").id();

        var waiting = awaitState(id, "retry_wait");
        Instant failedAt = waiting.history().getLast().at();
        assertThat(Duration.between(failedAt, waiting.publication().nextAttemptAt()))
                .isBetween(Duration.ofMillis(999), Duration.ofMillis(1001));
        assertThat(waiting.publication().waitingReason()).contains("rate limit");

        awaitState(id, "published");
        assertThat(alpha.posts("rate limited")).hasSize(1);
    }

    @Test
    void exhaustedRetriesGoToTheDeadLetterQueueAndReplayKeepsTheKey() {
        alpha.script("flaky platform", "publish", Behaviour.TRANSIENT, Behaviour.TRANSIENT, Behaviour.TRANSIENT);
        PostView post = post("flaky platform", List.of(), "alpha");
        UUID id = publication(post, "alpha").id();

        var dead = awaitState(id, "dead").publication();
        assertThat(dead.deadReason()).isEqualTo("gave up after 3 attempt(s): alpha: 503 service unavailable");
        assertThat(publications.deadLetters(WS, "alpha", null, null, 50).data()).extracting(PublicationView::id).contains(id);
        assertThat(publications.stateCounts(WS).get("dead")).isPositive();

        PublicationView replayed = publications.replay(WS, id);
        assertThat(replayed.state()).isEqualTo("queued");
        var published = awaitState(id, "published").publication();

        assertThat(published.idempotencyKey()).isEqualTo(dead.idempotencyKey());
        assertThat(alpha.postsWithKey(dead.idempotencyKey())).isEqualTo(1);
        assertThat(publications.deadLetters(WS, "alpha", null, null, 50).data()).extracting(PublicationView::id).doesNotContain(id);
        assertThatThrownBy(() -> publications.replay(WS, id)).hasMessageContaining("only dead or failed");
    }

    @Test
    void aReplayThePlatformWouldRefuseAgainIsRefusedAndReplayingManyIsAllOrNone() {
        alpha.script("replay all or none", "publish", Behaviour.TRANSIENT, Behaviour.TRANSIENT, Behaviour.TRANSIENT);
        UUID dead = publication(post("replay all or none", List.of(), "alpha"), "alpha").id();
        String tooLong = "too long to replay ".repeat(30);
        UUID failed = publication(post(tooLong, List.of(), "alpha"), "alpha").id();
        awaitState(dead, "dead");
        assertThat(awaitState(failed, "failed").publication().error().code()).isEqualTo("text_too_long");

        assertThatThrownBy(() -> publications.replay(WS, failed)).isInstanceOfSatisfying(CrosspostException.class, e -> {
            assertThat(e.code()).isEqualTo("still_refused");
            assertThat(e.getMessage()).contains("alpha: the text is 570 characters; the limit is 500");
        });
        assertThatThrownBy(() -> publications.replayAll(WS, List.of(dead, failed))).hasMessageContaining("would fail again");
        assertThat(publications.find(WS, dead).orElseThrow().publication().state()).as("rolled back with the refusal").isEqualTo("dead");
        assertThat(publications.find(WS, failed).orElseThrow().publication().state()).isEqualTo("failed");

        assertThat(publications.replayAll(WS, List.of(dead))).extracting(PublicationView::state).containsExactly("queued");
        awaitState(dead, "published");
        assertThat(alpha.posts(tooLong)).isEmpty();
    }

    @Test
    void aPostSettlesOnceWhenItsLastPublicationEndsAndOnceMoreAfterAReplay() {
        alpha.script("settles once", "publish", Behaviour.TRANSIENT, Behaviour.TRANSIENT, Behaviour.TRANSIENT);
        PostView post = post("settles once", List.of(), "alpha", "beta", "delta");
        UUID alphaId = publication(post, "alpha").id();

        awaitState(alphaId, "dead");
        await().atMost(Duration.ofSeconds(5)).until(() -> settled.of(post.id()).size() == 1);
        assertThat(settled.of(post.id()).getFirst().outcomes())
                .containsEntry("alpha:acct-alpha", PublicationState.DEAD)
                .containsEntry("beta:acct-beta", PublicationState.PUBLISHED)
                .containsEntry("delta:acct-delta", PublicationState.PUBLISHED);
        assertThat(posts.find(WS, post.id()).orElseThrow().settledAt()).isNotNull();

        publications.replay(WS, alphaId);
        awaitState(alphaId, "published");
        await().atMost(Duration.ofSeconds(5)).until(() -> settled.of(post.id()).size() == 2);
        assertThat(settled.of(post.id()).get(1).outcomes()).containsEntry("alpha:acct-alpha", PublicationState.PUBLISHED);
        assertThat(jdbc.sql("SELECT open_publications FROM posts WHERE id = :id").param("id", post.id()).query(Integer.class).single())
                .isZero();
    }

    @Test
    void discardingADeadLetterCancelsIt() {
        alpha.script("to discard", "publish", Behaviour.TRANSIENT, Behaviour.TRANSIENT, Behaviour.TRANSIENT);
        PostView post = post("to discard", List.of(), "alpha");
        UUID id = publication(post, "alpha").id();
        awaitState(id, "dead");
        await().atMost(Duration.ofSeconds(5)).until(() -> settled.of(post.id()).size() == 1);

        assertThat(publications.discard(WS, id).state()).isEqualTo("cancelled");
        assertThat(alpha.posts("to discard")).isEmpty();
        // the post had already settled when the publication went dead: discarding it settles nothing again
        assertThat(settled.of(post.id())).hasSize(1);
    }

    @Test
    void aPublicationWithNoQuotaWaitsForTheRefillInsteadOfCollectingA429() {
        UUID first = publication(post("first of the hour", List.of(), "gamma"), "gamma").id();
        awaitState(first, "published");

        UUID second = publication(post("second of the hour", List.of(), "gamma"), "gamma").id();
        var waiting = awaitState(second, "waiting_quota").publication();

        assertThat(waiting.nextAttemptAt()).isAfter(Instant.now().plus(Duration.ofMinutes(59)));
        assertThat(waiting.waitingReason()).contains("quota of 1 per PT1H");
        assertThat(gamma.calls("first of the hour", "publish")).isEqualTo(1);
        assertThat(gamma.calls("second of the hour", "publish")).isZero();
    }

    @Test
    void anOpenBreakerDefersWorkInsteadOfFailingIt() {
        delta.script("delta outage", "publish", Behaviour.TRANSIENT, Behaviour.TRANSIENT, Behaviour.TRANSIENT, Behaviour.TRANSIENT);
        for (int i = 0; i < 4; i++) {
            awaitState(publication(post("delta outage", List.of(), "delta"), "delta").id(), "dead");
        }
        UUID deferred = publication(post("after the outage", List.of(), "delta"), "delta").id();

        var waiting = awaitState(deferred, "waiting_breaker").publication();
        assertThat(waiting.waitingReason()).contains("circuit breaker is open");
        assertThat(delta.calls("delta outage", "publish")).isEqualTo(4);
        assertThat(delta.calls("after the outage", "publish")).isZero();
    }

    @Test
    void aRevokedTokenAsksForReconnectWithThePlatformsReason() {
        alpha.script("token gone", "publish", Behaviour.EXPIRED_TOKEN);
        var p = awaitState(publication(post("token gone", List.of(), "alpha"), "alpha").id(), "needs_reconnect").publication();
        assertThat(p.error().message()).isEqualTo("alpha: token revoked by the user");
    }

    @Test
    void aReconnectedAccountResumesItsWaitingPublications() {
        alpha.script("resume after reconnect", "publish", Behaviour.EXPIRED_TOKEN);
        UUID id = publication(post("resume after reconnect", List.of(), "alpha"), "alpha").id();
        awaitState(id, "needs_reconnect");

        assertThat(publications.resumeAccount(WS, "alpha", "acct-alpha")).isGreaterThanOrEqualTo(1);
        var published = awaitState(id, "published");

        assertThat(published.publication().error()).isNull();
        assertThat(published.history()).extracting(Publications.HistoryEntry::outcome).containsSubsequence("needs_reconnect", "reconnected", "done");
        assertThat(alpha.posts("resume after reconnect")).hasSize(1);
    }

    @Test
    void anEndingDeletesItsJobInTheSameTransactionAndAParkedPublicationsJobIsRemoved() {
        alpha.script("parked", "publish", Behaviour.EXPIRED_TOKEN);
        UUID ended = publication(post("ends", List.of(), "alpha"), "alpha").id();
        UUID parked = publication(post("parked", List.of(), "alpha"), "alpha").id();

        awaitState(ended, "published");
        // no wait: the job went with the ending's own commit, so no reader ever sees one without the other
        assertThat(jobsOf(ended)).isZero();
        awaitState(parked, "needs_reconnect");
        await().atMost(Duration.ofSeconds(5)).until(() -> jobsOf(parked), n -> n == 0);

        assertThat(publications.resumeAccount(WS, "alpha", "acct-alpha")).isGreaterThanOrEqualTo(1);
        awaitState(parked, "published");
        assertThat(jobsOf(parked)).isZero();
    }

    private long jobsOf(UUID publicationId) {
        return jdbc.sql("SELECT count(*) FROM scheduled_tasks WHERE task_name = 'publication' AND task_instance = :id")
                .param("id", publicationId.toString()).query(Long.class).single();
    }

    @Test
    void aPostAndItsJobsAreWrittenInOneTransaction() {
        assertThatThrownBy(() -> tx.executeWithoutResult(status -> {
            post("rolled back", List.of(), "alpha");
            throw new IllegalStateException("caller failed after creating the post");
        })).isInstanceOf(IllegalStateException.class);

        assertThat(jdbc.sql("SELECT count(*) FROM posts WHERE text = 'rolled back'").query(Long.class).single()).isZero();
        assertThat(jdbc.sql("SELECT count(*) FROM scheduled_tasks WHERE task_name = 'publication' AND task_instance NOT IN (SELECT id::text FROM publications)")
                .query(Long.class).single()).isZero();
    }
}
