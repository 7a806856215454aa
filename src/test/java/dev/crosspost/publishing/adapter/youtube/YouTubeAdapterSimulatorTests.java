package dev.crosspost.publishing.adapter.youtube;

import dev.crosspost.publishing.adapter.StepResult;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The YouTube contract against the app's own simulator under {@code /sandbox/youtube}, with its injected faults. */
@CrosspostIntegrationTest
class YouTubeAdapterSimulatorTests extends YouTubeAdapterContract {

    @LocalServerPort int port;
    @Autowired SandboxRecords records;

    @BeforeEach
    @AfterEach
    void clean() throws Exception {
        send("DELETE", "/sandbox/faults", null);
        send("DELETE", "/sandbox/youtube/controls", null);
    }

    @Override
    String baseUrl() {
        return "http://127.0.0.1:" + port + "/sandbox/youtube";
    }

    @Override
    void givenUpload(byte[] video, String videoId) {
        // the simulator needs no script: any upload goes through
    }

    @Override
    void givenDroppedSecondChunk(byte[] video, String videoId) {
        // draws: session start, first status query, chunk 1 pass; chunk 2 is reset; the rest pass
        faults("\"resetRate\":0.3", seedFor(0.3, false, false, false, true, false, false, false, false, false));
    }

    @Override
    void givenRateLimited(int retryAfterSeconds) {
        faults("\"rateLimitRate\":1.0,\"retryAfterSeconds\":" + retryAfterSeconds, 1);
    }

    @Override
    void givenQuotaExceeded() {
        control("{\"quotaExceeded\":true,\"uploadLimitExceeded\":false}");
    }

    @Override
    void givenRevokedToken() {
        // the simulator accepts only sandbox-token and tokens its authorization server issued
    }

    @Override
    void givenSomeoneElsesCopyOf(byte[] video, String videoId) {
        assertThat(publishAll(key(), video)).isInstanceOf(StepResult.Done.class);
    }

    @Override
    String givenOurEarlierUpload(byte[] video, String key, String videoId) {
        Map<String, String> outputs = new HashMap<>();
        assertThat(publishAll(key, video, outputs)).isInstanceOf(StepResult.Done.class);
        return outputs.get(StepResult.PLATFORM_POST_ID);
    }

    @Override
    void givenCommittedThenSilent(byte[] video, String videoId) {
        // draws: the first status query passes; the final chunk and the status query after it hang past the timeout
        faults("\"timeoutAfterCommitRate\":0.5,\"hangMs\":2500", seedFor(0.5, false, true, true));
    }

    @Override
    void givenAnswersAgain(byte[] video, String videoId) {
        send("DELETE", "/sandbox/faults", null);
    }

    @Override
    void givenSessionWithoutBytes(byte[] video) {
    }

    @Override
    void givenSessionsExpired(String videoId, String key) {
        assertThat(send("POST", "/sandbox/youtube/controls/expire-sessions", null).statusCode()).isEqualTo(204);
    }

    @Override
    void assertLandedOnce(String videoId, String key, byte[] video) {
        List<RecordedPost> landed = records.accepted("youtube").stream()
                .filter(p -> YouTubeAdapter.marker(key).equals(p.clientRef())).toList();
        assertThat(landed).extracting(RecordedPost::id).containsExactly(videoId);
        HttpResponse<String> details = send("GET", "/sandbox/youtube/youtube/v3/videos?part=fileDetails&id=" + videoId, null);
        assertThat(json.readTree(details.body()).path("items").path(0).path("fileDetails").path("fileSize").asLong()).isEqualTo(video.length);
    }

    /** A seed whose draws fall under {@code rate} exactly where {@code faulted} says. */
    static long seedFor(double rate, boolean... faulted) {
        for (long seed = 1; ; seed++) {
            Random random = new Random(seed);
            boolean fits = true;
            for (boolean f : faulted) {
                fits &= (random.nextDouble() < rate) == f;
            }
            if (fits) {
                return seed;
            }
        }
    }

    private void faults(String fields, long seed) {
        HttpResponse<String> response = send("POST", "/sandbox/faults", "{\"platform\":\"youtube\"," + fields + ",\"seed\":" + seed + "}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }

    private void control(String body) {
        HttpResponse<String> response = send("PUT", "/sandbox/youtube/controls", body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }

    private HttpResponse<String> send(String method, String path, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Bearer " + TOKEN).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
