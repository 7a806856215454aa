package dev.crosspost.publishing.adapter.tiktok;

import dev.crosspost.sandbox.RecordedPost;
import dev.crosspost.sandbox.SandboxRecords;
import dev.crosspost.support.CrosspostIntegrationTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The TikTok contract against the app's own simulator under {@code /sandbox/tiktok}, with its injected faults. */
@CrosspostIntegrationTest
class TikTokAdapterSimulatorTests extends TikTokAdapterContract {

    @LocalServerPort int port;
    @Autowired SandboxRecords records;

    @BeforeEach
    @AfterEach
    void clean() {
        send("DELETE", "/sandbox/faults", null);
        send("DELETE", "/sandbox/tiktok/controls", null);
    }

    @Override
    String baseUrl() {
        return "http://127.0.0.1:" + port + "/sandbox/tiktok";
    }

    @Override
    void givenPost(byte[] video, String publishId, String postId) {
        // the simulator needs no script
    }

    @Override
    void givenRateLimited(int retryAfterSeconds) {
        faults("\"rateLimitRate\":1.0,\"retryAfterSeconds\":" + retryAfterSeconds);
    }

    @Override
    void givenPostCapReached() {
        control("{\"unauditedClient\":false,\"postCapReached\":true}");
    }

    @Override
    void givenUnauditedClient() {
        control("{\"unauditedClient\":true,\"postCapReached\":false}");
    }

    @Override
    void givenRevokedToken() {
        // the simulator accepts only sandbox-token and tokens its authorization server issued
    }

    @Override
    void givenLastChunkCommittedThenSilent(byte[] video, String publishId) {
        faults("\"timeoutAfterCommitRate\":1.0,\"hangMs\":2500");
    }

    @Override
    void givenAnswersAgain(byte[] video, String publishId) {
        send("DELETE", "/sandbox/faults", null);
    }

    @Override
    void assertLandedOnce(String publishId, byte[] video) {
        List<RecordedPost> landed = records.accepted("tiktok").stream().filter(p -> publishId.equals(p.uploadId())).toList();
        assertThat(landed).hasSize(1);
        assertThat(landed.getFirst().id()).matches("\\d+");
    }

    private void faults(String fields) {
        HttpResponse<String> response = send("POST", "/sandbox/faults", "{\"platform\":\"tiktok\"," + fields + "}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }

    private void control(String body) {
        HttpResponse<String> response = send("PUT", "/sandbox/tiktok/controls", body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }

    private HttpResponse<String> send(String method, String path, String body) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)).build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
