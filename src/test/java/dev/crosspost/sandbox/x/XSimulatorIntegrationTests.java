package dev.crosspost.sandbox.x;

import dev.crosspost.support.CrosspostIntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** What the X simulator does beyond the adapter's path: the command form, the one-shot image upload, X's 400s. */
@CrosspostIntegrationTest
class XSimulatorIntegrationTests {

    @LocalServerPort int port;
    private final HttpClient http = HttpClient.newHttpClient();
    private final JsonMapper json = JsonMapper.builder().build();

    @Test
    void theCommandFormUploadsAVideoInSegments() throws Exception {
        byte[] video = new byte[1000];
        System.arraycopy(new byte[]{0, 0, 0, 0x18, 'f', 't', 'y', 'p', 'm', 'p', '4', '2'}, 0, video, 0, 12);
        HttpResponse<String> init = multipart(fields("command", "INIT", "total_bytes", "1000", "media_type", "video/mp4",
                "media_category", "tweet_video"), null, null);
        assertThat(init.statusCode()).as(init.body()).isEqualTo(200);
        String id = json.readTree(init.body()).path("data").path("id").asString();

        byte[] first = java.util.Arrays.copyOfRange(video, 0, 600);
        byte[] second = java.util.Arrays.copyOfRange(video, 600, 1000);
        assertThat(multipart(fields("command", "APPEND", "media_id", id, "segment_index", "0"), first, "application/octet-stream").statusCode()).isEqualTo(204);
        HttpResponse<String> early = multipart(fields("command", "FINALIZE", "media_id", id), null, null);
        assertThat(early.statusCode()).isEqualTo(400);
        assertThat(json.readTree(early.body()).path("errors").path(0).path("message").asString()).startsWith("Segments do not add up");
        assertThat(multipart(fields("command", "APPEND", "media_id", id, "segment_index", "1"), second, "application/octet-stream").statusCode()).isEqualTo(204);

        JsonNode finalized = json.readTree(multipart(fields("command", "FINALIZE", "media_id", id), null, null).body()).path("data");
        assertThat(finalized.path("processing_info").path("state").asString()).isEqualTo("pending");
        JsonNode status = json.readTree(get("/2/media/upload?command=STATUS&media_id=" + id).body()).path("data");
        assertThat(status.path("processing_info").path("state").asString()).isEqualTo("succeeded");

        HttpResponse<String> tweet = post("/2/tweets", "{\"text\":\"command form " + UUID.randomUUID() + "\",\"media\":{\"media_ids\":[\"" + id + "\"]}}");
        assertThat(tweet.statusCode()).as(tweet.body()).isEqualTo(201);
        assertThat(tweet.headers().firstValue("x-rate-limit-remaining")).isPresent();
    }

    @Test
    void anImageUploadsInOneRequest() throws Exception {
        HttpResponse<String> upload = multipart(fields("media_category", "tweet_image"), new byte[]{(byte) 0xFF, (byte) 0xD8, 1, 2}, "image/jpeg");
        assertThat(upload.statusCode()).as(upload.body()).isEqualTo(200);
        JsonNode data = json.readTree(upload.body()).path("data");
        assertThat(data.path("media_key").asString()).isEqualTo("3_" + data.path("id").asString());
        assertThat(data.has("processing_info")).isFalse();
    }

    @Test
    void postsAreCheckedTheWayXChecksThem() throws Exception {
        HttpResponse<String> unknown = post("/2/tweets", "{\"text\":\"hi\",\"client_ref\":\"abc\"}");
        assertThat(unknown.statusCode()).isEqualTo(400);
        JsonNode problem = json.readTree(unknown.body());
        assertThat(problem.path("type").asString()).isEqualTo("https://api.x.com/2/problems/invalid-request");
        assertThat(problem.path("errors").path(0).path("message").asString()).isEqualTo("The `client_ref` field is not allowed");

        HttpResponse<String> media = post("/2/tweets", "{\"text\":\"hi\",\"media\":{\"media_ids\":[\"123\"]}}");
        assertThat(json.readTree(media.body()).path("errors").path(0).path("message").asString()).isEqualTo("Your media IDs are invalid.");

        HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(uri("/2/tweets")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"text\":\"hi\"}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(json.readTree(anonymous.body()).path("title").asString()).isEqualTo("Unauthorized");
    }

    private HttpResponse<String> multipart(Map<String, String> fields, byte[] media, String mediaType) throws Exception {
        String boundary = "b" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (var field : fields.entrySet()) {
            body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + field.getKey() + "\"\r\n\r\n"
                    + field.getValue() + "\r\n").getBytes(StandardCharsets.UTF_8));
        }
        if (media != null) {
            body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"media\"; filename=\"m\"\r\nContent-Type: "
                    + mediaType + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            body.writeBytes(media);
            body.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
        }
        body.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return http.send(HttpRequest.newBuilder(uri("/2/media/upload")).header("Authorization", "Bearer sandbox-token")
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer sandbox-token").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer sandbox-token").GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + "/sandbox/x" + path);
    }

    private static Map<String, String> fields(String... kv) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            map.put(kv[i], kv[i + 1]);
        }
        return map;
    }
}
