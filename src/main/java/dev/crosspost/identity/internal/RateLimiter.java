package dev.crosspost.identity.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.distributed.BucketProxy;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.jdbc.PrimaryKeyMapper;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.distributed.proxy.RemoteBucketBuilder;
import io.github.bucket4j.distributed.proxy.optimization.DelayParameters;
import io.github.bucket4j.distributed.proxy.optimization.Optimizations;
import io.github.bucket4j.distributed.proxy.ExpiredEntriesCleaner;
import io.github.bucket4j.postgresql.Bucket4jPostgreSQL;
import org.jspecify.annotations.Nullable;
import org.springframework.http.server.PathContainer;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

import javax.sql.DataSource;
import java.time.Duration;
import java.util.List;

/**
 * Token buckets per caller and route class in PostgreSQL (shared by every node), kept cheap on the hot path: each
 * bucket's proxy lives in a local cache and consumes locally, syncing with PostgreSQL after a share of its limit or
 * {@link #SYNC_EVERY}, whichever comes first (Bucket4j's delaying optimization). Tight limits (under 20 per period)
 * sync on every request, so they are exact; big limits may overshoot by a few percent per node between syncs.
 */
final class RateLimiter {

    static final Duration SYNC_EVERY = Duration.ofMillis(500);
    private static final long MAX_UNSYNCED = 100;

    /** One route class and the patterns that select it; a reads-only class selects only GET and HEAD requests. */
    record RouteClass(String name, IdentitySettings.Limit limit, List<PathPattern> patterns, boolean readsOnly) {
        boolean matches(String method, PathContainer path) {
            return (!readsOnly || method.equals("GET") || method.equals("HEAD")) && patterns.stream().anyMatch(p -> p.matches(path));
        }
    }

    /** The outcome for one request, with what the headers report. */
    record Decision(boolean allowed, long limit, long remaining, long resetSeconds, long retryAfterSeconds) {
    }

    private final ProxyManager<String> buckets;
    private final ExpiredEntriesCleaner cleaner;
    private final List<RouteClass> specific;
    private final RouteClass general;
    private final Cache<String, BucketProxy> proxies = Caffeine.newBuilder()
            .expireAfterAccess(Duration.ofMinutes(15)).maximumSize(100_000).build();

    RateLimiter(DataSource dataSource, IdentitySettings.RateLimits settings) {
        var manager = Bucket4jPostgreSQL.selectForUpdateBasedBuilder(dataSource).primaryKeyMapper(PrimaryKeyMapper.STRING)
                .expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(Duration.ofMinutes(1)))
                .build();
        this.buckets = manager;
        this.cleaner = manager;
        // status first: its reads would otherwise fall into a class meant for the writes on the same paths
        this.specific = List.of(routeClass("status", settings.status(), true), routeClass("auth", settings.auth(), false),
                routeClass("ai", settings.ai(), false), routeClass("uploads", settings.uploads(), false));
        this.general = routeClass("general", settings.general(), false);
    }

    private static RouteClass routeClass(String name, IdentitySettings.Limit limit, boolean readsOnly) {
        PathPatternParser parser = PathPatternParser.defaultInstance;
        return new RouteClass(name, limit, limit.patterns().stream().map(parser::parse).toList(), readsOnly);
    }

    /**
     * The rest of an upload already counted when it started: the chunks of a resumable upload and the completion of
     * a presigned one. A 1 GB video sent in 8 MB chunks is 128 requests, and must not need 26 minutes of quota.
     */
    private static final List<PathPattern> CONTINUATIONS = List.of(PathPatternParser.defaultInstance.parse("/api/v1/assets/uploads/*"),
            PathPatternParser.defaultInstance.parse("/api/v1/assets/presigned/*/complete"));

    /** The route class of a request, or null when no limit applies to it. */
    @Nullable RouteClass classify(String method, String path) {
        PathContainer container = PathContainer.parsePath(path);
        if (!method.equals("GET") && !method.equals("HEAD") && CONTINUATIONS.stream().anyMatch(p -> p.matches(container))) {
            return null;
        }
        for (RouteClass c : specific) {
            if (c.matches(method, container)) {
                return c;
            }
        }
        return general.matches(method, container) ? general : null;
    }

    Decision consume(RouteClass routeClass, String caller) {
        IdentitySettings.Limit limit = routeClass.limit();
        String key = "rl:" + routeClass.name() + ":" + caller;
        BucketProxy bucket = proxies.get(key, k -> build(k, limit));
        ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
        long reset = seconds(probe.getNanosToWaitForReset());
        if (probe.isConsumed()) {
            return new Decision(true, limit.max(), probe.getRemainingTokens(), reset, 0);
        }
        return new Decision(false, limit.max(), 0, reset, Math.max(1, seconds(probe.getNanosToWaitForRefill())));
    }

    private BucketProxy build(String key, IdentitySettings.Limit limit) {
        BucketConfiguration config = BucketConfiguration.builder()
                .addLimit(b -> b.capacity(limit.max()).refillIntervally(limit.max(), limit.window()))
                .build();
        RemoteBucketBuilder<String> builder = buckets.builder();
        long unsynced = Math.min(MAX_UNSYNCED, limit.max() / 20);
        if (unsynced >= 1) {
            builder = builder.withOptimization(Optimizations.delaying(new DelayParameters(unsynced, SYNC_EVERY)));
        }
        return builder.build(key, () -> config);
    }

    /** Deletes buckets that have refilled completely (they would start full anyway). */
    int sweep() {
        return cleaner.removeExpired(1000);
    }

    private static long seconds(long nanos) {
        return (nanos + 999_999_999L) / 1_000_000_000L;
    }
}
