package dev.crosspost.publishing.adapter.pinterest;

import dev.crosspost.publishing.adapter.RecordingContext;
import dev.crosspost.publishing.adapter.SandboxFaults;
import dev.crosspost.publishing.adapter.SimulatorContractTest;
import dev.crosspost.publishing.adapter.StepResult;
import dev.crosspost.sandbox.SandboxRecords;
import dev.crosspost.support.ShiftedClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The contract against the app's own Pinterest simulator, with its faults set over {@code /sandbox/faults}. */
@SimulatorContractTest
class PinterestAdapterSimulatorTests extends PinterestAdapterContract {

    @LocalServerPort int port;
    @Autowired SandboxRecords records;
    @Autowired ShiftedClock clock;
    private SandboxFaults faults;

    @BeforeEach
    @AfterEach
    void clearFaults() {
        faults = new SandboxFaults(port);
        faults.clear();
    }

    @Override
    String baseUrl() {
        return "http://127.0.0.1:" + port + "/sandbox/pinterest";
    }

    @Override
    Clock adapterClock() {
        return clock;
    }

    @Override
    void boardHoldsOnlyOldPins() {
        clock.advance(Duration.ofMinutes(10));
    }

    @Override
    void processingFinishes() {
        clock.advance(Duration.ofMinutes(11));
    }

    @Override
    void nextPinThrottled(int seconds) {
        faults.set("{\"platform\":\"pinterest\",\"rateLimitRate\":1.0,\"retryAfterSeconds\":" + seconds + "}");
    }

    @Override
    void nextPinAnswersAfter(Duration hang) {
        faults.set("{\"platform\":\"pinterest\",\"timeoutAfterCommitRate\":1.0,\"hangMs\":" + hang.toMillis() + "}");
    }

    @Override
    void nextPinFailsOnTheServer() {
        faults.set("{\"platform\":\"pinterest\",\"errorRate\":1.0}");
    }

    @Override
    void nextPinConnectionReset() {
        faults.set("{\"platform\":\"pinterest\",\"resetRate\":1.0}");
    }

    @Override
    void uploadedVideoIsUnplayable() {
        // the simulator finds no MP4 header in the bytes by itself
    }

    @Override
    void longDescriptionIsRefused() {
        // the simulator refuses descriptions over 800 characters by itself
    }

    @Override
    void anotherPinIsOnTheBoard() {
        String mine = key;
        key = "other-" + UUID.randomUUID();
        PinterestAdapter adapter = adapter(SETTINGS);
        RecordingContext context = new RecordingContext(Duration.ofSeconds(10));
        Map<String, String> outputs = processedVideo(adapter, context);
        assertThat(run(adapter, "publish", description, outputs, context)).isInstanceOf(StepResult.Done.class);
        key = mine;
    }

    @Override
    long pinned(String key) {
        return records.accepted("pinterest").stream().filter(p -> key.equals(p.clientRef())).count();
    }
}
