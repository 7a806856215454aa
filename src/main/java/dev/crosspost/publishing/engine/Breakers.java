package dev.crosspost.publishing.engine;

import dev.crosspost.publishing.PlatformsSettings;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

import java.util.Map;
import java.util.TreeMap;

/**
 * One Resilience4j circuit breaker per platform. An open breaker defers work instead of failing it; half-open lets
 * a few probes through. States show in health ({@code breakers}) and in metrics.
 */
@Component("breakersHealthIndicator")
class Breakers implements HealthIndicator {

    private final Map<String, CircuitBreaker> byPlatform = new TreeMap<>();
    private final PlatformsSettings settings;

    Breakers(CircuitBreakerRegistry registry, PlatformsSettings settings, MeterRegistry meters) {
        this.settings = settings;
        settings.platforms().forEach((name, p) -> {
            PlatformsSettings.Breaker b = p.breaker();
            CircuitBreaker breaker = registry.circuitBreaker("platform-" + name, CircuitBreakerConfig.custom()
                    .failureRateThreshold(b.failureRatePercent())
                    .slidingWindowSize(b.window())
                    .minimumNumberOfCalls(Math.min(b.minimumCalls(), b.window()))
                    .waitDurationInOpenState(b.openFor())
                    .permittedNumberOfCallsInHalfOpenState(b.halfOpenProbes())
                    .automaticTransitionFromOpenToHalfOpenEnabled(true)
                    .build());
            byPlatform.put(name, breaker);
            Gauge.builder("crosspost_breaker_state", breaker, Breakers::level)
                    .description("0 closed, 1 half-open, 2 open").tag("platform", name).register(meters);
        });
    }

    CircuitBreaker of(String platform) {
        CircuitBreaker breaker = byPlatform.get(platform);
        if (breaker == null) {
            throw new IllegalArgumentException("no breaker for platform " + platform);
        }
        return breaker;
    }

    java.time.Duration openFor(String platform) {
        return settings.platform(platform).breaker().openFor();
    }

    /** Current state per platform, for the API and dashboard. */
    Map<String, String> states() {
        Map<String, String> states = new TreeMap<>();
        byPlatform.forEach((name, b) -> states.put(name, b.getState().name().toLowerCase(java.util.Locale.ROOT)));
        return states;
    }

    @Override
    public Health health() {
        // one platform's outage is not the app's: stay UP and show each breaker
        return Health.up().withDetails(Map.copyOf(states())).build();
    }

    private static double level(CircuitBreaker breaker) {
        return switch (breaker.getState()) {
            case CLOSED, DISABLED, METRICS_ONLY -> 0;
            case HALF_OPEN -> 1;
            case OPEN, FORCED_OPEN -> 2;
        };
    }
}
