package dev.crosspost.publishing.adapter.x;

import dev.crosspost.publishing.adapter.PublishRequest;
import dev.crosspost.publishing.adapter.SandboxFaults;
import dev.crosspost.publishing.adapter.StepResult;
import dev.crosspost.sandbox.RecordedPost;
import dev.crosspost.sandbox.SandboxRecords;
import dev.crosspost.publishing.adapter.SimulatorContractTest;
import dev.crosspost.support.ShiftedClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link XAdapter} against the app's X simulator, with faults injected through {@code /sandbox/faults}. */
@SimulatorContractTest
class XAdapterSimulatorTests extends XAdapterContract {

    @LocalServerPort int port;
    @Autowired SandboxRecords records;
    @Autowired ShiftedClock clock;

    @BeforeEach
    @AfterEach
    void clearFaults() {
        new SandboxFaults(port).clear();
    }

    @Override
    Clock adapterClock() {
        return clock;
    }

    @Override
    void timelineHoldsOnlyOldPosts() {
        newerPostsFollow(6);
        clock.advance(Duration.ofMinutes(10));
    }

    @Override
    String baseUrl() {
        return "http://127.0.0.1:" + port + "/sandbox/x";
    }

    @Override
    String token() {
        return "sandbox-token";
    }

    @Override
    String revokedToken() {
        return "a-token-nobody-issued";
    }

    @Override
    void rateLimitNextPost(int seconds) {
        new SandboxFaults(port).set("{\"platform\":\"x\",\"rateLimitRate\":1.0,\"retryAfterSeconds\":" + seconds + "}");
    }

    @Override
    void commitButHangNextPost(String text) {
        new SandboxFaults(port).set("{\"platform\":\"x\",\"timeoutAfterCommitRate\":1.0,\"hangMs\":2500}");
    }

    @Override
    void newerPostsFollow(int count) {
        XAdapter x = adapter();
        for (int i = 0; i < count; i++) {
            PublishRequest request = request("newer " + UUID.randomUUID(), List.of(), token());
            assertThat(x.run(x.steps(request).getFirst(), request, context(Duration.ofSeconds(10)))).isInstanceOf(StepResult.Done.class);
        }
    }

    @Override
    long requestsSeen() {
        // every request the adapter could make either records a post or leaves media behind; none of it may change
        return records.accepted("x").size();
    }

    @Override
    void assertPostedOnce(String text) {
        assertThat(records.accepted("x").stream().map(RecordedPost::text).filter(text::equals)).hasSize(1);
    }
}
