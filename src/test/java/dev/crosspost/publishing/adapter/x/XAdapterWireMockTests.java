package dev.crosspost.publishing.adapter.x;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import dev.crosspost.publishing.adapter.AdapterTestSupport;
import dev.crosspost.publishing.adapter.PublishRequest;
import dev.crosspost.publishing.adapter.ReconcileResult;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;

/** {@link XAdapter} against WireMock stubs of X API v2, written from the platform notes. */
class XAdapterWireMockTests extends XAdapterContract {

    private static final String TOKEN = "user-access-token";
    private static final String NEXT = "7140dibdnow9c7btw4827ptdnub4tyl5d2ozhwpq7a8x1";

    @RegisterExtension
    final WireMockExtension server = AdapterTestSupport.stubServer();

    @BeforeEach
    void unauthorizedByDefault() {
        // every request carries x-rate-limit-*; anything unauthorized gets X's 401 problem
        server.stubFor(post(urlPathMatching("/2/.*")).atPriority(10).willReturn(aResponse().withStatus(401)
                .withHeader("Content-Type", "application/problem+json")
                .withBody("{\"title\":\"Unauthorized\",\"type\":\"about:blank\",\"status\":401,\"detail\":\"Unauthorized\"}")));
    }

    @Override
    String baseUrl() {
        return server.baseUrl();
    }

    @Override
    String token() {
        return TOKEN;
    }

    @Override
    String revokedToken() {
        return "revoked-token";
    }

    @Override
    void timelineHoldsOnlyOldPosts() {
        server.stubFor(get(urlPathEqualTo("/2/users/" + USER + "/tweets")).atPriority(1).willReturn(okJson(
                "{\"data\":[{\"id\":\"1200000000000000001\",\"text\":\"old\",\"created_at\":\"2020-01-01T10:00:00.000Z\"}],"
                        + "\"meta\":{\"result_count\":1,\"next_token\":\"" + NEXT + "\"}}")));
    }

    @Override
    long requestsSeen() {
        return server.getAllServeEvents().size();
    }

    @Override
    void assertPostedOnce(String text) {
        // what X holds: the posts it answered 201 to
        long created = server.getAllServeEvents().stream()
                .filter(e -> e.getRequest().getUrl().equals("/2/tweets") && e.getResponse().getStatus() == 201)
                .filter(e -> e.getRequest().getBodyAsString().contains("\"text\":\"" + text + "\""))
                .count();
        assertThat(created).isEqualTo(1);
    }

    @Override
    void expectVideoPost(String text, long size) {
        server.stubFor(post("/2/media/upload/initialize").withHeader("Authorization", equalTo("Bearer " + TOKEN))
                .withRequestBody(equalToJson("{\"media_type\":\"video/mp4\",\"total_bytes\":" + size + ",\"media_category\":\"tweet_video\"}"))
                .willReturn(okJson("{\"data\":{\"id\":\"1880000000000000001\",\"media_key\":\"7_1880000000000000001\",\"expires_after_secs\":86400}}")));
        for (int segment = 0; segment < 4; segment++) {
            server.stubFor(post("/2/media/upload/1880000000000000001/append")
                    .withHeader("Content-Type", containing("multipart/form-data"))
                    .withRequestBody(containing("name=\"segment_index\"\r\n\r\n" + segment + "\r\n"))
                    .willReturn(okJson("{\"data\":{\"expires_at\":1767225600}}")));
        }
        server.stubFor(post("/2/media/upload/1880000000000000001/finalize").willReturn(okJson("""
                {"data":{"id":"1880000000000000001","media_key":"7_1880000000000000001","size":%d,"expires_after_secs":86400,
                 "processing_info":{"state":"pending","check_after_secs":1}}}""".formatted(size))));
        stubStatus("1880000000000000001", "{\"state\":\"succeeded\",\"progress_percent\":100}");
        server.stubFor(post("/2/tweets").withHeader("Authorization", equalTo("Bearer " + TOKEN))
                .withRequestBody(equalToJson("{\"text\":\"" + text + "\",\"media\":{\"media_ids\":[\"1880000000000000001\"]}}"))
                .willReturn(aResponse().withStatus(201).withHeader("Content-Type", "application/json").withHeader("x-rate-limit-limit", "100")
                        .withHeader("x-rate-limit-remaining", "99").withHeader("x-rate-limit-reset", Long.toString(Instant.now().getEpochSecond() + 900))
                        .withBody("{\"data\":{\"id\":\"1900000000000000001\",\"text\":\"" + text + "\"}}")));
    }

    @Override
    void expectBrokenVideo(long size) {
        server.stubFor(post("/2/media/upload/initialize").willReturn(okJson("{\"data\":{\"id\":\"42\",\"media_key\":\"7_42\"}}")));
        server.stubFor(post("/2/media/upload/42/append").willReturn(okJson("{\"data\":{\"expires_at\":1767225600}}")));
        server.stubFor(post("/2/media/upload/42/finalize").willReturn(okJson(
                "{\"data\":{\"id\":\"42\",\"media_key\":\"7_42\",\"processing_info\":{\"state\":\"pending\",\"check_after_secs\":1}}}")));
        server.stubFor(get(urlPathEqualTo("/2/media/upload")).withQueryParam("command", equalTo("STATUS"))
                .withQueryParam("media_id", equalTo("42")).willReturn(okJson("""
                        {"data":{"id":"42","media_key":"7_42","processing_info":{"state":"failed","progress_percent":100,
                         "error":{"code":1,"name":"InvalidMedia","message":"Unsupported video format"}}}}""")));
    }

    /** STATUS answers in progress once, then {@code last}. */
    private void stubStatus(String id, String last) {
        String scenario = "status-" + id;
        server.stubFor(get(urlPathEqualTo("/2/media/upload")).withQueryParam("media_id", equalTo(id)).inScenario(scenario)
                .whenScenarioStateIs(Scenario.STARTED).willSetStateTo("done")
                .willReturn(okJson("{\"data\":{\"id\":\"" + id + "\",\"processing_info\":{\"state\":\"in_progress\",\"check_after_secs\":2,\"progress_percent\":40}}}")));
        server.stubFor(get(urlPathEqualTo("/2/media/upload")).withQueryParam("media_id", equalTo(id)).inScenario(scenario)
                .whenScenarioStateIs("done").willReturn(okJson("{\"data\":{\"id\":\"" + id + "\",\"processing_info\":" + last + "}}")));
    }

    @Override
    void rateLimitNextPost(int seconds) {
        server.stubFor(post("/2/tweets").willReturn(aResponse().withStatus(429).withHeader("Content-Type", "application/json")
                .withHeader("x-rate-limit-limit", "100").withHeader("x-rate-limit-remaining", "0")
                .withHeader("x-rate-limit-reset", Long.toString(Instant.now().getEpochSecond() + seconds))
                .withBody("{\"errors\":[{\"code\":88,\"message\":\"Rate limit exceeded\"}]}")));
    }

    @Override
    void commitButHangNextPost(String text) {
        server.stubFor(post("/2/tweets").willReturn(aResponse().withStatus(201).withFixedDelay(3000)
                .withHeader("Content-Type", "application/json").withBody("{\"data\":{\"id\":\"1900000000000000007\",\"text\":\"" + text + "\"}}")));
        stubTimeline("{\"data\":[{\"id\":\"1900000000000000007\",\"text\":\"" + text + "\",\"created_at\":\"" + Instant.now() + "\"}],"
                + "\"meta\":{\"result_count\":1}}");
    }

    @Override
    void expectDuplicate(String text) {
        server.stubFor(post("/2/tweets").inScenario("dup").whenScenarioStateIs(Scenario.STARTED).willSetStateTo("posted")
                .willReturn(aResponse().withStatus(201).withHeader("Content-Type", "application/json")
                        .withBody("{\"data\":{\"id\":\"1900000000000000009\",\"text\":\"" + text + "\"}}")));
        server.stubFor(post("/2/tweets").inScenario("dup").whenScenarioStateIs("posted")
                .willReturn(aResponse().withStatus(403).withHeader("Content-Type", "application/problem+json")
                        .withBody("{\"detail\":\"You are not allowed to create a Tweet with duplicate content.\",\"type\":\"about:blank\",\"title\":\"Forbidden\",\"status\":403}")));
        // X shows the post back with its links wrapped in t.co
        stubTimeline("{\"data\":[{\"id\":\"1900000000000000003\",\"text\":\"something else\"},"
                + "{\"id\":\"1900000000000000009\",\"text\":\"" + text + "\"}],\"meta\":{\"result_count\":2}}");
    }

    @Override
    void expectTimelineWithout(String text) {
        stubTimeline("{\"data\":[{\"id\":\"1900000000000000003\",\"text\":\"something else\"}],\"meta\":{\"result_count\":1}}");
    }

    @Override
    void expectPostOnTheSecondPage(String text) {
        server.stubFor(post("/2/tweets").willReturn(aResponse().withStatus(201).withHeader("Content-Type", "application/json")
                .withBody("{\"data\":{\"id\":\"1900000000000000011\",\"text\":\"" + text + "\"}}")));
        stubPages("{\"data\":[{\"id\":\"1900000000000000012\",\"text\":\"newer\"}],\"meta\":{\"result_count\":1,\"next_token\":\"" + NEXT + "\"}}",
                "{\"data\":[{\"id\":\"1900000000000000011\",\"text\":\"" + text + "\"}],\"meta\":{\"result_count\":1}}");
    }

    @Override
    void expectPagesWithout(String text) {
        stubPages("{\"data\":[{\"id\":\"1900000000000000012\",\"text\":\"newer\"}],\"meta\":{\"result_count\":1,\"next_token\":\"" + NEXT + "\"}}",
                "{\"data\":[{\"id\":\"1900000000000000010\",\"text\":\"older\"}],\"meta\":{\"result_count\":1}}");
    }

    @Override
    void newerPostsFollow(int count) {
        // the stubbed timelines already hold newer posts in front
    }

    @Test
    void aTimelineThatNeverEndsWithinThePageCapIsUnknownNotAbsent() {
        server.stubFor(get(urlPathEqualTo("/2/users/" + USER + "/tweets")).willReturn(okJson(
                "{\"data\":[{\"id\":\"1900000000000000012\",\"text\":\"newer\"}],\"meta\":{\"result_count\":1,\"next_token\":\"" + NEXT + "\"}}")));
        XAdapter x = smallPages();
        PublishRequest request = request("lost " + UUID.randomUUID(), List.of(), TOKEN);

        assertThat(x.reconcile(x.steps(request).getFirst(), request, context(Duration.ofSeconds(10))))
                .isInstanceOf(ReconcileResult.Unknown.class);
        server.verify(XAdapter.MAX_RECONCILE_PAGES, getRequestedFor(urlPathEqualTo("/2/users/" + USER + "/tweets")));
    }

    private void stubPages(String first, String second) {
        server.stubFor(get(urlPathEqualTo("/2/users/" + USER + "/tweets")).withHeader("Authorization", equalTo("Bearer " + TOKEN))
                .withQueryParam("max_results", equalTo("5")).withQueryParam("pagination_token", absent()).willReturn(okJson(first)));
        server.stubFor(get(urlPathEqualTo("/2/users/" + USER + "/tweets")).withHeader("Authorization", equalTo("Bearer " + TOKEN))
                .withQueryParam("max_results", equalTo("5")).withQueryParam("pagination_token", equalTo(NEXT)).willReturn(okJson(second)));
    }

    private void stubTimeline(String body) {
        server.stubFor(get(urlPathEqualTo("/2/users/" + USER + "/tweets")).withHeader("Authorization", equalTo("Bearer " + TOKEN))
                .withQueryParam("max_results", equalTo("100")).withQueryParam("tweet.fields", equalTo("created_at,attachments"))
                .willReturn(okJson(body)));
    }
}
