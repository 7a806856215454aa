package dev.crosspost.system.web;

import dev.crosspost.system.SystemSettings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.servlet.FilterChain;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class ConcurrencyLimitFilterUnitTests {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final JsonMapper json = JsonMapper.builder().build();
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    private final CountDownLatch release = new CountDownLatch(1);
    private final CountDownLatch entered = new CountDownLatch(1);
    // holds its turn until released
    private final FilterChain holding = (req, res) -> {
        entered.countDown();
        try {
            release.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    };

    @AfterEach
    void stop() {
        release.countDown();
        threads.shutdownNow();
    }

    private ConcurrencyLimitFilter filter(int max, Duration queueTimeout) {
        var settings = new SystemSettings(Path.of("."), "http://localhost:8080",
                new SystemSettings.Database(null, null, null, 20, 0), new SystemSettings.Shutdown(Duration.ofSeconds(1)),
                new SystemSettings.Log("text"), new SystemSettings.Requests(max, queueTimeout));
        return new ConcurrencyLimitFilter(settings, json, meters);
    }

    private static MockHttpServletRequest get(String path) {
        var request = new MockHttpServletRequest("GET", path);
        request.setRequestURI(path);
        return request;
    }

    private CompletableFuture<MockHttpServletResponse> run(ConcurrencyLimitFilter filter, String path, FilterChain chain) {
        return CompletableFuture.supplyAsync(() -> {
            var response = new MockHttpServletResponse();
            try {
                filter.doFilter(get(path), response, chain);
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
            return response;
        }, threads);
    }

    /** Starts a request that takes the filter's one turn and keeps it until {@link #release} counts down. */
    private CompletableFuture<MockHttpServletResponse> holdTheOnlyTurn(ConcurrencyLimitFilter filter) throws InterruptedException {
        var held = run(filter, "/api/v1/posts", holding);
        assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
        return held;
    }

    private double gauge(String name) {
        return meters.get(name).gauge().value();
    }

    @Test
    void aRequestBeyondTheLimitWaitsItsTurnAndRunsWhenOneIsGivenBack() throws Exception {
        var filter = filter(1, Duration.ofMinutes(1));
        var first = holdTheOnlyTurn(filter);

        AtomicInteger secondRan = new AtomicInteger();
        var second = run(filter, "/api/v1/posts", (req, res) -> secondRan.incrementAndGet());
        await().atMost(Duration.ofSeconds(10)).until(() -> gauge("crosspost.http.requests.waiting"), n -> n == 1);
        assertThat(secondRan).hasValue(0);
        assertThat(gauge("crosspost.http.requests.running")).isEqualTo(1);

        release.countDown();
        assertThat(second.get(10, TimeUnit.SECONDS).getStatus()).isEqualTo(200);
        assertThat(first.get(10, TimeUnit.SECONDS).getStatus()).isEqualTo(200);
        assertThat(secondRan).hasValue(1);
        assertThat(gauge("crosspost.http.requests.running")).isZero();
        assertThat(gauge("crosspost.http.requests.waiting")).isZero();
    }

    @Test
    void aRequestThatWaitsOutTheQueueTimeoutIsRefusedWithAProblemAndRetryAfter() throws Exception {
        var filter = filter(1, Duration.ofMillis(50));
        holdTheOnlyTurn(filter);

        AtomicInteger ran = new AtomicInteger();
        var refused = run(filter, "/api/v1/posts", (req, res) -> ran.incrementAndGet()).get(10, TimeUnit.SECONDS);

        assertThat(ran).hasValue(0);
        assertThat(refused.getStatus()).isEqualTo(503);
        assertThat(refused.getHeader("Retry-After")).isEqualTo("1");
        assertThat(refused.getContentType()).isEqualTo("application/problem+json");
        JsonNode body = json.readTree(refused.getContentAsString());
        assertThat(body.path("code").asString()).isEqualTo("overloaded");
        assertThat(body.path("status").asInt()).isEqualTo(503);
        assertThat(body.path("type").asString()).isEqualTo("https://crosspost.dev/problems/overloaded");
        assertThat(meters.get("crosspost.http.requests.refused").counter().count()).isEqualTo(1);
    }

    @Test
    void actuatorEndpointsAndTheSimulatedPlatformsAreNotCounted() throws Exception {
        var filter = filter(1, Duration.ofMillis(50));
        holdTheOnlyTurn(filter);

        AtomicInteger ran = new AtomicInteger();
        for (String path : new String[]{"/actuator/health/liveness", "/actuator/prometheus", "/sandbox/platforms/gen-a/posts"}) {
            assertThat(run(filter, path, (req, res) -> ran.incrementAndGet()).get(10, TimeUnit.SECONDS).getStatus()).isEqualTo(200);
        }
        assertThat(ran).hasValue(3);
        assertThat(run(filter, "/dashboard", (req, res) -> ran.incrementAndGet()).get(10, TimeUnit.SECONDS).getStatus())
                .as("everything else waits its turn").isEqualTo(503);
    }

    @Test
    void unsetTheBoundIsEightPerCore() {
        int cores = Runtime.getRuntime().availableProcessors();
        assertThat(new SystemSettings.Requests(0, Duration.ofSeconds(10)).effectiveMaxConcurrent()).isEqualTo(8 * cores);
        assertThat(new SystemSettings.Requests(5, Duration.ofSeconds(10)).effectiveMaxConcurrent()).isEqualTo(5);
    }

    @Test
    void aRequestThatFailsGivesItsTurnBack() throws Exception {
        var filter = filter(1, Duration.ofMillis(50));
        assertThatThrownBy(() -> filter.doFilter(get("/api/v1/posts"), new MockHttpServletResponse(), (req, res) -> {
            throw new IllegalStateException("handler failed");
        })).isInstanceOf(IllegalStateException.class);

        var response = new MockHttpServletResponse();
        filter.doFilter(get("/api/v1/posts"), response, (req, res) -> {
        });
        assertThat(response.getStatus()).isEqualTo(200);
        assertThat(gauge("crosspost.http.requests.running")).isZero();
    }
}
