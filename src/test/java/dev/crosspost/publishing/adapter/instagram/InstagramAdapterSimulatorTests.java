package dev.crosspost.publishing.adapter.instagram;

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

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The contract against the app's own Instagram simulator, with its faults set over {@code /sandbox/faults}. */
@SimulatorContractTest
class InstagramAdapterSimulatorTests extends InstagramAdapterContract {

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
    void newerReelFollows() {
        String mine = caption;
        caption = "Another Reel " + UUID.randomUUID();
        InstagramAdapter adapter = adapter(SETTINGS);
        RecordingContext context = new RecordingContext(Duration.ofSeconds(10));
        Map<String, String> outputs = finishedContainer(adapter, context);
        assertThat(adapter.run(step(adapter, "publish"), request(caption, List.of(video), outputs, TOKEN), context))
                .isInstanceOf(StepResult.Done.class);
        caption = mine;
    }

    @Override
    String baseUrl() {
        return "http://127.0.0.1:" + port + "/sandbox/instagram";
    }

    @Override
    void processingFinishes() {
        clock.advance(Duration.ofMinutes(11));
    }

    @Override
    void nextPublishThrottled(int minutes) {
        faults.set("{\"platform\":\"instagram\",\"rateLimitRate\":1.0,\"retryAfterSeconds\":" + minutes * 60 + "}");
    }

    @Override
    void nextPublishAnswersAfter(Duration hang) {
        faults.set("{\"platform\":\"instagram\",\"timeoutAfterCommitRate\":1.0,\"hangMs\":" + hang.toMillis() + "}");
    }

    @Override
    void nextPublishFailsOnTheServer() {
        faults.set("{\"platform\":\"instagram\",\"errorRate\":1.0}");
    }

    @Override
    void nextPublishConnectionReset() {
        faults.set("{\"platform\":\"instagram\",\"resetRate\":1.0}");
    }

    @Override
    void uploadedVideoIsUnplayable() {
        // the simulator finds no MP4 header in the bytes by itself
    }

    @Override
    void captionTooLongIsRefused() {
        // the simulator refuses captions over 2200 characters by itself
    }

    @Override
    long published(String caption) {
        return records.accepted("instagram").stream().filter(p -> p.text().equals(caption)).count();
    }
}
