package dev.crosspost.publishing.engine;

import dev.crosspost.publishing.PlatformsSettings;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TokensInheritanceStrategy;
import io.github.bucket4j.distributed.BucketProxy;
import io.github.bucket4j.distributed.jdbc.PrimaryKeyMapper;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.distributed.proxy.optimization.Optimizations;
import io.github.bucket4j.postgresql.Bucket4jPostgreSQL;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import javax.sql.DataSource;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * Publishing quotas planned ahead: a token bucket per (platform, account) and per platform app, in PostgreSQL so
 * every node shares them. With no token left the caller learns when the next one comes, and waits until then
 * instead of collecting a 429. Live platform signals block a key until the platform's own reset time.
 */
@Component
class QuotaGate {

    private final ProxyManager<String> buckets;
    private final PlatformsSettings settings;
    private final JdbcClient jdbc;
    private final Clock clock;
    private final MeterRegistry meters;
    // blocks are rare and read before every publish: each node rechecks the table at most once a second per key
    private final Cache<String, Instant> blocks = Caffeine.newBuilder().expireAfterWrite(java.time.Duration.ofSeconds(1))
            .maximumSize(100_000).build();
    // one proxy per bucket and quota, so that concurrent takes on a bucket share it and its batching
    private final Cache<String, BucketProxy> proxies = Caffeine.newBuilder().expireAfterAccess(java.time.Duration.ofMinutes(10))
            .maximumSize(100_000).build();
    // what this node's last take left in each account bucket: other nodes' takes and refills only ever make the
    // truth lower, or higher once a window passes, so a platform reporting at least this much needs no look
    private final Cache<String, Long> lastLeft = Caffeine.newBuilder().expireAfterWrite(java.time.Duration.ofMinutes(10))
            .maximumSize(100_000).build();

    // a bucket keeps the configuration it was made with; this node's start as the configuration's version lets the
    // quotas of the most recently started node replace older ones, once per bucket (see bucket(...))
    private final long configurationVersion;

    QuotaGate(DataSource dataSource, PlatformsSettings settings, JdbcClient jdbc, Clock clock, MeterRegistry meters) {
        this.buckets = Bucket4jPostgreSQL.selectForUpdateBasedBuilder(dataSource).primaryKeyMapper(PrimaryKeyMapper.STRING).build();
        this.settings = settings;
        this.jdbc = jdbc;
        this.clock = clock;
        this.meters = meters;
        this.configurationVersion = clock.millis();
    }

    /** The outcome of asking for one publish slot. */
    sealed interface Decision {
        record Granted() implements Decision {
        }

        record Wait(Instant until, String reason) implements Decision {
        }
    }

    static String accountKey(String platform, String account) {
        return "quota:" + platform + ":account:" + account;
    }

    static String appKey(String platform) {
        return "quota:" + platform + ":app";
    }

    static String readKey(String platform, String account) {
        return "quota:" + platform + ":reads:account:" + account;
    }

    /** One read token of the account's read bucket ({@link dev.crosspost.publishing.ReadQuotas}): never a publish token. */
    Decision takeRead(String platform, String account, PlatformsSettings.Quota quota) {
        Instant now = clock.instant();
        String key = readKey(platform, account);
        Instant blocked = blockedUntil(List.of(key), now);
        if (blocked != null) {
            return new Decision.Wait(blocked, "platform refused reads until " + blocked);
        }
        ConsumptionProbe probe = bucket(key, quota).tryConsumeAndReturnRemaining(1);
        return probe.isConsumed() ? new Decision.Granted()
                : new Decision.Wait(now.plusNanos(probe.getNanosToWaitForRefill()), "read quota of " + quota.limit() + " per " + quota.period() + " used");
    }

    Decision take(String platform, String account) {
        Instant now = clock.instant();
        Instant blocked = blockedUntil(List.of(accountKey(platform, account), appKey(platform)), now);
        if (blocked != null) {
            return waitFor(platform, blocked, "platform reported its quota used up until " + blocked);
        }
        PlatformsSettings.Platform p = settings.platform(platform);
        String key = accountKey(platform, account);
        BucketProxy accountBucket = bucket(key, p.quota());
        ConsumptionProbe probe = accountBucket.tryConsumeAndReturnRemaining(1);
        lastLeft.put(key, probe.getRemainingTokens());
        if (!probe.isConsumed()) {
            return waitFor(platform, now.plusNanos(probe.getNanosToWaitForRefill()),
                    "account quota of " + p.quota().limit() + " per " + p.quota().period() + " used");
        }
        if (p.appQuota() != null) {
            ConsumptionProbe app = bucket(appKey(platform), p.appQuota()).tryConsumeAndReturnRemaining(1);
            if (!app.isConsumed()) {
                accountBucket.addTokens(1);
                return waitFor(platform, now.plusNanos(app.getNanosToWaitForRefill()),
                        "app quota of " + p.appQuota().limit() + " per " + p.appQuota().period() + " used");
            }
        }
        return new Decision.Granted();
    }

    /**
     * A platform said how much quota is left. With none left, the key is blocked until the platform's reset. With
     * less left than the bucket holds, one extra token is taken per observation: many responses arrive at once,
     * and draining the whole difference on each (read, then consume) would empty the bucket many times over.
     * A report of at least what this node's last take left needs no database look: the bucket is already as tight.
     */
    void observe(String platform, String account, long remaining, Instant resetsAt) {
        String key = accountKey(platform, account);
        if (remaining <= 0) {
            blockUntil(key, resetsAt);
            return;
        }
        Long left = lastLeft.getIfPresent(key);
        if (left != null && left <= remaining) {
            return;
        }
        BucketProxy bucket = bucket(key, settings.platform(platform).quota());
        if (bucket.getAvailableTokens() > remaining) {
            bucket.tryConsumeAsMuchAsPossible(1);
        }
    }

    /** A 429 that happened anyway (another client on the account): nobody sends to this account until then. */
    void blockUntil(String key, Instant until) {
        jdbc.sql("""
                        INSERT INTO quota_blocks (key, until) VALUES (:key, :until)
                        ON CONFLICT (key) DO UPDATE SET until = GREATEST(quota_blocks.until, EXCLUDED.until)""")
                .param("key", key).param("until", java.sql.Timestamp.from(until)).update();
        blocks.asMap().merge(key, until, (a, b) -> a.isAfter(b) ? a : b);
    }

    private @Nullable Instant blockedUntil(List<String> keys, Instant now) {
        Instant latest = null;
        for (String key : keys) {
            Instant until = blocks.get(key, k -> jdbc.sql("SELECT until FROM quota_blocks WHERE key = :key")
                    .param("key", k).query((rs, n) -> rs.getTimestamp(1).toInstant()).optional().orElse(Instant.EPOCH));
            if (until.isAfter(now) && (latest == null || until.isAfter(latest))) {
                latest = until;
            }
        }
        return latest;
    }

    /** Tokens left in a bucket that has been used; empty when it never was (so it is full). */
    java.util.Optional<Long> available(String key, PlatformsSettings.Quota quota) {
        if (buckets.getProxyConfiguration(key).isEmpty()) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(bucket(key, quota).getAvailableTokens());
    }

    private Decision waitFor(String platform, Instant until, String reason) {
        meters.counter("crosspost_quota_waits_total", "platform", platform).increment();
        return new Decision.Wait(until, reason);
    }

    /**
     * Takes on one bucket row queue on its lock (select for update, update, commit). Batching sends the takes that
     * arrive while one is in flight together as one command, so a busy bucket costs one locked round trip per batch
     * instead of one per publication, and every take is still counted exactly. A batch sent before the bucket's
     * row exists fails with BucketNotFoundException instead of creating it, so the first use on this node makes the
     * row unbatched. That first use also puts this node's quota into a bucket made under an older configuration:
     * what was already used stays used (a raised limit adds the difference, a lowered one caps what is left).
     */
    private BucketProxy bucket(String key, PlatformsSettings.Quota quota) {
        return proxies.get(key + "|" + quota.limit() + "/" + quota.period(), k -> {
            buckets.builder().withImplicitConfigurationReplacement(configurationVersion, TokensInheritanceStrategy.ADDITIVE)
                    .build(key, () -> config(quota)).getAvailableTokens();
            return buckets.builder().withOptimization(Optimizations.batching()).build(key, () -> config(quota));
        });
    }

    private static BucketConfiguration config(PlatformsSettings.Quota quota) {
        // intervally, not greedy: platforms count fixed windows, so tokens come back all at once
        return BucketConfiguration.builder()
                .addLimit(Bandwidth.builder().capacity(quota.limit()).refillIntervally(quota.limit(), quota.period()).build())
                .build();
    }
}
