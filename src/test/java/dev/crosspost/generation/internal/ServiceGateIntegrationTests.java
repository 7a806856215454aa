package dev.crosspost.generation.internal;

import dev.crosspost.generation.GenerationSettings;
import dev.crosspost.generation.GenerationTestSetup;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import javax.sql.DataSource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The provider gate: a PostgreSQL token bucket shared by every gate of the same name, and a breaker that defers. */
@GenerationTestSetup
class ServiceGateIntegrationTests {

    @Autowired DataSource dataSource;
    @Autowired CircuitBreakerRegistry registry;
    @Autowired Clock clock;

    private ServiceGate gate(String name, long limit, int minimumCalls) {
        return gate(name, limit, minimumCalls, clock);
    }

    private ServiceGate gate(String name, long limit, int minimumCalls, Clock startedAt) {
        return new ServiceGate(name, dataSource, new GenerationSettings.RateLimit(limit, Duration.ofMinutes(1)),
                new GenerationSettings.Breaker(50, minimumCalls, minimumCalls, Duration.ofMinutes(2)), registry, startedAt);
    }

    @Test
    void aLimitChangedInTheSettingsReachesTheSharedBucketAndWhatWasUsedStaysUsed() {
        String name = "resized-" + UUID.randomUUID();
        ServiceGate before = gate(name, 1, 100);
        assertThat(before.enter()).isNull();
        assertThat(before.enter()).isNotNull();
        // a node started later with 3 a minute: the call made counts, two are left
        ServiceGate raised = gate(name, 3, 100, Clock.offset(clock, Duration.ofMinutes(1)));
        assertThat(raised.enter()).isNull();
        assertThat(raised.enter()).isNull();
        assertThat(raised.enter()).isNotNull();
    }

    @Test
    void theRateLimitIsSharedAndSaysWhenTheNextCallMayGo() {
        String name = "rl-" + UUID.randomUUID();
        ServiceGate nodeA = gate(name, 2, 100);
        ServiceGate nodeB = gate(name, 2, 100);
        assertThat(nodeA.enter()).isNull();
        assertThat(nodeB.enter()).isNull();
        Instant wait = nodeA.enter();
        assertThat(wait).isNotNull().isBetween(clock.instant().plusSeconds(30), clock.instant().plusSeconds(61));
    }

    @Test
    void anOpenBreakerDefersCallsForItsOpenTime() {
        ServiceGate gate = gate("br-" + UUID.randomUUID(), 1000, 2);
        for (int i = 0; i < 2; i++) {
            assertThat(gate.enter()).isNull();
            gate.failed(new IllegalStateException("503"));
        }
        Instant wait = gate.enter();
        assertThat(wait).isNotNull().isAfter(clock.instant().plusSeconds(100));
    }
}
