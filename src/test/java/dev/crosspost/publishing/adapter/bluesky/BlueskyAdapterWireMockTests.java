package dev.crosspost.publishing.adapter.bluesky;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import dev.crosspost.publishing.adapter.AdapterTestSupport;
import dev.crosspost.publishing.adapter.PublishRequest;
import dev.crosspost.publishing.adapter.StepResult;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;

/** {@link BlueskyAdapter} against WireMock stubs of a PDS, written from the platform notes. */
class BlueskyAdapterWireMockTests extends BlueskyAdapterContract {

    private static final String TOKEN = "eyJ0eXAiOiJhdCtqd3QifQ.eyJzdWIiOiJkaWQ6cGxjOngifQ.sig";

    @RegisterExtension
    final WireMockExtension server = AdapterTestSupport.stubServer();

    @BeforeEach
    void unauthorizedByDefault() {
        server.stubFor(post(urlPathMatching("/xrpc/.*")).atPriority(10).willReturn(aResponse().withStatus(401)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"error\":\"AuthenticationRequired\",\"message\":\"Authentication Required\"}")));
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
        return "revoked";
    }

    @Override
    long requestsSeen() {
        return server.getAllServeEvents().size();
    }

    @Override
    void assertPostedOnce(String rkey) {
        long created = server.getAllServeEvents().stream()
                .filter(e -> e.getRequest().getUrl().equals("/xrpc/com.atproto.repo.createRecord") && e.getResponse().getStatus() == 200)
                .filter(e -> e.getRequest().getBodyAsString().contains("\"rkey\":\"" + rkey + "\""))
                .count();
        assertThat(created).isEqualTo(1);
    }

    @Override
    void expectImagePost(String rkey, int images) {
        server.stubFor(post("/xrpc/com.atproto.repo.uploadBlob").withHeader("Authorization", equalTo("Bearer " + TOKEN))
                .withHeader("Content-Type", equalTo("image/jpeg")).willReturn(okJson("""
                        {"blob":{"$type":"blob","ref":{"$link":"bafkreibabalobzn6cd366ukcsjycp4yymjymgfxcv6xczmlgpemzkz3cfa"},"mimeType":"image/jpeg","size":3000}}""")));
        server.stubFor(post("/xrpc/com.atproto.repo.createRecord").withHeader("Authorization", equalTo("Bearer " + TOKEN))
                .withRequestBody(matchingJsonPath("$.repo", equalTo(DID)))
                .withRequestBody(matchingJsonPath("$.collection", equalTo("app.bsky.feed.post")))
                .withRequestBody(matchingJsonPath("$.rkey", equalTo(rkey)))
                .withRequestBody(matchingJsonPath("$.record.embed.$type", equalTo("app.bsky.embed.images")))
                .withRequestBody(matchingJsonPath("$.record.embed.images.length()", equalTo(Integer.toString(images))))
                .withRequestBody(matchingJsonPath("$.record.createdAt"))
                .willReturn(created(rkey).withHeader("RateLimit-Limit", "5000").withHeader("RateLimit-Remaining", "4997")
                        .withHeader("RateLimit-Reset", Long.toString(Instant.now().getEpochSecond() + 3600))
                        .withHeader("RateLimit-Policy", "5000;w=3600")));
    }

    @Override
    void expectVideoPost(String rkey) {
        stubVideoService();
        String blob = "{\"$type\":\"blob\",\"ref\":{\"$link\":\"bafkreivideo\"},\"mimeType\":\"video/mp4\",\"size\":40000}";
        server.stubFor(get(urlPathEqualTo("/xrpc/app.bsky.video.getJobStatus")).withQueryParam("jobId", equalTo("job-1"))
                .inScenario("job").whenScenarioStateIs(Scenario.STARTED).willSetStateTo("encoded")
                .willReturn(okJson("{\"jobStatus\":{\"jobId\":\"job-1\",\"did\":\"" + DID + "\",\"state\":\"JOB_STATE_ENCODING\",\"progress\":40}}")));
        server.stubFor(get(urlPathEqualTo("/xrpc/app.bsky.video.getJobStatus")).withQueryParam("jobId", equalTo("job-1"))
                .inScenario("job").whenScenarioStateIs("encoded")
                .willReturn(okJson("{\"jobStatus\":{\"jobId\":\"job-1\",\"did\":\"" + DID + "\",\"state\":\"JOB_STATE_COMPLETED\",\"blob\":" + blob + "}}")));
        server.stubFor(post("/xrpc/com.atproto.repo.createRecord").withHeader("Authorization", equalTo("Bearer " + TOKEN))
                .withRequestBody(matchingJsonPath("$.rkey", equalTo(rkey)))
                .withRequestBody(matchingJsonPath("$.record.embed.$type", equalTo("app.bsky.embed.video")))
                .withRequestBody(matchingJsonPath("$.record.embed.video.ref.$link", equalTo("bafkreivideo")))
                .willReturn(created(rkey)));
    }

    @Override
    void expectBrokenVideo() {
        stubVideoService();
        server.stubFor(get(urlPathEqualTo("/xrpc/app.bsky.video.getJobStatus")).withQueryParam("jobId", equalTo("job-1"))
                .willReturn(okJson("{\"jobStatus\":{\"jobId\":\"job-1\",\"did\":\"" + DID + "\",\"state\":\"JOB_STATE_FAILED\","
                        + "\"failureCode\":\"validation_failure\",\"error\":\"validation_failure\",\"message\":\"Video is not a valid MP4 file\"}}")));
    }

    /** A service token from the PDS, then the upload with it. */
    private void stubVideoService() {
        server.stubFor(get(urlPathEqualTo("/xrpc/com.atproto.server.getServiceAuth")).withHeader("Authorization", equalTo("Bearer " + TOKEN))
                .withQueryParam("aud", equalTo("did:web:localhost")).withQueryParam("lxm", equalTo("com.atproto.repo.uploadBlob"))
                .willReturn(okJson("{\"token\":\"service-token\"}")));
        server.stubFor(post(urlPathEqualTo("/xrpc/app.bsky.video.uploadVideo")).withHeader("Authorization", equalTo("Bearer service-token"))
                .withQueryParam("did", equalTo(DID)).withHeader("Content-Type", equalTo("video/mp4"))
                .willReturn(okJson("{\"jobStatus\":{\"jobId\":\"job-1\",\"did\":\"" + DID + "\",\"state\":\"JOB_STATE_CREATED\"}}")));
    }

    @Override
    void rateLimitNextPost(int seconds) {
        server.stubFor(post("/xrpc/com.atproto.repo.createRecord").willReturn(aResponse().withStatus(429)
                .withHeader("Content-Type", "application/json").withHeader("RateLimit-Limit", "5000").withHeader("RateLimit-Remaining", "0")
                .withHeader("RateLimit-Reset", Long.toString(Instant.now().getEpochSecond() + seconds)).withHeader("RateLimit-Policy", "5000;w=3600")
                .withBody("{\"error\":\"RateLimitExceeded\",\"message\":\"Rate Limit Exceeded\"}")));
    }

    @Override
    void commitButHangNextPost(String rkey) {
        server.stubFor(post("/xrpc/com.atproto.repo.createRecord").willReturn(created(rkey).withFixedDelay(3000)));
        stubRecord(rkey);
    }

    @Override
    void expectDuplicate(String rkey) {
        server.stubFor(post("/xrpc/com.atproto.repo.createRecord").inScenario("dup").whenScenarioStateIs(Scenario.STARTED)
                .willSetStateTo("written").willReturn(created(rkey)));
        server.stubFor(post("/xrpc/com.atproto.repo.createRecord").inScenario("dup").whenScenarioStateIs("written")
                .willReturn(aResponse().withStatus(400).withHeader("Content-Type", "application/json")
                        .withBody("{\"error\":\"InvalidRequest\",\"message\":\"Record already exists at at://" + DID + "/app.bsky.feed.post/" + rkey + "\"}")));
        stubRecord(rkey);
    }

    @Override
    void expectNoRecord(String rkey) {
        server.stubFor(get(urlPathEqualTo("/xrpc/com.atproto.repo.getRecord")).withQueryParam("rkey", equalTo(rkey))
                .willReturn(aResponse().withStatus(400).withHeader("Content-Type", "application/json")
                        .withBody("{\"error\":\"RecordNotFound\",\"message\":\"Could not locate record: at://" + DID + "/app.bsky.feed.post/" + rkey + "\"}")));
    }

    @Test
    void aRecordThePdsRefusesIsRejectedInItsWords() {
        server.stubFor(post("/xrpc/com.atproto.repo.createRecord").willReturn(aResponse().withStatus(400)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"error\":\"InvalidRequest\",\"message\":\"Invalid app.bsky.feed.post record: Record/langs must not have more than 3 elements\"}")));
        BlueskyAdapter bluesky = adapter();
        PublishRequest request = request("refused", List.of(), token());
        assertThat(bluesky.run(bluesky.steps(request).getFirst(), request, context(Duration.ofSeconds(10))))
                .isEqualTo(new StepResult.Rejected("InvalidRequest",
                        "Bluesky: Invalid app.bsky.feed.post record: Record/langs must not have more than 3 elements", 400));
        server.verify(1, postRequestedFor(urlEqualTo("/xrpc/com.atproto.repo.createRecord")));
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder created(String rkey) {
        return okJson("{\"uri\":\"at://" + DID + "/app.bsky.feed.post/" + rkey + "\",\"cid\":\"bafyreig2fjxi3rptqdgylg7e5hmjl6mcke7rn2b6cugzlqq3i4zu6rq52q\","
                + "\"commit\":{\"cid\":\"bafyreia\",\"rev\":\"3l6oveex3ii2l\"},\"validationStatus\":\"valid\"}");
    }

    private void stubRecord(String rkey) {
        server.stubFor(get(urlPathEqualTo("/xrpc/com.atproto.repo.getRecord")).withQueryParam("repo", equalTo(DID))
                .withQueryParam("collection", equalTo("app.bsky.feed.post")).withQueryParam("rkey", equalTo(rkey))
                .willReturn(okJson("{\"uri\":\"at://" + DID + "/app.bsky.feed.post/" + rkey + "\",\"cid\":\"bafyreig\",\"value\":{\"text\":\"x\"}}")));
    }
}
