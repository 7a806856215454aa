package dev.crosspost.publishing.adapter.pinterest;

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
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aMultipart;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The contract against WireMock stubs of api.pinterest.com/v5 and its S3 upload form, written from the platform
 * notes: media {@code processing} once, then {@code succeeded}; the board lists the Pin once it was created.
 */
class PinterestAdapterWireMockTests extends PinterestAdapterContract {

    private static final String BOARD = "549755885175";
    private static final String MEDIA = "5143125425423";
    private static final String PIN = "813744226420795884";
    private static final String SECOND_PAGE = "Y3Jvc3Nwb3N0OnBhZ2UtMg==";
    private static final String BEARER = "Bearer " + TOKEN;

    @RegisterExtension
    final WireMockExtension server = AdapterTestSupport.stubServer();

    @BeforeEach
    void stubPinterest() {
        server.stubFor(get(urlPathEqualTo("/v5/boards")).withHeader("Authorization", equalTo(BEARER))
                .willReturn(okJson("{\"items\":[{\"id\":\"" + BOARD + "\",\"name\":\"Crosspost\",\"privacy\":\"PUBLIC\"}],\"bookmark\":null}")));
        server.stubFor(get(urlPathEqualTo("/v5/boards")).withHeader("Authorization", equalTo("Bearer revoked-token"))
                .willReturn(aResponse().withStatus(401).withHeader("Content-Type", "application/json")
                        .withBody("{\"code\":2,\"message\":\"Authentication failed.\"}")));
        server.stubFor(post(urlPathEqualTo("/v5/media")).withHeader("Authorization", equalTo(BEARER))
                .withRequestBody(equalToJson("{\"media_type\":\"video\"}"))
                .willReturn(aResponse().withStatus(201).withHeader("Content-Type", "application/json").withBody("""
                        {"media_id":"%s","media_type":"video","upload_url":"%s/pinterest-media-upload",
                         "upload_parameters":{"x-amz-date":"20260101T000000Z","x-amz-signature":"abc123","x-amz-security-token":"tok",
                          "x-amz-algorithm":"AWS4-HMAC-SHA256","key":"uploads/%s","policy":"eyJ9","x-amz-credential":"AKIA/20260101/us-east-1/s3/aws4_request",
                          "Content-Type":"multipart/form-data"}}""".formatted(MEDIA, server.baseUrl(), MEDIA))));
        server.stubFor(post(urlPathEqualTo("/pinterest-media-upload"))
                .withMultipartRequestBody(aMultipart().withName("key").withBody(equalTo("uploads/" + MEDIA)))
                .withMultipartRequestBody(aMultipart().withName("x-amz-signature").withBody(equalTo("abc123")))
                .withMultipartRequestBody(aMultipart().withName("file"))
                .willReturn(aResponse().withStatus(204)));
        server.stubFor(get(urlPathEqualTo("/v5/media/" + MEDIA)).inScenario("media").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(okJson("{\"media_id\":\"" + MEDIA + "\",\"media_type\":\"video\",\"status\":\"processing\"}")).willSetStateTo("done"));
        server.stubFor(get(urlPathEqualTo("/v5/media/" + MEDIA)).inScenario("media").whenScenarioStateIs("done")
                .willReturn(okJson("{\"media_id\":\"" + MEDIA + "\",\"media_type\":\"video\",\"status\":\"succeeded\"}")));
        server.stubFor(post(urlPathEqualTo("/v5/pins")).inScenario("pin").whenScenarioStateIs(Scenario.STARTED)
                .withHeader("Authorization", equalTo(BEARER))
                .withRequestBody(matchingJsonPath("$.board_id", equalTo(BOARD)))
                .withRequestBody(matchingJsonPath("$.note", equalTo(PinterestAdapter.MARKER + key)))
                .withRequestBody(matchingJsonPath("$.media_source.source_type", equalTo("video_id")))
                .withRequestBody(matchingJsonPath("$.media_source.media_id", equalTo(MEDIA)))
                .willReturn(aResponse().withStatus(201).withHeader("Content-Type", "application/json").withBody(pin()))
                .willSetStateTo("pinned"));
        // the board lists two pages either way; the Pin, once created, is on the second behind a newer one
        String other = "{\"id\":\"813744226420795001\",\"note\":\"crosspost:another-key\",\"board_id\":\"" + BOARD + "\"}";
        String older = "{\"id\":\"813744226420795000\",\"note\":\"crosspost:older-key\",\"board_id\":\"" + BOARD + "\"}";
        String newer = "{\"id\":\"813744226420799999\",\"note\":\"crosspost:newer-key\",\"board_id\":\"" + BOARD + "\"}";
        server.stubFor(get(urlPathEqualTo("/v5/boards/" + BOARD + "/pins")).inScenario("pin").whenScenarioStateIs(Scenario.STARTED)
                .withQueryParam("bookmark", absent())
                .willReturn(okJson("{\"items\":[" + other + "],\"bookmark\":\"" + SECOND_PAGE + "\"}")));
        server.stubFor(get(urlPathEqualTo("/v5/boards/" + BOARD + "/pins")).inScenario("pin").whenScenarioStateIs(Scenario.STARTED)
                .withQueryParam("bookmark", equalTo(SECOND_PAGE))
                .willReturn(okJson("{\"items\":[" + older + "],\"bookmark\":null}")));
        server.stubFor(get(urlPathEqualTo("/v5/boards/" + BOARD + "/pins")).inScenario("pin").whenScenarioStateIs("pinned")
                .withQueryParam("bookmark", absent())
                .willReturn(okJson("{\"items\":[" + newer + "],\"bookmark\":\"" + SECOND_PAGE + "\"}")));
        server.stubFor(get(urlPathEqualTo("/v5/boards/" + BOARD + "/pins")).inScenario("pin").whenScenarioStateIs("pinned")
                .withQueryParam("bookmark", equalTo(SECOND_PAGE))
                .willReturn(okJson("{\"items\":[" + pin() + "," + other + "],\"bookmark\":null}")));
    }

    @Test
    void aBoardThatNeverEndsWithinThePageCapIsUnknownNotAbsent() {
        PinterestAdapter adapter = adapter(1);
        RecordingContext context = new RecordingContext(Duration.ofSeconds(10));
        Map<String, String> outputs = processedVideo(adapter, context);
        nextPinConnectionReset();
        assertThat(run(adapter, "publish", description, outputs, context)).isInstanceOf(StepResult.OutcomeUnknown.class);
        server.stubFor(get(urlPathEqualTo("/v5/boards/" + BOARD + "/pins")).atPriority(1)
                .willReturn(okJson("{\"items\":[],\"bookmark\":\"" + SECOND_PAGE + "\"}")));

        assertThat(adapter.reconcile(step(adapter, "publish"), request(description, List.of(video), outputs, TOKEN), context))
                .isInstanceOf(ReconcileResult.Unknown.class);
        server.verify(PinterestAdapter.MAX_RECONCILE_PAGES, getRequestedFor(urlPathEqualTo("/v5/boards/" + BOARD + "/pins")));
    }

    @Override
    void boardHoldsOnlyOldPins() {
        String old = "{\"id\":\"813744226420790000\",\"note\":\"crosspost:old-key\",\"board_id\":\"" + BOARD
                + "\",\"created_at\":\"2020-01-01T10:00:00\"}";
        server.stubFor(get(urlPathEqualTo("/v5/boards/" + BOARD + "/pins")).atPriority(1)
                .willReturn(okJson("{\"items\":[" + old + "],\"bookmark\":\"" + SECOND_PAGE + "\"}")));
    }

    private String pin() {
        return """
                {"id":"%s","created_at":"2026-01-01T10:00:00","board_id":"%s","description":"%s","note":"%s%s",
                 "creative_type":"VIDEO","media":{"media_type":"video"}}""".formatted(PIN, BOARD, description, PinterestAdapter.MARKER, key);
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
    void nextPinThrottled(int seconds) {
        server.stubFor(post(urlPathEqualTo("/v5/pins")).atPriority(1).willReturn(aResponse().withStatus(429)
                .withHeader("Content-Type", "application/json").withHeader("Retry-After", Integer.toString(seconds))
                .withBody("{\"code\":8,\"message\":\"You have exceeded your rate limit. Try again later.\"}")));
    }

    @Override
    void nextPinAnswersAfter(Duration hang) {
        server.stubFor(post(urlPathEqualTo("/v5/pins")).atPriority(1).inScenario("pin").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(201).withHeader("Content-Type", "application/json").withBody(pin())
                        .withFixedDelay((int) hang.toMillis()))
                .willSetStateTo("pinned"));
    }

    @Override
    void nextPinFailsOnTheServer() {
        server.stubFor(post(urlPathEqualTo("/v5/pins")).atPriority(1).willReturn(aResponse().withStatus(503)
                .withHeader("Content-Type", "application/json").withBody("{\"code\":3,\"message\":\"Service unavailable. Try again later.\"}")));
    }

    @Override
    void nextPinConnectionReset() {
        server.stubFor(post(urlPathEqualTo("/v5/pins")).atPriority(1).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
    }

    @Override
    void uploadedVideoIsUnplayable() {
        server.stubFor(get(urlPathEqualTo("/v5/media/" + MEDIA)).atPriority(1)
                .willReturn(okJson("{\"media_id\":\"" + MEDIA + "\",\"media_type\":\"video\",\"status\":\"failed\"}")));
    }

    @Override
    void longDescriptionIsRefused() {
        server.stubFor(post(urlPathEqualTo("/v5/pins")).atPriority(1).withRequestBody(matchingJsonPath("$.description", matching(".{801,}")))
                .willReturn(aResponse().withStatus(400).withHeader("Content-Type", "application/json")
                        .withBody("{\"code\":1,\"message\":\"Invalid parameters: description must be at most 800 characters\"}")));
    }

    @Override
    void anotherPinIsOnTheBoard() {
        // the stubbed board always holds other Pins around the one in doubt
    }

    @Override
    long pinned(String key) {
        // a Pin counts once the stub answered 201 (however late), not when it was cut off or refused
        return server.getAllServeEvents().stream()
                .filter(e -> e.getRequest().getUrl().equals("/v5/pins"))
                .filter(e -> e.getResponseDefinition().getStatus() == 201 && e.getResponseDefinition().getFault() == null)
                .count();
    }
}
