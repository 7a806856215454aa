package dev.crosspost.publishing.adapter.tiktok;

import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import dev.crosspost.publishing.adapter.AdapterTestSupport;
import dev.crosspost.publishing.adapter.MediaRef;
import dev.crosspost.publishing.adapter.StepResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.*;
import static org.assertj.core.api.Assertions.assertThat;

/** The TikTok contract against WireMock stubs written from the protocol notes (platforms.md §4). */
class TikTokAdapterWireMockTests extends TikTokAdapterContract {

    private static final String UPLOAD_ID = "up1";

    @RegisterExtension
    final WireMockExtension wm = AdapterTestSupport.stubServer();

    @Override
    String baseUrl() {
        return wm.baseUrl();
    }

    @Test
    void aVideoLongerThanTheCreatorMayPostIsRefusedBeforeTheInit() {
        wm.stubFor(post(urlEqualTo("/v2/post/publish/creator_info/query/")).willReturn(ok(Map.of("creator_username", "short_form",
                "privacy_level_options", List.of("PUBLIC_TO_EVERYONE"), "max_video_post_duration_sec", 60))));
        MediaRef video = file(AdapterTestSupport.randomBytes(1000));

        assertThat(run(adapter(), TikTokAdapter.CREATOR, AdapterTestSupport.probed(video, 61, 1080, 1920), Map.of()))
                .isEqualTo(new StepResult.Rejected("media_duration", "TikTok: the video is 61 s long; the limit is 60 s", null));
        assertThat(run(adapter(), TikTokAdapter.CREATOR, AdapterTestSupport.probed(video, 60, 1080, 1920), new HashMap<>()))
                .isInstanceOf(StepResult.Done.class);
        wm.verify(0, postRequestedFor(urlEqualTo("/v2/post/publish/video/init/")));
    }

    @Override
    void givenPost(byte[] video, String publishId, String postId) {
        wm.stubFor(post(urlEqualTo("/v2/post/publish/creator_info/query/")).withHeader("Authorization", equalTo("Bearer " + TOKEN))
                .willReturn(ok(Map.of("creator_username", "sandbox_creator", "creator_nickname", "Sandbox",
                        "privacy_level_options", List.of("PUBLIC_TO_EVERYONE", "MUTUAL_FOLLOW_FRIENDS", "SELF_ONLY"),
                        "max_video_post_duration_sec", 600))));
        TikTokAdapter.Chunks chunks = TikTokAdapter.Chunks.of(video.length, CHUNK);
        wm.stubFor(post(urlEqualTo("/v2/post/publish/video/init/")).withHeader("Authorization", equalTo("Bearer " + TOKEN))
                .withHeader("Content-Type", equalTo("application/json; charset=UTF-8"))
                .withRequestBody(matchingJsonPath("$.post_info.title", equalTo(CAPTION)))
                .withRequestBody(matchingJsonPath("$.post_info.privacy_level", equalTo("PUBLIC_TO_EVERYONE")))
                .withRequestBody(matchingJsonPath("$.source_info.source", equalTo("FILE_UPLOAD")))
                .withRequestBody(matchingJsonPath("$.source_info.video_size", equalTo(Long.toString(video.length))))
                .withRequestBody(matchingJsonPath("$.source_info.chunk_size", equalTo(Long.toString(chunks.size()))))
                .withRequestBody(matchingJsonPath("$.source_info.total_chunk_count", equalTo(Integer.toString(chunks.count()))))
                .willReturn(ok(Map.of("publish_id", publishId, "upload_url", wm.baseUrl() + "/upload/video/?upload_id=" + UPLOAD_ID + "&upload_token=t1"))));
        for (int i = 0; i < chunks.count(); i++) {
            boolean last = i == chunks.count() - 1;
            MappingBuilder chunk = chunk(video, chunks.first(i), chunks.length(i));
            wm.stubFor(last ? chunk.inScenario("post").whenScenarioStateIs(Scenario.STARTED).willSetStateTo("uploaded")
                    .willReturn(aResponse().withStatus(201)) : chunk.willReturn(aResponse().withStatus(206)));
        }
        wm.stubFor(status(publishId).inScenario("post").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(ok(status("PROCESSING_UPLOAD", 0, List.of()))));
        wm.stubFor(status(publishId).inScenario("post").whenScenarioStateIs("uploaded").willSetStateTo("public")
                .willReturn(ok(status("PROCESSING_UPLOAD", video.length, List.of()))));
        wm.stubFor(status(publishId).inScenario("post").whenScenarioStateIs("public")
                .willReturn(ok(status("PUBLISH_COMPLETE", video.length, List.of(postId)))));
    }

    @Override
    void givenRateLimited(int retryAfterSeconds) {
        wm.stubFor(post(urlEqualTo("/v2/post/publish/video/init/")).willReturn(error(429, "rate_limit_exceeded",
                "The API rate limit was exceeded. Please try again later.").withHeader("Retry-After", Integer.toString(retryAfterSeconds))));
    }

    @Override
    void givenPostCapReached() {
        wm.stubFor(post(urlEqualTo("/v2/post/publish/video/init/")).willReturn(error(403, "spam_risk_too_many_posts",
                "The daily post cap for this creator has been reached.")));
    }

    @Override
    void givenUnauditedClient() {
        wm.stubFor(post(urlEqualTo("/v2/post/publish/video/init/")).willReturn(error(403, "unaudited_client_can_only_post_to_private_accounts",
                "Please review our integration guidelines at https://developers.tiktok.com/doc/content-sharing-guidelines/")));
    }

    @Override
    void givenRevokedToken() {
        wm.stubFor(any(anyUrl()).withHeader("Authorization", equalTo("Bearer " + REVOKED)).willReturn(error(401, "access_token_invalid",
                "The access token is invalid or not found in the request.")));
    }

    @Override
    void givenLastChunkCommittedThenSilent(byte[] video, String publishId) {
        TikTokAdapter.Chunks chunks = TikTokAdapter.Chunks.of(video.length, CHUNK);
        int last = chunks.count() - 1;
        wm.stubFor(chunk(video, chunks.first(last), chunks.length(last)).inScenario("post").whenScenarioStateIs(Scenario.STARTED)
                .willSetStateTo("uploaded").willReturn(aResponse().withStatus(201).withFixedDelay(2500)));
    }

    @Override
    void givenAnswersAgain(byte[] video, String publishId) {
        // the status endpoint answered all along
    }

    @Override
    void assertLandedOnce(String publishId, byte[] video) {
        TikTokAdapter.Chunks chunks = TikTokAdapter.Chunks.of(video.length, CHUNK);
        int last = chunks.count() - 1;
        wm.verify(1, postRequestedFor(urlEqualTo("/v2/post/publish/video/init/")));
        wm.verify(1, putRequestedFor(urlPathEqualTo("/upload/video/")).withHeader("Content-Range",
                equalTo("bytes " + chunks.first(last) + "-" + (video.length - 1) + "/" + video.length)));
    }

    private static MappingBuilder chunk(byte[] video, long first, long length) {
        return put(urlPathEqualTo("/upload/video/")).withQueryParam("upload_id", equalTo(UPLOAD_ID))
                .withHeader("Content-Type", equalTo("video/mp4"))
                .withHeader("Content-Range", equalTo("bytes " + first + "-" + (first + length - 1) + "/" + video.length))
                .withRequestBody(binaryEqualTo(Arrays.copyOfRange(video, (int) first, (int) (first + length))));
    }

    private static MappingBuilder status(String publishId) {
        return post(urlEqualTo("/v2/post/publish/status/fetch/")).withRequestBody(matchingJsonPath("$.publish_id", equalTo(publishId)));
    }

    private static Map<String, Object> status(String status, long uploaded, List<String> postIds) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("status", status);
        data.put("publicaly_available_post_id", postIds);
        data.put("uploaded_bytes", uploaded);
        return data;
    }

    private ResponseDefinitionBuilder ok(Map<String, Object> data) {
        return okJson(json.writeValueAsString(Map.of("data", data, "error", Map.of("code", "ok", "message", "", "log_id", "202501010000"))));
    }

    private ResponseDefinitionBuilder error(int status, String code, String message) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json")
                .withBody(json.writeValueAsString(Map.of("data", Map.of(), "error", Map.of("code", code, "message", message, "log_id", "202501010001"))));
    }
}
