package dev.crosspost.accounts.internal;

import com.github.kagkarlsson.scheduler.ScheduledExecution;
import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.task.TaskInstanceId;
import dev.crosspost.accounts.AccountNeedsReconnect;
import dev.crosspost.publishing.adapter.AccountTokens;
import dev.crosspost.system.Workspaces;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.modulith.test.Scenario;
import tools.jackson.databind.JsonNode;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/** Token refresh against the simulated servers: rotation, refusals, platforms that cannot answer, and the engine's tokens. */
class TokenRefreshIntegrationTests extends AccountsIntegrationTestBase {

    @Autowired TokenRefresher refresher;
    @Autowired RefreshJobs jobs;
    @Autowired SchedulerClient scheduler;
    @Autowired AccountTokens tokens;

    private Optional<ScheduledExecution<Object>> job(UUID id) {
        return scheduler.getScheduledExecution(TaskInstanceId.of(RefreshJobs.TASK, id.toString()));
    }

    private Instant refreshAt(UUID id) {
        return jdbc.sql("SELECT refresh_at FROM accounts WHERE id = :id").param("id", id).query(Timestamp.class).single().toInstant();
    }

    /** Spends a refresh token at the simulated platform directly, with the client where that platform wants it. */
    private HttpResponse<String> spend(String platform, String refreshToken) {
        var request = to("/sandbox/oauth/" + platform + "/token").header("Content-Type", "application/x-www-form-urlencoded");
        String form = "grant_type=refresh_token&refresh_token=" + refreshToken;
        if (platform.equals("x")) {
            request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                    "sandbox-x-client:sandbox-x-secret".getBytes(StandardCharsets.UTF_8)));
        } else {
            form += "&client_key=sandbox-tiktok-client&client_secret=sandbox-tiktok-secret";
        }
        return send(request.POST(HttpRequest.BodyPublishers.ofString(form)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"x", "tiktok"})
    void aRefreshThatRotatesTheRefreshTokenStoresTheNewOne(String platform) {
        UUID id = connected(platform, "rotating-" + platform);
        String access = storedAccessToken(id);
        String refresh = storedRefreshToken(id);
        assertThat(job(id)).get().satisfies(j -> assertThat(j.getExecutionTime()).isEqualTo(refreshAt(id)));

        assertThat(refresher.refresh(id, TokenRefresher.Mode.NOW)).isInstanceOf(TokenRefresher.Outcome.Refreshed.class);

        String rotated = storedRefreshToken(id);
        assertThat(rotated).isNotNull().isNotEqualTo(refresh);
        assertThat(storedAccessToken(id)).isNotEqualTo(access);
        assertThat(sandbox.issuedTokens(platform)).contains(rotated, storedAccessToken(id));
        // the old one is spent at the platform; only the stored one still works
        HttpResponse<String> stale = spend(platform, refresh);
        assertThat(stale.statusCode()).isEqualTo(400);
        assertThat(body(stale).path("error").asString()).isEqualTo("invalid_grant");
        assertThat(refresher.refresh(id, TokenRefresher.Mode.NOW)).isInstanceOf(TokenRefresher.Outcome.Refreshed.class);
        assertThat(status(id)).isEqualTo("connected");
    }

    @Test
    void googleKeepsItsRefreshTokenAcrossRefreshes() {
        UUID id = connected("youtube", "steady");
        String refresh = storedRefreshToken(id);
        String access = storedAccessToken(id);

        refresher.refresh(id, TokenRefresher.Mode.NOW);

        assertThat(storedRefreshToken(id)).isEqualTo(refresh);
        assertThat(storedAccessToken(id)).isNotEqualTo(access);
    }

    @Test
    void aRevokedGrantMovesTheAccountToReconnectRequiredAndAnnouncesIt(Scenario scenario) {
        UUID id = connected("x", "revoker");
        assertThat(body(post("/sandbox/oauth/x/revoke-grant?user=revoker")).path("revoked").asInt()).isOne();

        scenario.stimulate(() -> refresher.refresh(id, TokenRefresher.Mode.NOW))
                .andWaitForEventOfType(AccountNeedsReconnect.class)
                .matching(e -> e.accountId().equals(id))
                .toArriveAndVerify((event, outcome) -> {
                    assertThat(outcome).isInstanceOf(TokenRefresher.Outcome.Ended.class);
                    assertThat(event.workspaceId()).isEqualTo(Workspaces.SANDBOX);
                    assertThat(event.platform()).isEqualTo("x");
                    assertThat(event.reason()).isEqualTo("x refused the token refresh: invalid_grant: Token has been expired or revoked.");
                });

        JsonNode account = body(get("/api/v1/accounts/" + id));
        assertThat(account.path("status").asString()).isEqualTo("reconnect_required");
        assertThat(account.path("statusReason").asString()).isEqualTo("x refused the token refresh: invalid_grant: Token has been expired or revoked.");
        assertThat(account.path("nextRefreshAt").isNull()).isTrue();
        assertThatThrownBy(() -> tokens.accessToken(dev.crosspost.system.Workspaces.SANDBOX, "x", id.toString()))
                .isInstanceOf(AccountTokens.ReconnectRequired.class)
                .hasMessage("x refused the token refresh: invalid_grant: Token has been expired or revoked.");
        // the planned job finds nothing to do and goes away
        jobs.plan(id, Instant.now());
        await().atMost(Duration.ofSeconds(10)).until(() -> job(id).isEmpty());
    }

    @Test
    void aPlatformThatCannotAnswerIsRetriedWithBackoffWithoutTouchingTheAccount() {
        UUID id = connected("tiktok", "flaky");
        String refresh = storedRefreshToken(id);
        sandbox.failNextTokenRequests("tiktok", 1);
        jdbc.sql("UPDATE accounts SET refresh_at = :at WHERE id = :id")
                .param("at", Timestamp.from(clock.instant().minusSeconds(1))).param("id", id).update();

        // the scheduler runs the due job: TikTok answers 503
        jobs.plan(id, Instant.now());
        await().atMost(Duration.ofSeconds(10)).until(() -> job(id).map(j -> Integer.valueOf(1).equals(j.getData())).orElse(false));
        assertThat(job(id).orElseThrow().getExecutionTime()).isCloseTo(clock.instant().plusSeconds(30), within(Duration.ofSeconds(5)));
        assertThat(status(id)).isEqualTo("connected");
        assertThat(storedRefreshToken(id)).isEqualTo(refresh);

        // the retry (run now instead of in 30 s) gets through, rotates, and plans the next refresh from scratch
        scheduler.reschedule(TaskInstanceId.of(RefreshJobs.TASK, id.toString()), Instant.now(), 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> !refresh.equals(storedRefreshToken(id)));
        await().atMost(Duration.ofSeconds(10)).until(() -> job(id).map(j -> Integer.valueOf(0).equals(j.getData())).orElse(false));
        assertThat(job(id).orElseThrow().getExecutionTime()).isEqualTo(refreshAt(id));
        assertThat(refreshAt(id)).isCloseTo(clock.instant().plus(Duration.ofMinutes(24 * 60 * 8 / 10)), within(Duration.ofMinutes(1)));
    }

    @Test
    void anExpiredTokenIsRefreshedBeforeTheEngineGetsIt() {
        UUID id = connected("pinterest", "dormant");
        String old = storedAccessToken(id);
        clock.advance(Duration.ofDays(31));

        String fresh = tokens.accessToken(dev.crosspost.system.Workspaces.SANDBOX, "pinterest", id.toString());

        assertThat(fresh).isNotEqualTo(old).isEqualTo(storedAccessToken(id));
        assertThat(send(to("/sandbox/oauth/pinterest/me").header("Authorization", "Bearer " + fresh).GET()).statusCode()).isEqualTo(200);
        assertThat(send(to("/sandbox/oauth/pinterest/me").header("Authorization", "Bearer " + old).GET()).statusCode()).isEqualTo(401);
        assertThat(job(id)).get().satisfies(j -> assertThat(j.getExecutionTime()).isEqualTo(refreshAt(id)));
        assertThat(refreshAt(id)).isAfter(clock.instant().plus(Duration.ofDays(23)));
    }

    @Test
    void anExpiredTokenWhosePlatformCannotAnswerIsNotAReasonToReconnect() {
        UUID id = connected("x", "later");
        clock.advance(Duration.ofHours(3));
        sandbox.failNextTokenRequests("x", 1);

        assertThatThrownBy(() -> tokens.accessToken(dev.crosspost.system.Workspaces.SANDBOX, "x", id.toString()))
                .isInstanceOf(TokenRefreshUnavailable.class).hasMessageContaining("HTTP 503");
        assertThat(status(id)).isEqualTo("connected");
        assertThat(tokens.accessToken(dev.crosspost.system.Workspaces.SANDBOX, "x", id.toString())).isEqualTo(storedAccessToken(id));
    }

    @Test
    void instagramRefreshesItsLongLivedTokenOnceItIsDue() {
        UUID id = connected("instagram", "reels");
        String first = storedAccessToken(id);
        assertThat(storedRefreshToken(id)).isNull();
        assertThat(refresher.refresh(id, TokenRefresher.Mode.WHEN_PLANNED)).isInstanceOf(TokenRefresher.Outcome.NotDue.class);

        clock.advance(Duration.ofDays(49));
        assertThat(refresher.refresh(id, TokenRefresher.Mode.WHEN_PLANNED)).isInstanceOf(TokenRefresher.Outcome.Refreshed.class);

        assertThat(storedAccessToken(id)).isNotEqualTo(first);
        JsonNode account = body(get("/api/v1/accounts/" + id));
        assertThat(Instant.parse(account.path("expiresAt").asString())).isCloseTo(clock.instant().plus(Duration.ofDays(60)), within(Duration.ofMinutes(1)));
    }

    @Test
    void blueskySessionsRotateAndAnExpiredRefreshJwtNeedsAReconnect() {
        UUID id = bluesky("dave.example.com");
        String refresh = storedRefreshToken(id);

        assertThat(refresher.refresh(id, TokenRefresher.Mode.NOW)).isInstanceOf(TokenRefresher.Outcome.Refreshed.class);
        assertThat(storedRefreshToken(id)).isNotEqualTo(refresh).startsWith("eyJ");
        HttpResponse<String> stale = send(to("/sandbox/oauth/bluesky/xrpc/com.atproto.server.refreshSession")
                .header("Authorization", "Bearer " + refresh).POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(body(stale).path("error").asString()).isEqualTo("InvalidToken");

        clock.advance(Duration.ofDays(91));
        assertThat(refresher.refresh(id, TokenRefresher.Mode.NOW)).isInstanceOf(TokenRefresher.Outcome.Ended.class);
        assertThat(status(id)).isEqualTo("reconnect_required");
        assertThat(body(get("/api/v1/accounts/" + id)).path("statusReason").asString())
                .isEqualTo("bluesky refused the session refresh: ExpiredToken: Token has expired");
    }

    @Test
    void aJobForAnAccountWithNothingPlannedLeavesItAlone() {
        UUID id = connected("x", "unplanned");
        String access = storedAccessToken(id);
        jdbc.sql("UPDATE accounts SET refresh_at = NULL WHERE id = :id").param("id", id).update();

        assertThat(refresher.refresh(id, TokenRefresher.Mode.WHEN_PLANNED)).isInstanceOf(TokenRefresher.Outcome.Ended.class);

        assertThat(status(id)).isEqualTo("connected");
        assertThat(storedAccessToken(id)).isEqualTo(access);
    }

    @Test
    void targetsThatAreNotStoredAccountsGetTheSandboxToken() {
        UUID x = connected("x", "owner");
        assertThat(tokens.accessToken(dev.crosspost.system.Workspaces.SANDBOX, "x", "sandbox-x")).isEqualTo("sandbox-token");
        assertThat(tokens.accessToken(dev.crosspost.system.Workspaces.SANDBOX, "alpha", "acct-alpha")).isEqualTo("sandbox-token");
        assertThat(tokens.accessToken(dev.crosspost.system.Workspaces.SANDBOX, "x", UUID.randomUUID().toString())).isEqualTo("sandbox-token");
        assertThatThrownBy(() -> tokens.accessToken(dev.crosspost.system.Workspaces.SANDBOX, "tiktok", x.toString()))
                .isInstanceOf(AccountTokens.ReconnectRequired.class).hasMessage("account " + x + " is a x account, not tiktok");
    }
}
