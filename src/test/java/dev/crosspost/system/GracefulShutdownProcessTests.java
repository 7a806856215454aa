package dev.crosspost.system;

import dev.crosspost.support.TestApi;
import dev.crosspost.support.AppProcess;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * SIGTERM with a request in flight and a scheduled task running: readiness drops, HTTP stops accepting, the
 * request and the task both finish, then the scheduler, the pool and PostgreSQL close in that order.
 */
class GracefulShutdownProcessTests {

    @Test
    void sigtermDrainsRequestsAndTasksThenClosesInOrder() throws Exception {
        Path dir = Path.of("target", "test-data", "shutdown-" + UUID.randomUUID()).toAbsolutePath();
        try (AppProcess app = AppProcess.start(dir.resolve("app.log"), "--crosspost.data-dir=" + dir,
                "--spring.profiles.active=drill", "--crosspost.log.format=text").awaitReady(Duration.ofSeconds(120))) {

            var schedule = app.http().send(TestApi.request(app.uri("").getPort(), "/drill/task").POST(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(schedule.statusCode()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(30)).until(() -> app.output().contains("drill task started"));

            CompletableFuture<HttpResponse<String>> inFlight = app.http().sendAsync(
                    TestApi.request(app.uri("").getPort(), "/drill/slow").build(), HttpResponse.BodyHandlers.ofString());
            await().atMost(Duration.ofSeconds(10)).until(() -> app.output().contains("drill request started"));

            app.process().destroy(); // SIGTERM

            await().atMost(Duration.ofSeconds(10)).until(() -> app.output().contains("Readiness is now REFUSING_TRAFFIC"));
            await().atMost(Duration.ofSeconds(10)).until(() -> app.status("/actuator/health/liveness") == -1);
            HttpResponse<String> finished = inFlight.get();
            assertThat(finished.statusCode()).isEqualTo(200);
            assertThat(finished.body()).isEqualTo("done");

            assertThat(app.waitForExit(Duration.ofSeconds(60))).isZero();
            String log = app.output();
            assertInOrder(log, List.of(
                    "Readiness is now REFUSING_TRAFFIC",
                    "Commencing graceful shutdown",
                    "drill request finished",
                    "Graceful shutdown complete",
                    "drill task finished",
                    "Scheduler stopped",
                    "crosspost - Shutdown completed",
                    "Stopping embedded PostgreSQL"));
            assertThat(log).doesNotContain("drill-slow-task failed");
        }
        assertThat(AppProcess.postgresProcessesFor(dir)).isEmpty();
    }

    private static void assertInOrder(String log, List<String> markers) {
        int at = -1;
        for (String marker : markers) {
            int next = log.indexOf(marker, at + 1);
            assertThat(next).as("'%s' after position %d in:%n%s", marker, at, log).isGreaterThan(at);
            at = next;
        }
    }
}
