import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Open-model load for bench/api.sh: request i is due at start + i / rate, whatever happened to earlier ones (arrivals
 * evenly spread: N clients each sending once a second with their phases spread over the second). Latency runs from
 * the due time, not the send time, so a stalled server shows up in the percentiles instead of slowing the load
 * (no coordinated omission): a request that waits for one of the pooled keep-alive connections has that wait in its
 * latency. A request without a 200 within the timeout is an error.
 *
 * Usage: java ApiLoad.java URL AUTHORIZATION RATE SECONDS [CONNECTIONS (200)]
 * Prints: rate=… sent=… ok=… errors=… p50_ms=… p95_ms=… p99_ms=… max_ms=…
 */
public class ApiLoad {
    public static void main(String[] args) throws Exception {
        URI uri = URI.create(args[0]);
        String authorization = args[1];
        int rate = Integer.parseInt(args[2]);
        int seconds = Integer.parseInt(args[3]);
        int total = rate * seconds;
        // like a browser or hey's workers, a bounded set of keep-alive connections instead of one per request in flight
        Semaphore connections = new Semaphore(args.length > 4 ? Integer.parseInt(args[4]) : 200);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest request = HttpRequest.newBuilder(uri).header("Authorization", authorization).timeout(Duration.ofSeconds(10)).GET().build();
        long[] latencyNanos = new long[total];
        boolean[] ok = new boolean[total];
        AtomicInteger done = new AtomicInteger();
        ConcurrentHashMap<String, AtomicInteger> failures = new ConcurrentHashMap<>();
        long interval = 1_000_000_000L / rate;
        long start = System.nanoTime() + 100_000_000L;
        long[] due = new long[total];
        for (int i = 0; i < total; i++) {
            due[i] = start + i * interval;
            long wait = due[i] - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            int n = i;
            // a virtual thread per arrival: it waits for one of the pooled connections, and that wait counts
            Thread.ofVirtual().start(() -> {
                boolean good = false;
                String why = null;
                try {
                    connections.acquire();
                    try {
                        HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
                        good = response.statusCode() == 200;
                        why = good ? null : "status " + response.statusCode();
                    } finally {
                        connections.release();
                    }
                } catch (Exception e) {
                    why = e.getClass().getSimpleName();
                }
                latencyNanos[n] = System.nanoTime() - due[n];
                ok[n] = good;
                if (why != null) {
                    failures.computeIfAbsent(why, k -> new AtomicInteger()).incrementAndGet();
                }
                done.incrementAndGet();
            });
        }
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (done.get() < total && System.nanoTime() < deadline) {
            LockSupport.parkNanos(10_000_000L);
        }
        // whatever has not answered by now counts as an error, with the time it has waited so far
        int okCount = 0;
        long now = System.nanoTime();
        long[] sorted = new long[total];
        for (int i = 0; i < total; i++) {
            sorted[i] = latencyNanos[i] != 0 ? latencyNanos[i] : now - due[i];
            okCount += ok[i] ? 1 : 0;
        }
        if (done.get() < total) {
            failures.put("no answer", new AtomicInteger(total - done.get()));
        }
        Arrays.sort(sorted);
        if (!failures.isEmpty()) {
            System.err.println("failures: " + failures);
        }
        System.out.printf("rate=%d sent=%d ok=%d errors=%d p50_ms=%.1f p95_ms=%.1f p99_ms=%.1f max_ms=%.1f%n", rate, total,
                okCount, total - okCount, ms(sorted, 0.50), ms(sorted, 0.95), ms(sorted, 0.99), sorted[total - 1] / 1e6);
        System.exit(0);
    }

    private static double ms(long[] sorted, double quantile) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(quantile * sorted.length) - 1)] / 1e6;
    }
}
