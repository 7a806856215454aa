package dev.crosspost.generation;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The OpenAI and HeyGen simulators answer with the real services' paths, shapes, headers and async states. */
@GenerationTestSetup
class GenerationSimulatorsIntegrationTests {

    @LocalServerPort int port;
    private final HttpClient http = HttpClient.newHttpClient();
    private final JsonMapper json = JsonMapper.builder().build();

    private HttpResponse<String> send(String method, String path, String body, String... headers) throws Exception {
        var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void openAiAnswersWithItsShapeHeadersAndErrors() throws Exception {
        String chat = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        HttpResponse<String> ok = send("POST", "/sandbox/openai/v1/chat/completions", chat, "Authorization", "Bearer sk-sim-1");
        assertThat(ok.statusCode()).isEqualTo(200);
        JsonNode body = json.readTree(ok.body());
        assertThat(body.get("object").asString()).isEqualTo("chat.completion");
        assertThat(body.at("/choices/0/message/role").asString()).isEqualTo("assistant");
        assertThat(body.at("/choices/0/finish_reason").asString()).isEqualTo("stop");
        assertThat(body.at("/usage/total_tokens").asInt()).isPositive();
        assertThat(ok.headers().firstValue("x-ratelimit-remaining-requests")).contains("59");
        assertThat(ok.headers().firstValue("x-ratelimit-reset-requests").orElseThrow()).matches("\\d+(s|ms)");

        JsonNode noKey = json.readTree(send("POST", "/sandbox/openai/v1/chat/completions", chat).body());
        assertThat(noKey.at("/error/type").asString()).isEqualTo("invalid_request_error");
        assertThat(noKey.at("/error/message").asString()).contains("API key");
        assertThat(noKey.get("error").has("param")).isTrue();
        var noModel = send("POST", "/sandbox/openai/v1/chat/completions", "{\"messages\":[]}", "Authorization", "Bearer sk-sim-1");
        assertThat(noModel.statusCode()).isEqualTo(400);
        assertThat(json.readTree(noModel.body()).at("/error/message").asString()).isEqualTo("you must provide a model parameter");

        // past the simulated per-key limit: 429 with Retry-After and the rate_limit_exceeded code
        HttpResponse<String> last = null;
        for (int i = 0; i < 60; i++) {
            last = send("POST", "/sandbox/openai/v1/chat/completions", chat, "Authorization", "Bearer sk-sim-limit");
        }
        assertThat(last.statusCode()).isEqualTo(200);
        HttpResponse<String> limited = send("POST", "/sandbox/openai/v1/chat/completions", chat, "Authorization", "Bearer sk-sim-limit");
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.headers().firstValue("Retry-After")).isPresent();
        assertThat(json.readTree(limited.body()).at("/error/code").asString()).isEqualTo("rate_limit_exceeded");
    }

    @Test
    void heygenMovesFromPendingThroughProcessingToADownloadableVideo() throws Exception {
        String generate = """
                {"video_inputs":[{"character":{"type":"avatar","avatar_id":"a1","avatar_style":"normal"},
                 "voice":{"type":"text","input_text":"Hello","voice_id":"v1"}}],"dimension":{"width":1080,"height":1920}}""";
        HttpResponse<String> started = send("POST", "/sandbox/heygen/v2/video/generate", generate, "X-Api-Key", "k");
        assertThat(started.statusCode()).isEqualTo(200);
        JsonNode start = json.readTree(started.body());
        assertThat(start.get("error").isNull()).isTrue();
        String id = start.at("/data/video_id").asString();

        String status = "/sandbox/heygen/v1/video_status.get?video_id=" + id;
        assertThat(json.readTree(send("GET", status, null, "X-Api-Key", "k").body()).at("/data/status").asString()).isIn("pending", "processing");
        await().atMost(Duration.ofSeconds(20)).until(() ->
                json.readTree(send("GET", status, null, "X-Api-Key", "k").body()).at("/data/status").asString().equals("completed"));
        String url = json.readTree(send("GET", status, null, "X-Api-Key", "k").body()).at("/data/video_url").asString();
        HttpResponse<byte[]> file = http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(file.statusCode()).isEqualTo(200);
        assertThat(new String(file.body(), 4, 4)).isEqualTo("ftyp");

        JsonNode invalid = json.readTree(send("POST", "/sandbox/heygen/v2/video/generate", "{\"dimension\":{\"width\":1080,\"height\":1920}}",
                "X-Api-Key", "k").body());
        assertThat(invalid.get("data").isNull()).isTrue();
        assertThat(invalid.at("/error/code").asString()).isEqualTo("invalid_parameter");
        assertThat(invalid.at("/error/message").asString()).isEqualTo("video_inputs is invalid: field required");
        assertThat(send("POST", "/sandbox/heygen/v2/video/generate", generate).statusCode()).isEqualTo(401);
        assertThat(send("GET", "/sandbox/heygen/v1/video_status.get?video_id=nope", null, "X-Api-Key", "k").statusCode()).isEqualTo(404);
    }
}
