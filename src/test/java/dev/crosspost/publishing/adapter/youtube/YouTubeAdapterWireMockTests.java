package dev.crosspost.publishing.adapter.youtube;

import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import dev.crosspost.publishing.adapter.AdapterTestSupport;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.*;

/** The YouTube contract against WireMock stubs written from the protocol notes (platforms.md §3). */
class YouTubeAdapterWireMockTests extends YouTubeAdapterContract {

    @RegisterExtension
    final WireMockExtension wm = AdapterTestSupport.stubServer();

    @Override
    String baseUrl() {
        return wm.baseUrl();
    }

    @Override
    void givenUpload(byte[] video, String videoId) {
        givenUpload(video, videoId, "processed");
    }

    private void givenUpload(byte[] video, String videoId, String outcome) {
        givenSession(video, videoId);
        List<long[]> chunks = chunks(video.length);
        for (long[] c : chunks) {
            boolean last = c[1] == video.length - 1;
            wm.stubFor(chunk(videoId, video, c[0], c[1]).willReturn(last ? videoJson(videoId, "uploaded", null)
                    : aResponse().withStatus(308).withHeader("Range", "bytes=0-" + c[1])));
        }
        String scenario = "processing " + videoId;
        wm.stubFor(get(urlPathEqualTo("/youtube/v3/videos")).withQueryParam("id", equalTo(videoId))
                .inScenario(scenario).whenScenarioStateIs(Scenario.STARTED).willSetStateTo("done")
                .willReturn(okJson(list(videoId, "uploaded", null, "processing", List.of()))));
        wm.stubFor(get(urlPathEqualTo("/youtube/v3/videos")).withQueryParam("id", equalTo(videoId))
                .inScenario(scenario).whenScenarioStateIs("done")
                .willReturn(okJson(outcome.equals("processed") ? list(videoId, "processed", null, "succeeded", List.of())
                        : list(videoId, "rejected", "duplicate", "succeeded", List.of()))));
    }

    private void givenSession(byte[] video, String videoId) {
        wm.stubFor(post(urlPathEqualTo("/upload/youtube/v3/videos"))
                .withQueryParam("uploadType", equalTo("resumable"))
                .withQueryParam("part", equalTo("snippet,status"))
                .withHeader("Authorization", equalTo("Bearer " + TOKEN))
                .withHeader("X-Upload-Content-Length", equalTo(Long.toString(video.length)))
                .withHeader("X-Upload-Content-Type", equalTo("video/mp4"))
                .withRequestBody(matchingJsonPath("$.snippet.title", equalTo("Trail Runner 2")))
                .withRequestBody(matchingJsonPath("$.snippet.tags[0]", matching("crosspost-[0-9a-f]{16}")))
                .withRequestBody(matchingJsonPath("$.status.privacyStatus", equalTo("public")))
                .willReturn(aResponse().withStatus(200).withHeader("Location", sessionUrl(videoId))));
        wm.stubFor(query(videoId, video.length).willReturn(aResponse().withStatus(308)));
    }

    @Override
    void givenDroppedSecondChunk(byte[] video, String videoId) {
        givenUpload(video, videoId);
        long[] second = chunks(video.length).get(1);
        wm.stubFor(chunk(videoId, video, second[0], second[1]).inScenario("drop").whenScenarioStateIs(Scenario.STARTED)
                .willSetStateTo("dropped").willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        wm.stubFor(query(videoId, video.length).inScenario("drop").whenScenarioStateIs("dropped")
                .willReturn(aResponse().withStatus(308).withHeader("Range", "bytes=0-" + (second[0] - 1))));
        wm.stubFor(chunk(videoId, video, second[0], second[1]).inScenario("drop").whenScenarioStateIs("dropped")
                .willReturn(aResponse().withStatus(308).withHeader("Range", "bytes=0-" + second[1])));
    }

    @Override
    void givenRateLimited(int retryAfterSeconds) {
        wm.stubFor(post(urlPathEqualTo("/upload/youtube/v3/videos")).willReturn(error(429, "usageLimits", "rateLimitExceeded",
                "The request cannot be completed because you have exceeded your rate limit.").withHeader("Retry-After", Integer.toString(retryAfterSeconds))));
    }

    @Override
    void givenQuotaExceeded() {
        wm.stubFor(post(urlPathEqualTo("/upload/youtube/v3/videos")).willReturn(error(403, "youtube.quota", "quotaExceeded",
                "The request cannot be completed because you have exceeded your <a href=\"/youtube/v3/getting-started#quota\">quota</a>.")));
    }

    @Override
    void givenRevokedToken() {
        wm.stubFor(any(anyUrl()).withHeader("Authorization", equalTo("Bearer " + REVOKED)).willReturn(error(401, "global", "authError",
                "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.")));
    }

    @Override
    void givenSomeoneElsesCopyOf(byte[] video, String videoId) {
        givenUpload(video, videoId, "rejected");
        givenChannel(videoId, "vidOthers01", "crosspost-00000000000000ff");
    }

    @Override
    String givenOurEarlierUpload(byte[] video, String key, String videoId) {
        givenUpload(video, videoId, "rejected");
        givenChannel(videoId, "vidOriginal", YouTubeAdapter.marker(key));
        return "vidOriginal";
    }

    private void givenChannel(String newest, String older, String olderTag) {
        wm.stubFor(get(urlPathEqualTo("/youtube/v3/search")).withQueryParam("forMine", equalTo("true"))
                .withQueryParam("type", equalTo("video")).withQueryParam("part", equalTo("snippet"))
                .willReturn(okJson(json.writeValueAsString(Map.of("kind", "youtube#searchListResponse", "items", List.of(
                        Map.of("kind", "youtube#searchResult", "id", Map.of("kind", "youtube#video", "videoId", newest)),
                        Map.of("kind", "youtube#searchResult", "id", Map.of("kind", "youtube#video", "videoId", older))))))));
        wm.stubFor(get(urlPathEqualTo("/youtube/v3/videos")).withQueryParam("id", equalTo(older))
                .willReturn(okJson(list(older, "processed", null, "succeeded", List.of(olderTag)))));
    }

    @Override
    void givenCommittedThenSilent(byte[] video, String videoId) {
        long[] only = chunks(video.length).getFirst();
        wm.stubFor(chunk(videoId, video, only[0], only[1]).inScenario("silent").whenScenarioStateIs(Scenario.STARTED)
                .willSetStateTo("sent").willReturn(videoJson(videoId, "uploaded", null).withFixedDelay(2500)));
        wm.stubFor(query(videoId, video.length).inScenario("silent").whenScenarioStateIs("sent")
                .willReturn(aResponse().withStatus(308).withFixedDelay(2500)));
    }

    @Override
    void givenAnswersAgain(byte[] video, String videoId) {
        wm.stubFor(query(videoId, video.length).inScenario("silent").whenScenarioStateIs("sent")
                .willReturn(videoJson(videoId, "uploaded", null)));
    }

    @Override
    void givenSessionWithoutBytes(byte[] video) {
        givenSession(video, "vidNoBytes1");
    }

    @Override
    void givenSessionsExpired(String videoId, String key) {
        wm.stubFor(query(videoId, 1000).willReturn(error(404, "global", "notFound", "The upload session does not exist or has expired.")));
        wm.stubFor(get(urlPathEqualTo("/youtube/v3/search")).withQueryParam("forMine", equalTo("true"))
                .willReturn(okJson(json.writeValueAsString(Map.of("kind", "youtube#searchListResponse", "items", List.of(
                        Map.of("kind", "youtube#searchResult", "id", Map.of("kind", "youtube#video", "videoId", videoId))))))));
        wm.stubFor(get(urlPathEqualTo("/youtube/v3/videos")).withQueryParam("id", equalTo(videoId))
                .willReturn(okJson(list(videoId, "processed", null, "succeeded", List.of(YouTubeAdapter.marker(key))))));
    }

    @Override
    void assertLandedOnce(String videoId, String key, byte[] video) {
        long[] last = chunks(video.length).getLast();
        wm.verify(1, putRequestedFor(urlPathEqualTo("/upload/youtube/v3/videos"))
                .withHeader("Content-Range", equalTo("bytes " + last[0] + "-" + last[1] + "/" + video.length)));
        wm.verify(1, postRequestedFor(urlPathEqualTo("/upload/youtube/v3/videos"))
                .withRequestBody(matchingJsonPath("$.snippet.tags[0]", equalTo(YouTubeAdapter.marker(key)))));
    }

    private MappingBuilder chunk(String videoId, byte[] video, long first, long last) {
        return put(urlPathEqualTo("/upload/youtube/v3/videos")).withQueryParam("upload_id", equalTo(videoId))
                .withHeader("Content-Range", equalTo("bytes " + first + "-" + last + "/" + video.length))
                .withHeader("Content-Type", equalTo("video/mp4"))
                .withRequestBody(binaryEqualTo(Arrays.copyOfRange(video, (int) first, (int) last + 1)));
    }

    private static MappingBuilder query(String videoId, long total) {
        return put(urlPathEqualTo("/upload/youtube/v3/videos")).withQueryParam("upload_id", equalTo(videoId))
                .withHeader("Content-Range", equalTo("bytes */" + total));
    }

    private String sessionUrl(String videoId) {
        return wm.baseUrl() + "/upload/youtube/v3/videos?uploadType=resumable&upload_id=" + videoId;
    }

    private static List<long[]> chunks(long total) {
        List<long[]> chunks = new java.util.ArrayList<>();
        for (long first = 0; first < total; first += CHUNK) {
            chunks.add(new long[] {first, Math.min(total, first + CHUNK) - 1});
        }
        return chunks;
    }

    private ResponseDefinitionBuilder videoJson(String id, String uploadStatus, String rejection) {
        return okJson(json.writeValueAsString(video(id, uploadStatus, rejection, "processing", List.of())));
    }

    private String list(String id, String uploadStatus, String rejection, String processing, List<String> tags) {
        return json.writeValueAsString(Map.of("kind", "youtube#videoListResponse", "items", List.of(video(id, uploadStatus, rejection, processing, tags))));
    }

    private static Map<String, Object> video(String id, String uploadStatus, String rejection, String processing, List<String> tags) {
        Map<String, Object> status = new java.util.LinkedHashMap<>();
        status.put("uploadStatus", uploadStatus);
        if (rejection != null) {
            status.put("rejectionReason", rejection);
        }
        status.put("privacyStatus", "public");
        return Map.of("kind", "youtube#video", "id", id,
                "snippet", Map.of("title", "Trail Runner 2", "tags", tags),
                "status", status,
                "processingDetails", Map.of("processingStatus", processing,
                        "processingProgress", Map.of("partsTotal", 1000, "partsProcessed", 500)));
    }

    private ResponseDefinitionBuilder error(int status, String domain, String reason, String message) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json; charset=UTF-8")
                .withBody(json.writeValueAsString(Map.of("error", Map.of("code", status, "message", message,
                        "errors", List.of(Map.of("message", message, "domain", domain, "reason", reason))))));
    }
}
