package dev.crosspost.generation.internal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The caption cache: memory always, Redis when configured, memory alone while Redis is down. */
class CaptionCacheUnitTests {

    @Test
    void memoryOnlyWithoutRedis() {
        try (var cache = new CaptionCache(Duration.ofHours(1), 10, null, Clock.systemUTC())) {
            assertThat(cache.get("k")).isEmpty();
            cache.put("k", "v");
            assertThat(cache.get("k")).contains("v");
            assertThat(cache.redisAvailable()).isFalse();
        }
    }

    @Test
    void anUnreachableRedisFallsBackToMemory() {
        // port 1 refuses connections at once
        try (var cache = new CaptionCache(Duration.ofHours(1), 10, "redis://127.0.0.1:1", Clock.systemUTC())) {
            cache.put("k", "v");
            assertThat(cache.get("k")).contains("v");
            assertThat(cache.redisAvailable()).isFalse();
        }
    }

    @Test
    @EnabledIfEnvironmentVariable(named = "CROSSPOST_TEST_REDIS_URL", matches = "redis.+")
    void twoNodesShareCaptionsThroughRedis() {
        String url = System.getenv("CROSSPOST_TEST_REDIS_URL");
        String key = "test-" + UUID.randomUUID();
        try (var one = new CaptionCache(Duration.ofMinutes(1), 10, url, Clock.systemUTC());
             var two = new CaptionCache(Duration.ofMinutes(1), 10, url, Clock.systemUTC())) {
            assertThat(one.redisAvailable()).isTrue();
            one.put(key, "{\"x\":1}");
            assertThat(two.get(key)).contains("{\"x\":1}");
        }
    }

    @Test
    @EnabledIfEnvironmentVariable(named = "CROSSPOST_TEST_REDIS_URL", matches = "redis.+")
    void whenRedisDropsTheNodeCarriesOnFromMemory() throws Exception {
        URI redis = URI.create(System.getenv("CROSSPOST_TEST_REDIS_URL"));
        try (var proxy = new Proxy(redis.getHost(), redis.getPort() < 0 ? 6379 : redis.getPort());
             var cache = new CaptionCache(Duration.ofMinutes(1), 10, "redis://127.0.0.1:" + proxy.port(), Clock.systemUTC())) {
            String before = "before-" + UUID.randomUUID();
            cache.put(before, "1");
            assertThat(cache.redisAvailable()).isTrue();

            proxy.close();
            String after = "after-" + UUID.randomUUID();
            cache.put(after, "2");

            assertThat(cache.get(before)).contains("1");
            assertThat(cache.get(after)).contains("2");
            assertThat(cache.redisAvailable()).isFalse();
        }
    }

    /** A TCP pass-through to Redis that can be cut, as a network drop would. */
    private static final class Proxy implements AutoCloseable {
        private final ServerSocket server = new ServerSocket(0);
        private final List<Socket> sockets = new CopyOnWriteArrayList<>();

        Proxy(String host, int port) throws IOException {
            Thread.ofVirtual().start(() -> {
                while (!server.isClosed()) {
                    try {
                        Socket client = server.accept();
                        Socket upstream = new Socket(host, port);
                        sockets.add(client);
                        sockets.add(upstream);
                        pump(client, upstream);
                        pump(upstream, client);
                    } catch (IOException e) {
                        return;
                    }
                }
            });
        }

        int port() {
            return server.getLocalPort();
        }

        private static void pump(Socket from, Socket to) {
            Thread.ofVirtual().start(() -> {
                try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                    in.transferTo(out);
                } catch (IOException e) {
                    // cut
                }
            });
        }

        @Override
        public void close() throws IOException {
            server.close();
            for (Socket s : sockets) {
                s.close();
            }
        }
    }
}
