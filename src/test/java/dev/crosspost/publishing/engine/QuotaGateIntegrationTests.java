package dev.crosspost.publishing.engine;

import dev.crosspost.support.CrosspostIntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.ActiveProfiles;

import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** The shared buckets on PostgreSQL under concurrent use, and live platform signals tightening them. */
@CrosspostIntegrationTest
@ActiveProfiles("engine")
class QuotaGateIntegrationTests {

    @Autowired QuotaGate gate;

    @Test
    void concurrentTakersNeverGetMoreThanTheLimit() throws Exception {
        // several fresh buckets: the first takes on a bucket race to create its row
        for (int round = 0; round < 10; round++) {
            String account = "burst-" + UUID.randomUUID();
            try (var pool = Executors.newFixedThreadPool(16)) {
                var takes = IntStream.range(0, 40).mapToObj(i -> pool.submit(() -> gate.take("gamma", account))).toList();
                long granted = 0;
                for (var take : takes) {
                    if (take.get() instanceof QuotaGate.Decision.Granted) {
                        granted++;
                    }
                }
                assertThat(granted).as("round %d", round).isEqualTo(1); // gamma: 1 per hour in the engine profile
            }
        }
    }

    @Test
    void aBurstOfObservationsTightensWithoutEmptyingTheBucket() throws Exception {
        String account = "observed-" + UUID.randomUUID();
        assertThat(gate.take("alpha", account)).isInstanceOf(QuotaGate.Decision.Granted.class);
        try (var pool = Executors.newFixedThreadPool(16)) {
            // 20 responses in flight at once, each saying 900 remain (the bucket holds 999)
            IntStream.range(0, 20).forEach(i -> pool.submit(() -> gate.observe("alpha", account, 900, Instant.now().plusSeconds(3600))));
        }
        long grantedAfter = IntStream.range(0, 50).filter(i -> gate.take("alpha", account) instanceof QuotaGate.Decision.Granted).count();
        assertThat(grantedAfter).isEqualTo(50);
    }

    @Test
    void remainingZeroBlocksTheAccountUntilThePlatformsReset() {
        String account = "spent-" + UUID.randomUUID();
        Instant reset = Instant.now().plusSeconds(120);
        gate.observe("alpha", account, 0, reset);

        var decision = gate.take("alpha", account);
        assertThat(decision).isInstanceOfSatisfying(QuotaGate.Decision.Wait.class,
                w -> assertThat(w.until()).isCloseTo(reset, within()));
        assertThat(gate.take("alpha", "someone-else-" + UUID.randomUUID())).isInstanceOf(QuotaGate.Decision.Granted.class);
    }

    private static org.assertj.core.data.TemporalUnitOffset within() {
        return new org.assertj.core.data.TemporalUnitWithinOffset(1, java.time.temporal.ChronoUnit.MILLIS);
    }
}
