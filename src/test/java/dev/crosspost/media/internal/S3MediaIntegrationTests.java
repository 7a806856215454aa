package dev.crosspost.media.internal;

import dev.crosspost.support.CrosspostIntegrationTest;
import dev.crosspost.support.TestApi;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.time.Duration;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The app on the S3 backend, against S3Proxy in-process: uploads, presigned direct uploads, presigned reads, renditions. */
@CrosspostIntegrationTest
class S3MediaIntegrationTests {

    static final S3Proxy PROXY;

    static {
        BlobStoreContext blobs = ContextBuilder.newBuilder("transient").credentials("identity", "credential").build(BlobStoreContext.class);
        blobs.getBlobStore().createContainerInLocation(null, "media");
        PROXY = S3Proxy.builder().blobStore(blobs.getBlobStore()).endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, "media-access", "media-secret-key-0123456789").build();
        try {
            PROXY.start();
            while (!PROXY.getState().equals("STARTED")) {
                Thread.onSpinWait();
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @DynamicPropertySource
    static void s3(DynamicPropertyRegistry registry) {
        registry.add("crosspost.media.storage.backend", () -> "s3");
        registry.add("crosspost.media.storage.s3.endpoint", () -> "http://127.0.0.1:" + PROXY.getPort());
        registry.add("crosspost.media.storage.s3.bucket", () -> "media");
        registry.add("crosspost.media.storage.s3.access-key", () -> "media-access");
        registry.add("crosspost.media.storage.s3.secret-key", () -> "media-secret-key-0123456789");
    }

    @AfterAll
    static void stop() throws Exception {
        PROXY.stop();
    }

    @LocalServerPort
    int port;
    @Autowired
    JsonMapper json;

    final HttpClient http = HttpClient.newHttpClient();

    JsonNode ok(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        return json.readTree(response.body());
    }

    @Test
    void aPresignedDirectUploadIsCheckedStoredAndReadBackThroughAPresignedUrl() throws Exception {
        Path dir = Files.createTempDirectory("s3-it");
        byte[] video = Files.readAllBytes(TestMedia.video(dir, "v.mp4", 320, 240, 4, 48000));
        String start = "{\"sizeBytes\":" + video.length + ",\"filename\":\"v.mp4\",\"contentType\":\"video/mp4\"}";
        JsonNode presigned = ok(http.send(TestApi.request(port, "/api/v1/assets/presigned").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(start)).build(), HttpResponse.BodyHandlers.ofString()), 201);

        HttpResponse<String> put = http.send(HttpRequest.newBuilder(URI.create(presigned.get("uploadUrl").asString()))
                .header("Content-Type", "video/mp4").PUT(HttpRequest.BodyPublishers.ofByteArray(video)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
        JsonNode asset = ok(http.send(TestApi.request(port, "/api/v1/assets/presigned/" + presigned.get("id").asString() + "/complete")
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString()), 201);
        assertThat(asset.get("probe").get("width").asInt()).isEqualTo(320);

        HttpResponse<Void> content = http.send(TestApi.request(port, "/api/v1/assets/" + asset.get("id").asString() + "/content").build(),
                HttpResponse.BodyHandlers.discarding());
        assertThat(content.statusCode()).isEqualTo(302);
        String location = content.headers().firstValue("Location").orElseThrow();
        assertThat(location).contains("X-Amz-Signature");
        HttpResponse<byte[]> body = http.send(HttpRequest.newBuilder(URI.create(location)).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(body.body()).isEqualTo(video);

        String body2 = "{\"platforms\":[\"x\"]}";
        HttpResponse<String> accepted = http.send(TestApi.request(port, "/api/v1/assets/" + asset.get("id").asString() + "/renditions")
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body2)).build(),
                HttpResponse.BodyHandlers.ofString());
        String job = accepted.headers().firstValue("Location").orElseThrow();
        assertThat(accepted.statusCode()).isEqualTo(202);
        JsonNode done = await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200))
                .until(() -> ok(http.send(TestApi.request(port, job).build(), HttpResponse.BodyHandlers.ofString()), 200),
                        j -> !j.get("status").asString().matches("queued|running"));
        assertThat(done.get("status").asString()).as(done.toString()).isEqualTo("done");
        JsonNode set = done.get("result");
        assertThat(set.get("platforms").get("x").get("violations").size()).isZero();
    }

    @Test
    void aSpoofedFileSentToThePresignedUrlIsRefusedOnCompletion() throws Exception {
        byte[] text = "not a video at all".getBytes();
        String start = "{\"sizeBytes\":" + text.length + ",\"contentType\":\"video/mp4\"}";
        JsonNode presigned = ok(http.send(TestApi.request(port, "/api/v1/assets/presigned").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(start)).build(), HttpResponse.BodyHandlers.ofString()), 201);
        http.send(HttpRequest.newBuilder(URI.create(presigned.get("uploadUrl").asString())).header("Content-Type", "video/mp4")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(text)).build(), HttpResponse.BodyHandlers.ofString());

        JsonNode problem = ok(http.send(TestApi.request(port, "/api/v1/assets/presigned/" + presigned.get("id").asString() + "/complete")
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString()), 400);
        assertThat(problem.get("code").asString()).isEqualTo("unsupported_media");
    }
}
