package dev.crosspost.generation.internal;

import dev.crosspost.generation.GenerationSettings;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TokensInheritanceStrategy;
import io.github.bucket4j.distributed.jdbc.PrimaryKeyMapper;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.postgresql.Bucket4jPostgreSQL;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import org.jspecify.annotations.Nullable;

import javax.sql.DataSource;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * The rate limit and circuit breaker in front of one external service (OpenAI-compatible model, HeyGen), built the
 * way the publishing engine gates platforms: a token bucket in PostgreSQL shared by every node, taken right before
 * the call, and a Resilience4j breaker that defers work while the service is failing.
 */
final class ServiceGate {

    private final String name;
    private final ProxyManager<String> buckets;
    private final BucketConfiguration bucket;
    private final CircuitBreaker breaker;
    private final Clock clock;
    // the bucket keeps the configuration it was made with; this gate's creation as the version lets the most recently
    // started node's limit replace an older one, keeping what was used (a lowered limit caps what is left)
    private final long configurationVersion;

    ServiceGate(String name, DataSource dataSource, GenerationSettings.RateLimit limit, GenerationSettings.Breaker b,
                CircuitBreakerRegistry registry, Clock clock) {
        this.name = name;
        this.buckets = Bucket4jPostgreSQL.selectForUpdateBasedBuilder(dataSource).primaryKeyMapper(PrimaryKeyMapper.STRING).build();
        // intervally: providers count fixed windows per minute
        this.bucket = BucketConfiguration.builder()
                .addLimit(Bandwidth.builder().capacity(limit.limit()).refillIntervally(limit.limit(), limit.period()).build())
                .build();
        this.breaker = registry.circuitBreaker("generation-" + name, CircuitBreakerConfig.custom()
                .failureRateThreshold(b.failureRatePercent())
                .slidingWindowSize(b.window())
                .minimumNumberOfCalls(Math.min(b.minimumCalls(), b.window()))
                .waitDurationInOpenState(b.openFor())
                .permittedNumberOfCallsInHalfOpenState(1)
                .automaticTransitionFromOpenToHalfOpenEnabled(true)
                .build());
        this.clock = clock;
        this.configurationVersion = clock.millis();
    }

    /** Null when the call may go now; else when to try again. A granted call must report with {@link #succeeded}/{@link #failed}. */
    @Nullable Instant enter() {
        if (!breaker.tryAcquirePermission()) {
            return clock.instant().plusMillis(breaker.getCircuitBreakerConfig().getWaitIntervalFunctionInOpenState().apply(1));
        }
        ConsumptionProbe probe = buckets.builder()
                .withImplicitConfigurationReplacement(configurationVersion, TokensInheritanceStrategy.ADDITIVE)
                .build("generation:" + name, () -> bucket).tryConsumeAndReturnRemaining(1);
        if (!probe.isConsumed()) {
            breaker.releasePermission();
            return clock.instant().plusNanos(probe.getNanosToWaitForRefill());
        }
        return null;
    }

    void succeeded() {
        breaker.onSuccess(0, TimeUnit.NANOSECONDS);
    }

    void failed(Throwable why) {
        breaker.onError(0, TimeUnit.NANOSECONDS, why);
    }

    String name() {
        return name;
    }
}
