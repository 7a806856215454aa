package dev.crosspost.bench;

import dev.crosspost.support.CrosspostIntegrationTest;
import dev.crosspost.support.TestApi;
import dev.crosspost.system.Cursors;
import dev.crosspost.system.Workspaces;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Side-by-side measure of bench/api.sh's request (one page of 20 posts from a workspace of 100,000, bearer JWT)
 * inside one JVM, for comparing a change before and after on a busy machine: the CPU time per request (app and
 * client together) matters more than the wall-clock latency there. Not part of the suite (no Tests suffix); run
 * with {@code -Dtest=ApiHotPathBench -Dbench.requests=20000} ({@code -Dbench.jfr=true} records target/hotpath.jfr). Prints {@code HOTPATH …} and the query plan.
 */
@CrosspostIntegrationTest
class ApiHotPathBench {

    @LocalServerPort int port;
    @Autowired JdbcClient jdbc;
    @Autowired Cursors cursors;

    @Test
    void onePageOfPosts() throws Exception {
        int requests = Integer.getInteger("bench.requests", 20_000);
        int clients = Integer.getInteger("bench.clients", 8);
        jdbc.sql("""
                        INSERT INTO posts (id, workspace_id, text, priority, created_at)
                        SELECT gen_random_uuid(), :ws, 'bench post ' || i, 'NOW', now() - i * interval '1 second'
                        FROM generate_series(1, 100000) AS i""").param("ws", Workspaces.SANDBOX).update();
        jdbc.sql("ANALYZE posts").update();
        String token = "Bearer " + TestApi.accessToken(port);
        HttpClient http = HttpClient.newBuilder().executor(Executors.newVirtualThreadPerTaskExecutor()).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/posts?limit=20"))
                .header("Authorization", token).build();
        HttpResponse<String> first = http.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);

        run(http, request, requests / 2, clients); // warm-up: JIT, pools, caches
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        jdk.jfr.Recording recording = Boolean.getBoolean("bench.jfr") ? new jdk.jfr.Recording(jdk.jfr.Configuration.getConfiguration("profile")) : null;
        if (recording != null) {
            recording.start();
        }
        long xacts0 = xacts();
        long cpu0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        long[] latencies = run(http, request, requests, clients);
        long wall = System.nanoTime() - t0;
        long cpu = os.getProcessCpuTime() - cpu0;
        if (recording != null) {
            recording.dump(java.nio.file.Path.of("target", "hotpath.jfr"));
            recording.close();
        }
        double xactsPerRequest = (xacts() - xacts0) / (double) requests;
        Arrays.sort(latencies);
        System.out.printf(Locale.ROOT, "HOTPATH requests=%d clients=%d rps=%.0f cpu_us_per_req=%.1f db_xacts_per_req=%.2f p50_ms=%.2f p99_ms=%.2f%n",
                requests, clients, requests * 1e9 / wall, cpu / 1e3 / requests, xactsPerRequest,
                latencies[latencies.length / 2] / 1e6, latencies[(int) (latencies.length * 0.99)] / 1e6);

        // a page deep in the list (after 50,000 posts), once the driver has switched to a server-prepared statement
        var deep = jdbc.sql("SELECT created_at, id FROM posts WHERE workspace_id = :ws ORDER BY created_at DESC, id DESC OFFSET 50000 LIMIT 1")
                .param("ws", Workspaces.SANDBOX)
                .query((rs, n) -> cursors.encode("posts", rs.getTimestamp(1).toInstant(), rs.getObject(2, java.util.UUID.class))).single();
        HttpRequest deepRequest = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/posts?limit=20&cursor=" + deep))
                .header("Authorization", token).build();
        run(http, deepRequest, 200, clients);
        long[] deepLatencies = run(http, deepRequest, 1000, clients);
        Arrays.sort(deepLatencies);
        System.out.printf(Locale.ROOT, "HOTPATH deep_page p50_ms=%.2f p99_ms=%.2f%n",
                deepLatencies[deepLatencies.length / 2] / 1e6, deepLatencies[(int) (deepLatencies.length * 0.99)] / 1e6);

        jdbc.sql("""
                        EXPLAIN (ANALYZE, BUFFERS) WITH page AS (SELECT * FROM posts WHERE workspace_id = :ws
                          AND (CAST(:at AS timestamptz) IS NULL OR (created_at, id) < (CAST(:at AS timestamptz), CAST(:id AS uuid)))
                          ORDER BY created_at DESC, id DESC LIMIT 21)
                        SELECT page.*, u.* FROM page LEFT JOIN publications u ON u.post_id = page.id
                        ORDER BY page.created_at DESC, page.id DESC, u.platform, u.account_id""")
                .param("ws", Workspaces.SANDBOX).param("at", null).param("id", null)
                .query(String.class).list().forEach(line -> System.out.println("PLAN " + line));
    }

    private long xacts() {
        return jdbc.sql("SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = current_database()")
                .query(Long.class).single();
    }

    private static long[] run(HttpClient http, HttpRequest request, int requests, int clients) throws InterruptedException {
        long[] latencies = new long[requests];
        AtomicInteger next = new AtomicInteger();
        AtomicInteger failures = new AtomicInteger();
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int c = 0; c < clients; c++) {
                pool.submit(() -> {
                    for (int i = next.getAndIncrement(); i < requests; i = next.getAndIncrement()) {
                        long start = System.nanoTime();
                        try {
                            if (http.send(request, HttpResponse.BodyHandlers.ofString()).statusCode() != 200) {
                                failures.incrementAndGet();
                            }
                        } catch (Exception e) {
                            failures.incrementAndGet();
                        }
                        latencies[i] = System.nanoTime() - start;
                    }
                    return null;
                });
            }
        }
        assertThat(failures.get()).isZero();
        return latencies;
    }
}
