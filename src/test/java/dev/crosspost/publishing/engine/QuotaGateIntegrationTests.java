package dev.crosspost.publishing.engine;

import dev.crosspost.publishing.PlatformsSettings;
import dev.crosspost.support.CrosspostIntegrationTest;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;

import javax.sql.DataSource;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** The shared buckets on PostgreSQL under concurrent use, and live platform signals tightening them. */
@CrosspostIntegrationTest
@ActiveProfiles("engine")
class QuotaGateIntegrationTests {

    @Autowired QuotaGate gate;
    @Autowired DataSource dataSource;
    @Autowired PlatformsSettings settings;
    @Autowired JdbcClient jdbc;
    @Autowired Clock clock;
    @Autowired MeterRegistry meters;

    @Test
    void concurrentTakersNeverGetMoreThanTheLimit() throws Exception {
        // several fresh buckets: the first takes on a bucket race to create its row
        for (int round = 0; round < 10; round++) {
            String account = "burst-" + UUID.randomUUID();
            assertThat(grantedOf40Concurrent(i -> gate.take("gamma", account))).as("round %d", round)
                    .isEqualTo(1); // gamma: 1 per hour in the engine profile
        }
    }

    @Test
    void aQuotaChangedInTheSettingsReachesBucketsMadeBeforeAndWhatWasUsedStaysUsed() {
        String account = "resized-" + UUID.randomUUID();
        assertThat(gate.take("gamma", account)).isInstanceOf(QuotaGate.Decision.Granted.class); // 1 per hour: used up
        assertThat(gate.take("gamma", account)).isInstanceOf(QuotaGate.Decision.Wait.class);

        // the app restarted with 3 per hour: the one used still counts, two are left
        QuotaGate raised = restartedWith(3, Duration.ofMinutes(1));
        assertThat(raised.take("gamma", account)).isInstanceOf(QuotaGate.Decision.Granted.class);
        assertThat(raised.take("gamma", account)).isInstanceOf(QuotaGate.Decision.Granted.class);
        assertThat(raised.take("gamma", account)).isInstanceOf(QuotaGate.Decision.Wait.class);

        // and again with 1 per hour: a lowered limit caps what is left (two left of 3 become one)
        String other = "lowered-" + UUID.randomUUID();
        assertThat(raised.take("gamma", other)).isInstanceOf(QuotaGate.Decision.Granted.class);
        QuotaGate lowered = restartedWith(1, Duration.ofMinutes(2));
        assertThat(lowered.take("gamma", other)).isInstanceOf(QuotaGate.Decision.Granted.class);
        assertThat(lowered.take("gamma", other)).isInstanceOf(QuotaGate.Decision.Wait.class);
        assertThat(lowered.take("gamma", account)).isInstanceOf(QuotaGate.Decision.Wait.class);
    }

    @Test
    void nodesTakingInTurnFromOneBucketNeverGetMoreThanItHolds() throws Exception {
        QuotaGate a = restartedWith(3, Duration.ZERO);
        QuotaGate b = restartedWith(3, Duration.ZERO);
        String account = "turns-" + UUID.randomUUID();
        assertThat(a.take("gamma", account)).isInstanceOf(QuotaGate.Decision.Granted.class);
        assertThat(b.take("gamma", account)).isInstanceOf(QuotaGate.Decision.Granted.class);
        assertThat(a.take("gamma", account)).isInstanceOf(QuotaGate.Decision.Granted.class);
        assertThat(b.take("gamma", account)).isInstanceOf(QuotaGate.Decision.Wait.class);
        assertThat(a.take("gamma", account)).isInstanceOf(QuotaGate.Decision.Wait.class);

        // and racing: two nodes, 16 threads, fresh buckets of 3
        for (int round = 0; round < 5; round++) {
            String raced = "raced-" + UUID.randomUUID();
            assertThat(grantedOf40Concurrent(i -> (i % 2 == 0 ? a : b).take("gamma", raced))).as("round %d", round).isEqualTo(3);
        }
    }

    @Test
    void tokensAddedByANodeWithALargerQuotaAreUsableFromEveryNode() {
        String account = "enlarged-" + UUID.randomUUID();
        QuotaGate a = restartedWith(1, Duration.ZERO);
        assertThat(a.take("gamma", account)).isInstanceOf(QuotaGate.Decision.Granted.class); // used up

        // a node started later with 3 per hour adds 2, and takes one of them
        QuotaGate b = restartedWith(3, Duration.ofMinutes(1));
        assertThat(b.take("gamma", account)).isInstanceOf(QuotaGate.Decision.Granted.class);

        // the earlier node takes the one left, and then both are refused
        assertThat(a.take("gamma", account)).isInstanceOf(QuotaGate.Decision.Granted.class);
        assertThat(a.take("gamma", account)).isInstanceOf(QuotaGate.Decision.Wait.class);
        assertThat(b.take("gamma", account)).isInstanceOf(QuotaGate.Decision.Wait.class);
    }

    /** 40 takes on 16 threads at once; how many were granted. */
    private static long grantedOf40Concurrent(java.util.function.IntFunction<QuotaGate.Decision> take) throws Exception {
        try (var pool = Executors.newFixedThreadPool(16)) {
            var takes = IntStream.range(0, 40).mapToObj(i -> pool.submit(() -> take.apply(i))).toList();
            long granted = 0;
            for (var t : takes) {
                if (t.get() instanceof QuotaGate.Decision.Granted) {
                    granted++;
                }
            }
            return granted;
        }
    }

    // a gate as a node started later would make it, with gamma's limit changed in its settings
    private QuotaGate restartedWith(long limit, Duration later) {
        Map<String, PlatformsSettings.Platform> platforms = new HashMap<>(settings.platforms());
        PlatformsSettings.Platform g = settings.platform("gamma");
        platforms.put("gamma", new PlatformsSettings.Platform(g.baseUrl(), new PlatformsSettings.Quota(limit, g.quota().period()),
                g.appQuota(), g.maxConcurrency(), g.stepTimeout(), g.retry(), g.breaker()));
        return new QuotaGate(dataSource, new PlatformsSettings(platforms), jdbc, Clock.offset(clock, later), meters);
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
