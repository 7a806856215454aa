package dev.crosspost.generation.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SetArgs;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Captions by content hash. Always in memory (Caffeine); with Redis configured, Redis is read first and written
 * too, so every node shares the results. When Redis stops answering, the node carries on with memory alone and
 * tries Redis again after a pause; the first failure is logged, not every one.
 */
final class CaptionCache implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(CaptionCache.class);
    private static final String PREFIX = "crosspost:captions:";
    private static final Duration RETRY_REDIS_AFTER = Duration.ofSeconds(30);

    private final Cache<String, String> local;
    private final Duration ttl;
    private final @Nullable RedisClient redis;
    private final Clock clock;
    private @Nullable StatefulRedisConnection<String, String> connection;
    private Instant redisDownUntil = Instant.EPOCH;
    private boolean reportedDown;

    CaptionCache(Duration ttl, long size, @Nullable String redisUrl, Clock clock) {
        this.local = Caffeine.newBuilder().expireAfterWrite(ttl).maximumSize(size).build();
        this.ttl = ttl;
        this.clock = clock;
        if (redisUrl == null || redisUrl.isBlank()) {
            this.redis = null;
        } else {
            RedisURI uri = RedisURI.create(redisUrl);
            uri.setTimeout(Duration.ofSeconds(1));
            this.redis = RedisClient.create(uri);
            // a dropped Redis must fail calls at once, not queue them until it returns
            this.redis.setOptions(ClientOptions.builder()
                    .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                    .timeoutOptions(TimeoutOptions.enabled(Duration.ofSeconds(1)))
                    .build());
        }
    }

    Optional<String> get(String key) {
        String value = null;
        var conn = redis();
        if (conn != null) {
            try {
                value = conn.sync().get(PREFIX + key);
                if (value != null) {
                    local.put(key, value);
                }
            } catch (RuntimeException e) {
                down(e);
            }
        }
        return Optional.ofNullable(value != null ? value : local.getIfPresent(key));
    }

    void put(String key, String value) {
        local.put(key, value);
        var conn = redis();
        if (conn != null) {
            try {
                conn.sync().set(PREFIX + key, value, SetArgs.Builder.ex(ttl));
            } catch (RuntimeException e) {
                down(e);
            }
        }
    }

    /** Whether Redis is in use and answering right now. */
    boolean redisAvailable() {
        return redis() != null;
    }

    private synchronized @Nullable StatefulRedisConnection<String, String> redis() {
        if (redis == null || clock.instant().isBefore(redisDownUntil)) {
            return null;
        }
        if (connection == null || !connection.isOpen()) {
            try {
                connection = redis.connect();
            } catch (RuntimeException e) {
                down(e);
                return null;
            }
        }
        if (reportedDown) {
            reportedDown = false;
            log.info("Redis caption cache is reachable again");
        }
        return connection;
    }

    private synchronized void down(RuntimeException e) {
        redisDownUntil = clock.instant().plus(RETRY_REDIS_AFTER);
        if (!reportedDown) {
            reportedDown = true;
            log.warn("Redis caption cache unavailable ({}); using the in-memory cache and retrying Redis every {} s",
                    e.getClass().getSimpleName(), RETRY_REDIS_AFTER.toSeconds());
        }
    }

    @Override
    public void close() {
        if (connection != null) {
            connection.close();
        }
        if (redis != null) {
            redis.shutdown();
        }
    }
}
