package dev.crosspost.publishing.adapter.bluesky;

import dev.crosspost.publishing.adapter.SandboxFaults;
import dev.crosspost.sandbox.RecordedPost;
import dev.crosspost.sandbox.SandboxRecords;
import dev.crosspost.support.CrosspostIntegrationTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link BlueskyAdapter} against the app's simulated PDS, with faults injected through {@code /sandbox/faults}. */
@CrosspostIntegrationTest
class BlueskyAdapterSimulatorTests extends BlueskyAdapterContract {

    @LocalServerPort int port;
    @Autowired SandboxRecords records;

    @BeforeEach
    @AfterEach
    void clearFaults() {
        new SandboxFaults(port).clear();
    }

    @Override
    String baseUrl() {
        return "http://127.0.0.1:" + port + "/sandbox/bluesky";
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
        new SandboxFaults(port).set("{\"platform\":\"bluesky\",\"rateLimitRate\":1.0,\"retryAfterSeconds\":" + seconds + "}");
    }

    @Override
    void commitButHangNextPost(String rkey) {
        new SandboxFaults(port).set("{\"platform\":\"bluesky\",\"timeoutAfterCommitRate\":1.0,\"hangMs\":2500}");
    }

    @Override
    long requestsSeen() {
        return records.accepted("bluesky").size();
    }

    @Override
    void assertPostedOnce(String rkey) {
        assertThat(records.accepted("bluesky").stream().map(RecordedPost::clientRef).filter(rkey::equals)).hasSize(1);
        assertThat(records.duplicates("bluesky")).isZero();
    }
}
