package dev.crosspost.publishing.adapter.x;

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

/** {@link XAdapter} against the app's X simulator, with faults injected through {@code /sandbox/faults}. */
@CrosspostIntegrationTest
class XAdapterSimulatorTests extends XAdapterContract {

    @LocalServerPort int port;
    @Autowired SandboxRecords records;

    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    @AfterEach
    void clearFaults() throws Exception {
        http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/sandbox/faults")).DELETE().build(),
                HttpResponse.BodyHandlers.discarding());
    }

    private void fault(String json) throws Exception {
        var response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/sandbox/faults"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
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
        try {
            fault("{\"platform\":\"x\",\"rateLimitRate\":1.0,\"retryAfterSeconds\":" + seconds + "}");
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Override
    void commitButHangNextPost(String text) {
        try {
            fault("{\"platform\":\"x\",\"timeoutAfterCommitRate\":1.0,\"hangMs\":2500}");
        } catch (Exception e) {
            throw new AssertionError(e);
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
