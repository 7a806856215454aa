package dev.crosspost.bench;

import dev.crosspost.publishing.adapter.PlatformAdapter;
import dev.crosspost.publishing.adapter.PublishRequest;
import dev.crosspost.publishing.adapter.StepContext;
import dev.crosspost.publishing.adapter.StepResult;
import dev.crosspost.publishing.adapter.generic.GenericPlatformAdapter;
import tools.jackson.databind.json.JsonMapper;

import java.lang.management.ManagementFactory;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The engine's platform call alone, for bench/engine.sh: the generic adapter's publish step against the app's own
 * simulators, with the HTTP client the app builds for it, from as many virtual threads as the engine has scheduler
 * threads, and no engine around it. What a call costs here is a floor under what a publication costs the engine.
 * <p>
 * Args: app base URL, calls, warm-up calls, concurrency. After the warm-up it prints {@code WARM} and waits for a line
 * on stdin, so the caller can read the app's CPU right before the timed calls. Last line:
 * {@code CALLS calls=<n> seconds=<s> per_s=<n> client_cpu_s=<s>} (this JVM's CPU over the timed calls).
 */
public final class AdapterCallBench {

    private static final List<String> PLATFORMS = List.of("gen-a", "gen-b", "gen-c", "gen-d", "gen-e", "gen-f");
    private static final StepContext CONTEXT = new StepContext() {
        @Override
        public Duration timeout() {
            return Duration.ofSeconds(30);
        }

        @Override
        public void quotaObserved(long remaining, Instant resetsAt) {
        }
    };

    private AdapterCallBench() {
    }

    public static void main(String[] args) throws Exception {
        String base = args[0];
        int calls = Integer.parseInt(args[1]);
        int warm = Integer.parseInt(args[2]);
        int concurrency = Integer.parseInt(args[3]);
        // as PlatformAdapters builds the generic adapters' client
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        JsonMapper json = JsonMapper.builder().build();
        // text posts never reach for media
        List<PlatformAdapter> adapters = PLATFORMS.stream().<PlatformAdapter>map(p ->
                new GenericPlatformAdapter(p, () -> base + "/sandbox/platforms/" + p, http, null, json)).toList();
        run(adapters, warm, concurrency);
        System.out.println("WARM");
        System.out.flush();
        new java.io.BufferedReader(new java.io.InputStreamReader(System.in)).readLine();
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpu0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        run(adapters, calls, concurrency);
        double seconds = (System.nanoTime() - t0) / 1e9;
        double cpu = (os.getProcessCpuTime() - cpu0) / 1e9;
        System.out.printf(java.util.Locale.ROOT, "CALLS calls=%d seconds=%.3f per_s=%.1f client_cpu_s=%.3f%n", calls, seconds, calls / seconds, cpu);
    }

    /** Makes {@code calls} publish calls spread over the platforms; fails unless every one is done. */
    private static void run(List<PlatformAdapter> adapters, int calls, int concurrency) throws InterruptedException {
        AtomicInteger next = new AtomicInteger();
        Map<String, Integer> failures = new ConcurrentHashMap<>();
        try (var workers = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int w = 0; w < concurrency; w++) {
                workers.submit(() -> {
                    for (int i = next.getAndIncrement(); i < calls; i = next.getAndIncrement()) {
                        PlatformAdapter adapter = adapters.get(i % adapters.size());
                        String key = "cp-" + UUID.randomUUID();
                        var request = new PublishRequest(UUID.randomUUID(), key, adapter.platform(), "bench", "call bench " + i,
                                List.of(), Map.of(), "sandbox-token", "bench", null);
                        StepResult result = adapter.run(adapter.steps(request).getFirst(), request, CONTEXT);
                        if (!(result instanceof StepResult.Done)) {
                            failures.merge(result.toString(), 1, Integer::sum);
                        }
                    }
                });
            }
        }
        if (!failures.isEmpty()) {
            throw new IllegalStateException("calls that did not go through: " + failures);
        }
    }
}
