package dev.crosspost.publishing.adapter.bluesky;

import dev.crosspost.sandbox.RecordedPost;
import dev.crosspost.sandbox.SandboxRecords;
import dev.crosspost.support.CrosspostIntegrationTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link BlueskyAdapter} against the app's simulated PDS, with faults injected through {@code /sandbox/faults}. */
@CrosspostIntegrationTest
class BlueskyAdapterSimulatorTests extends BlueskyAdapterContract {

    @LocalServerPort int port;
    @Autowired SandboxRecords records;

    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    @AfterEach
    void clearFaults() throws Exception {
        http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/sandbox/faults")).DELETE().build(),
                HttpResponse.BodyHandlers.discarding());
    }

    private void fault(String json) {
        try {
            var response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/sandbox/faults"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
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
        fault("{\"platform\":\"bluesky\",\"rateLimitRate\":1.0,\"retryAfterSeconds\":" + seconds + "}");
    }

    @Override
    void commitButHangNextPost(String rkey) {
        fault("{\"platform\":\"bluesky\",\"timeoutAfterCommitRate\":1.0,\"hangMs\":2500}");
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
