package dev.crosspost.generation.internal;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.crosspost.generation.GenerationSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;
import tools.jackson.databind.json.JsonMapper;

import java.net.http.HttpClient;
import java.time.Duration;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

/** The OpenAI-compatible and HeyGen clients against stubs of the wire formats in platforms.md §8 and §9. */
class ProviderClientsUnitTests {

    private WireMockServer server;
    private final JsonMapper json = JsonMapper.builder().build();
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() {
        server = new WireMockServer(options().dynamicPort());
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    private ChatCompletions chat(String key) {
        var settings = new GenerationSettings.Captions(server.baseUrl() + "/v1/", "gpt-4o-mini", key, 0.5, Duration.ofSeconds(5),
                new GenerationSettings.RateLimit(10, Duration.ofMinutes(1)), new GenerationSettings.Breaker(50, 10, 5, Duration.ofSeconds(60)),
                Duration.ofHours(1), 10);
        return new ChatCompletions(http, json, settings, new MockEnvironment());
    }

    private HeyGen heygen() {
        var settings = new GenerationSettings.HeyGen(server.baseUrl(), "hg-key", "avatar-1", "voice-1", Duration.ofSeconds(5),
                new GenerationSettings.RateLimit(5, Duration.ofMinutes(1)), new GenerationSettings.Breaker(50, 10, 5, Duration.ofSeconds(60)),
                Duration.ofSeconds(1), 10);
        return new HeyGen(http, json, settings, new MockEnvironment());
    }

    @Test
    void chatCompletionsSendsTheStandardRequestAndReadsTheAnswer() {
        server.stubFor(post(urlEqualTo("/v1/chat/completions")).withHeader("Authorization", equalTo("Bearer sk-123"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody("""
                        {"id":"chatcmpl-1","object":"chat.completion","created":1,"model":"gpt-4o-mini",
                         "choices":[{"index":0,"message":{"role":"assistant","content":"hello","refusal":null},"finish_reason":"stop","logprobs":null}],
                         "usage":{"prompt_tokens":1,"completion_tokens":1,"total_tokens":2}}""")));

        assertThat(chat("sk-123").complete("sys", "user")).isEqualTo(new ChatCompletions.Reply.Answer("hello", "stop"));
        server.verify(postRequestedFor(urlEqualTo("/v1/chat/completions"))
                .withRequestBody(matchingJsonPath("$.model", equalTo("gpt-4o-mini")))
                .withRequestBody(matchingJsonPath("$.messages[0].role", equalTo("system")))
                .withRequestBody(matchingJsonPath("$.messages[1].content", equalTo("user"))));
        assertThat(chat("sk-123").writer()).isEqualTo("gpt-4o-mini@localhost");
    }

    @Test
    void chatCompletionsKeepsTheProvidersErrorAndRetryAfter() {
        server.stubFor(post(urlEqualTo("/v1/chat/completions")).willReturn(aResponse().withStatus(429).withHeader("Retry-After", "7")
                .withBody("{\"error\":{\"message\":\"Rate limit reached for requests\",\"type\":\"requests\",\"param\":null,\"code\":\"rate_limit_exceeded\"}}")));
        assertThat(chat("k").complete("s", "u"))
                .isEqualTo(new ChatCompletions.Reply.Failure(429, "Rate limit reached for requests", true, Duration.ofSeconds(7)));

        server.stubFor(post(urlEqualTo("/v1/chat/completions")).willReturn(aResponse().withStatus(401)
                .withBody("{\"error\":{\"message\":\"Incorrect API key provided: sk-bad.\",\"type\":\"invalid_request_error\",\"param\":null,\"code\":\"invalid_api_key\"}}")));
        assertThat(chat("sk-bad").complete("s", "u"))
                .isEqualTo(new ChatCompletions.Reply.Failure(401, "Incorrect API key provided: sk-bad.", false, null));

        server.stubFor(post(urlEqualTo("/v1/chat/completions")).willReturn(aResponse().withStatus(200)
                .withBody("{\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":null,\"refusal\":\"I can't\"},\"finish_reason\":\"stop\"}]}")));
        assertThat(chat("k").complete("s", "u")).isEqualTo(new ChatCompletions.Reply.Failure(200, "the model refused: I can't", false, null));
    }

    @Test
    void heygenGenerateSendsItsV2BodyAndReadsTheVideoId() {
        server.stubFor(post(urlEqualTo("/v2/video/generate")).withHeader("X-Api-Key", equalTo("hg-key"))
                .willReturn(aResponse().withStatus(200).withBody("{\"error\":null,\"data\":{\"video_id\":\"abc123\"}}")));

        assertThat(heygen().generate("Title", "Read this", "content-1")).isEqualTo(new HeyGen.Reply.Started("abc123"));
        server.verify(postRequestedFor(urlEqualTo("/v2/video/generate")).withRequestBody(equalToJson("""
                {"video_inputs":[{"character":{"type":"avatar","avatar_id":"avatar-1","avatar_style":"normal"},
                  "voice":{"type":"text","input_text":"Read this","voice_id":"voice-1","speed":1.0}}],
                 "dimension":{"width":1080,"height":1920},"title":"Title","callback_id":"content-1"}""")));
    }

    @Test
    void heygenErrorsKeepHeygensCodeAndMessage() {
        server.stubFor(post(urlEqualTo("/v2/video/generate")).willReturn(aResponse().withStatus(400)
                .withBody("{\"data\":null,\"error\":{\"code\":\"invalid_parameter\",\"message\":\"video_inputs is invalid: field required\"}}")));
        assertThat(heygen().generate("T", "s", "c"))
                .isEqualTo(new HeyGen.Reply.Failure(400, "invalid_parameter: video_inputs is invalid: field required", false, null));

        server.stubFor(get(urlEqualTo("/v1/video_status.get?video_id=v1")).willReturn(aResponse().withStatus(200).withBody("""
                {"code":100,"data":{"status":"failed","video_url":null,"error":{"code":"40119","message":"Avatar not found","detail":"x"}},"message":"Success"}""")));
        assertThat(heygen().status("v1")).isEqualTo(new HeyGen.Reply.Status("failed", null, "40119: Avatar not found"));

        server.stubFor(get(urlEqualTo("/v1/video_status.get?video_id=v2")).willReturn(aResponse().withStatus(200).withBody("""
                {"code":100,"data":{"status":"completed","video_url":"https://files.heygen.ai/v2.mp4?sig=1","duration":12.5}}""")));
        assertThat(heygen().status("v2")).isEqualTo(new HeyGen.Reply.Status("completed", "https://files.heygen.ai/v2.mp4?sig=1", null));

        server.stubFor(get(urlEqualTo("/v1/video_status.get?video_id=v3")).willReturn(aResponse().withStatus(503).withBody("upstream")));
        assertThat(heygen().status("v3")).isEqualTo(new HeyGen.Reply.Failure(503, "HTTP 503", true, null));
    }
}
