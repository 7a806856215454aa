package dev.crosspost.generation.internal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

import java.time.Clock;
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
}
