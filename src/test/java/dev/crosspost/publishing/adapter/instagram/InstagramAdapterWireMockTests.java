package dev.crosspost.publishing.adapter.instagram;

import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import dev.crosspost.publishing.adapter.AdapterTestSupport;
import dev.crosspost.publishing.adapter.ReconcileResult;
import dev.crosspost.publishing.adapter.RecordingContext;
import dev.crosspost.publishing.adapter.StepResult;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The contract against WireMock stubs of graph.instagram.com and rupload.facebook.com, written from the platform
 * notes: a container that is {@code IN_PROGRESS} once, then {@code FINISHED}, then {@code PUBLISHED} after
 * {@code media_publish}.
 */
class InstagramAdapterWireMockTests extends InstagramAdapterContract {

    private static final String CONTAINER = "17890000000000101";
    private static final String AFTER = "QVFIUnBhZ2Uy";
    private static final String MEDIA = "17950000000000101";
    private static final String PUBLISH = "/v21.0/%s/media_publish";

    @RegisterExtension
    final WireMockExtension server = AdapterTestSupport.stubServer();

    @BeforeEach
    void stubInstagram() {
        String user = "/v21.0/" + igUserId;
        server.stubFor(post(urlPathEqualTo(user + "/media"))
                .withRequestBody(containing("media_type=REELS")).withRequestBody(containing("upload_type=resumable"))
                .withRequestBody(containing("access_token=" + TOKEN))
                .willReturn(okJson("{\"id\":\"" + CONTAINER + "\",\"uri\":\"" + server.baseUrl() + "/ig-api-upload/v21.0/" + CONTAINER + "\"}")));
        server.stubFor(post(urlPathEqualTo(user + "/media")).withRequestBody(containing("access_token=revoked-token"))
                .willReturn(aResponse().withStatus(400).withHeader("Content-Type", "application/json").withBody("""
                        {"error":{"message":"Invalid OAuth access token - Cannot parse access token","type":"OAuthException",
                         "code":190,"fbtrace_id":"AbCdEf"}}""")));
        server.stubFor(post(urlPathEqualTo("/ig-api-upload/v21.0/" + CONTAINER))
                .withHeader("Authorization", equalTo("OAuth " + TOKEN)).withHeader("offset", equalTo("0"))
                .withHeader("file_size", equalTo(Long.toString(video.sizeBytes())))
                .willReturn(okJson("{\"success\":true,\"message\":\"Upload successful.\"}")));
        String container = "/v21.0/" + CONTAINER;
        server.stubFor(get(urlPathEqualTo(container)).inScenario("container").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(okJson("{\"status_code\":\"IN_PROGRESS\",\"status\":\"In Progress: 0%\",\"id\":\"" + CONTAINER + "\"}"))
                .willSetStateTo("processed"));
        server.stubFor(get(urlPathEqualTo(container)).inScenario("container").whenScenarioStateIs("processed")
                .willReturn(okJson("{\"status_code\":\"FINISHED\",\"status\":\"Finished: 100%\",\"id\":\"" + CONTAINER + "\"}")));
        server.stubFor(get(urlPathEqualTo(container)).inScenario("container").whenScenarioStateIs("published")
                .willReturn(okJson("{\"status_code\":\"PUBLISHED\",\"status\":\"Published\",\"id\":\"" + CONTAINER + "\"}")));
        server.stubFor(get(urlPathEqualTo(user + "/content_publishing_limit")).withQueryParam("fields", equalTo("quota_usage,config"))
                .willReturn(okJson("{\"data\":[{\"quota_usage\":3,\"config\":{\"quota_total\":50,\"quota_duration\":86400}}]}")));
        server.stubFor(post(urlPathEqualTo(PUBLISH.formatted(igUserId))).withRequestBody(containing("creation_id=" + CONTAINER))
                .inScenario("container").whenScenarioStateIs("processed")
                .willReturn(okJson("{\"id\":\"" + MEDIA + "\"}")).willSetStateTo("published"));
        server.stubFor(get(urlPathEqualTo("/v21.0/" + MEDIA)).withQueryParam("fields", equalTo("permalink"))
                .willReturn(okJson("{\"permalink\":\"https://www.instagram.com/reel/DAbc123/\",\"id\":\"" + MEDIA + "\"}")));
        String now = ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssZ"));
        // two pages: a newer Reel first, ours behind the cursor, then the end (no paging.next)
        server.stubFor(get(urlPathEqualTo(user + "/media")).withQueryParam("after", absent()).willReturn(okJson("""
                {"data":[{"id":"17950000000000199","caption":"a newer post","permalink":"https://www.instagram.com/reel/DNew/","timestamp":"%s"}],
                 "paging":{"cursors":{"before":"QVFIUmFi","after":"%s"},"next":"%s%s/media?after=%s"}}"""
                .formatted(now, AFTER, server.baseUrl(), user, AFTER))));
        server.stubFor(get(urlPathEqualTo(user + "/media")).withQueryParam("after", equalTo(AFTER)).willReturn(okJson("""
                {"data":[{"id":"%s","caption":"%s","permalink":"https://www.instagram.com/reel/DAbc123/","timestamp":"%s"},
                         {"id":"17950000000000099","caption":"an older post","permalink":"https://www.instagram.com/reel/DOld/","timestamp":"%s"}],
                 "paging":{"cursors":{"before":"QVFIUmNk","after":"QVFIUmVm"}}}""".formatted(MEDIA, caption, now, now))));
    }

    @Test
    void aPublishedReelMissingFromEveryPageWithinTheCapIsUnknownNotAbsent() {
        InstagramAdapter adapter = onePerPage();
        RecordingContext context = new RecordingContext(Duration.ofSeconds(10));
        Map<String, String> outputs = finishedContainer(adapter, context);
        assertThat(adapter.run(step(adapter, "publish"), request(caption, List.of(video), outputs, TOKEN), context))
                .isInstanceOf(StepResult.Done.class);
        String user = "/v21.0/" + igUserId + "/media";
        String now = ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssZ"));
        server.stubFor(get(urlPathEqualTo(user)).atPriority(1).willReturn(okJson("""
                {"data":[{"id":"17950000000000199","caption":"a newer post","timestamp":"%s"}],
                 "paging":{"cursors":{"after":"%s"},"next":"%s%s?after=%s"}}""".formatted(now, AFTER, server.baseUrl(), user, AFTER))));
        server.resetRequests();

        assertThat(adapter.reconcile(step(adapter, "publish"), request(caption, List.of(video), outputs, TOKEN), context))
                .isInstanceOf(ReconcileResult.Unknown.class);
        server.verify(InstagramAdapter.MAX_LOOKUP_PAGES, getRequestedFor(urlPathEqualTo(user)));
    }

    @Override
    void newerReelFollows() {
        // the stubbed account already lists a newer Reel in front
    }

    @Override
    String baseUrl() {
        return server.baseUrl();
    }

    @Override
    void processingFinishes() {
        // the scenario moves on by itself after the first status check
    }

    @Override
    void nextPublishThrottled(int minutes) {
        server.stubFor(post(urlPathEqualTo(PUBLISH.formatted(igUserId))).atPriority(1)
                .willReturn(aResponse().withStatus(400).withHeader("Content-Type", "application/json")
                        .withHeader("X-Business-Use-Case-Usage", "{\"" + igUserId + "\":[{\"type\":\"instagram\",\"call_count\":100,"
                                + "\"total_cputime\":20,\"total_time\":25,\"estimated_time_to_regain_access\":" + minutes + "}]}")
                        .withBody("""
                                {"error":{"message":"(#4) Application request limit reached","type":"OAuthException","code":4,
                                 "is_transient":true,"fbtrace_id":"AbCdEf"}}""")));
    }

    @Override
    void nextPublishAnswersAfter(Duration hang) {
        server.stubFor(post(urlPathEqualTo(PUBLISH.formatted(igUserId))).atPriority(1)
                .inScenario("container").whenScenarioStateIs("processed")
                .willReturn(okJson("{\"id\":\"" + MEDIA + "\"}").withFixedDelay((int) hang.toMillis())).willSetStateTo("published"));
    }

    @Override
    void nextPublishFailsOnTheServer() {
        server.stubFor(post(urlPathEqualTo(PUBLISH.formatted(igUserId))).atPriority(1)
                .willReturn(aResponse().withStatus(500).withHeader("Content-Type", "application/json").withBody("""
                        {"error":{"message":"An unexpected error has occurred. Please retry your request later.","type":"OAuthException",
                         "code":2,"is_transient":true,"fbtrace_id":"AbCdEf"}}""")));
    }

    @Override
    void nextPublishConnectionReset() {
        server.stubFor(post(urlPathEqualTo(PUBLISH.formatted(igUserId))).atPriority(1)
                .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
    }

    @Override
    void uploadedVideoIsUnplayable() {
        server.stubFor(get(urlPathEqualTo("/v21.0/" + CONTAINER)).atPriority(1).willReturn(okJson("""
                {"status_code":"ERROR","status":"Error: 2207026 the video format is not supported; upload an MP4 or MOV file","id":"%s"}"""
                .formatted(CONTAINER))));
    }

    @Override
    void captionTooLongIsRefused() {
        server.stubFor(post(urlPathEqualTo("/v21.0/" + igUserId + "/media")).atPriority(1)
                .withRequestBody(containing("%23run+%23run+%23run"))
                .willReturn(aResponse().withStatus(400).withHeader("Content-Type", "application/json").withBody("""
                        {"error":{"message":"The caption is too long: it must be at most 2200 characters","type":"OAuthException",
                         "code":100,"error_subcode":2207010,"is_transient":false,
                         "error_user_msg":"The caption is too long: it must be at most 2200 characters","fbtrace_id":"AbCdEf"}}""")));
    }

    @Override
    long published(String caption) {
        // a publish counts once the stub answered it (however late), not when it was cut off or refused
        return server.getAllServeEvents().stream()
                .filter(e -> e.getRequest().getUrl().startsWith(PUBLISH.formatted(igUserId)))
                .filter(e -> e.getResponseDefinition().getStatus() == 200 && e.getResponseDefinition().getFault() == null)
                .count();
    }
}
