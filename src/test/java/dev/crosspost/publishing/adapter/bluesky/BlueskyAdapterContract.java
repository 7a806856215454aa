package dev.crosspost.publishing.adapter.bluesky;

import dev.crosspost.publishing.adapter.AdapterTestSupport;
import dev.crosspost.publishing.adapter.ErrorClass;
import dev.crosspost.publishing.adapter.MediaRef;
import dev.crosspost.publishing.adapter.PublishRequest;
import dev.crosspost.publishing.adapter.ReconcileResult;
import dev.crosspost.publishing.adapter.RecordingContext;
import dev.crosspost.publishing.adapter.Step;
import dev.crosspost.publishing.adapter.StepContext;
import dev.crosspost.publishing.adapter.StepResult;
import dev.crosspost.publishing.adapter.http.AdapterHttp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.crosspost.publishing.adapter.AdapterTestSupport.FILES;
import static dev.crosspost.publishing.adapter.AdapterTestSupport.file;
import static dev.crosspost.publishing.adapter.AdapterTestSupport.seededBytes;
import static dev.crosspost.publishing.adapter.AdapterTestSupport.withOutputs;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Bluesky protocol scenarios every PDS must pass with {@link BlueskyAdapter}: against WireMock stubs written
 * from the platform notes and against the app's simulator.
 */
abstract class BlueskyAdapterContract {

    static final String DID = "did:plc:ewvi7nxzyoun6zhxrhs64oiz";

    @TempDir Path dir;
    final JsonMapper json = JsonMapper.builder().build();
    final RecordingContext observed = new RecordingContext(Duration.ofSeconds(10));

    abstract String baseUrl();

    abstract String token();

    abstract String revokedToken();

    /** The repo (DID) the token writes to. */
    String did() {
        return DID;
    }

    abstract void rateLimitNextPost(int seconds);

    abstract void commitButHangNextPost(String rkey);

    void expectImagePost(String rkey, int images) {
    }

    void expectVideoPost(String rkey) {
    }

    void expectBrokenVideo() {
    }

    void expectDuplicate(String rkey) {
    }

    void expectNoRecord(String rkey) {
    }

    abstract long requestsSeen();

    abstract void assertPostedOnce(String rkey);

    BlueskyAdapter adapter() {
        return new BlueskyAdapter(this::baseUrl, this::baseUrl, AdapterHttp.client(), FILES, json, Clock.systemUTC(), AdapterTestSupport.videoLimits("bluesky"));
    }

    @Test
    void postsTwoImagesAsBlobsThenTheRecordUnderTheDerivedKey() throws IOException {
        PublishRequest request = request("Trail Runner 2 " + UUID.randomUUID(), List.of(image(3000), image(5000)), token());
        String rkey = RecordKey.of(request.idempotencyKey());
        expectImagePost(rkey, 2);
        BlueskyAdapter bluesky = adapter();
        List<Step> steps = bluesky.steps(request);
        assertThat(steps).extracting(Step::name).containsExactly("upload", "publish");

        StepResult upload = bluesky.run(steps.get(0), request, context(Duration.ofSeconds(10)));
        assertThat(upload).isInstanceOf(StepResult.Done.class);
        Map<String, String> outputs = new HashMap<>(((StepResult.Done) upload).outputs());
        assertThat(json.readTree(outputs.get(BlueskyAdapter.BLOBS))).hasSize(2);

        StepResult publish = bluesky.run(steps.get(1), withOutputs(request, outputs), context(Duration.ofSeconds(10)));
        assertThat(publish).isInstanceOfSatisfying(StepResult.Done.class, done -> {
            assertThat(done.outputs().get(StepResult.PLATFORM_POST_ID)).isEqualTo("at://" + did() + "/app.bsky.feed.post/" + rkey);
            assertThat(done.outputs().get(StepResult.PLATFORM_URL)).isEqualTo("https://bsky.app/profile/" + did() + "/post/" + rkey);
        });
        assertThat(observed.quotas()).as("RateLimit-Remaining is passed on, in posts").isNotEmpty();
        assertPostedOnce(rkey);
    }

    @Test
    void postsAVideoThroughTheVideoServiceAndWaitsForItsProcessing() throws IOException {
        PublishRequest request = request("video " + UUID.randomUUID(), List.of(video(40_000, true)), token());
        String rkey = RecordKey.of(request.idempotencyKey());
        expectVideoPost(rkey);
        BlueskyAdapter bluesky = adapter();
        List<Step> steps = bluesky.steps(request);
        assertThat(steps).extracting(Step::name).containsExactly("upload", "process", "publish");

        StepResult upload = bluesky.run(steps.get(0), request, context(Duration.ofSeconds(10)));
        assertThat(upload).isInstanceOf(StepResult.Done.class);
        Map<String, String> outputs = new HashMap<>(((StepResult.Done) upload).outputs());
        StepResult process = runUntilProcessed(bluesky, steps.get(1), withOutputs(request, outputs));
        assertThat(process).isInstanceOf(StepResult.Done.class);
        outputs.putAll(((StepResult.Done) process).outputs());
        assertThat(json.readTree(outputs.get(BlueskyAdapter.BLOBS)).get(0).path("mimeType").asString()).isEqualTo("video/mp4");

        StepResult publish = bluesky.run(steps.get(2), withOutputs(request, outputs), context(Duration.ofSeconds(10)));
        assertThat(publish).isInstanceOfSatisfying(StepResult.Done.class, done ->
                assertThat(done.outputs().get(StepResult.PLATFORM_POST_ID)).isEqualTo("at://" + did() + "/app.bsky.feed.post/" + rkey));
        assertPostedOnce(rkey);
    }

    @Test
    void aVideoTheServiceCannotProcessIsRejectedInItsWords() throws IOException {
        expectBrokenVideo();
        PublishRequest request = request("broken video", List.of(video(20_000, false)), token());
        BlueskyAdapter bluesky = adapter();
        StepResult upload = bluesky.run(bluesky.steps(request).get(0), request, context(Duration.ofSeconds(10)));
        assertThat(upload).isInstanceOf(StepResult.Done.class);
        assertThat(runUntilProcessed(bluesky, bluesky.steps(request).get(1), withOutputs(request, ((StepResult.Done) upload).outputs())))
                .isEqualTo(new StepResult.Rejected("validation_failure", "Bluesky: video processing failed: Video is not a valid MP4 file", 200));
    }

    @Test
    void a429WaitsUntilTheRateLimitReset() {
        rateLimitNextPost(90);
        BlueskyAdapter bluesky = adapter();
        PublishRequest request = request("limited", List.of(), token());
        assertThat(bluesky.run(bluesky.steps(request).getFirst(), request, context(Duration.ofSeconds(10))))
                .isInstanceOfSatisfying(StepResult.RetryLater.class, r -> {
                    assertThat(r.errorClass()).isEqualTo(ErrorClass.RATE_LIMITED);
                    assertThat(r.reason()).isEqualTo("Bluesky: Rate Limit Exceeded");
                    assertThat(r.retryAfter()).isBetween(Duration.ofSeconds(80), Duration.ofSeconds(91));
                });
    }

    @Test
    void aTokenThePdsRefusesNeedsAReconnect() {
        BlueskyAdapter bluesky = adapter();
        PublishRequest request = request("revoked", List.of(), revokedToken());
        assertThat(bluesky.run(bluesky.steps(request).getFirst(), request, context(Duration.ofSeconds(10))))
                .isEqualTo(new StepResult.NeedsReconnect("Bluesky: Authentication Required"));
    }

    @Test
    void aSecondSendOfTheSamePublicationFindsTheFirstRecord() {
        PublishRequest request = request("once only " + UUID.randomUUID(), List.of(), token());
        expectDuplicate(RecordKey.of(request.idempotencyKey()));
        BlueskyAdapter bluesky = adapter();
        StepResult first = bluesky.run(bluesky.steps(request).getFirst(), request, context(Duration.ofSeconds(10)));
        assertThat(first).isInstanceOf(StepResult.Done.class);
        StepResult again = bluesky.run(bluesky.steps(request).getFirst(), request, context(Duration.ofSeconds(10)));
        assertThat(again).isEqualTo(first);
        assertPostedOnce(RecordKey.of(request.idempotencyKey()));
    }

    @Test
    void aRecordThatTimesOutAfterCommitIsUnknownThenFoundByItsKey() {
        PublishRequest request = request("in doubt " + UUID.randomUUID(), List.of(), token());
        String rkey = RecordKey.of(request.idempotencyKey());
        commitButHangNextPost(rkey);
        BlueskyAdapter bluesky = adapter();
        Step publish = bluesky.steps(request).getFirst();
        assertThat(bluesky.run(publish, request, context(Duration.ofMillis(700)))).isInstanceOf(StepResult.OutcomeUnknown.class);
        assertThat(bluesky.reconcile(publish, request, context(Duration.ofSeconds(10))))
                .isEqualTo(new ReconcileResult.Found(Map.of(StepResult.PLATFORM_POST_ID, "at://" + did() + "/app.bsky.feed.post/" + rkey,
                        StepResult.PLATFORM_URL, "https://bsky.app/profile/" + did() + "/post/" + rkey)));
        assertPostedOnce(rkey);
    }

    @Test
    void aRecordNeverWrittenIsProvedAbsent() {
        PublishRequest request = request("never sent", List.of(), token());
        expectNoRecord(RecordKey.of(request.idempotencyKey()));
        BlueskyAdapter bluesky = adapter();
        assertThat(bluesky.reconcile(bluesky.steps(request).getFirst(), request, context(Duration.ofSeconds(10))))
                .isEqualTo(new ReconcileResult.Absent());
    }

    @Test
    void preflightRejectsWhatThePdsWouldRefuseWithoutAnyCall() throws IOException {
        BlueskyAdapter bluesky = adapter();
        long before = requestsSeen();
        // 301 graphemes, one of them a family emoji of 7 code points
        PublishRequest text = request("a".repeat(300) + "👨‍👩‍👧‍👦", List.of(), token());
        assertThat(bluesky.run(bluesky.steps(text).getFirst(), text, context(Duration.ofSeconds(10))))
                .isEqualTo(new StepResult.Rejected("text_too_long", "Bluesky: the text is 301 characters (graphemes) long; the limit is 300", null));
        PublishRequest five = request("five", List.of(image(10), image(10), image(10), image(10), image(10)), token());
        assertThat(bluesky.run(bluesky.steps(five).getFirst(), five, context(Duration.ofSeconds(10))))
                .isEqualTo(new StepResult.Rejected("too_many_media", "Bluesky: a post embeds up to 4 images; got 5", null));
        PublishRequest big = request("big", List.of(new MediaRef(image(10).location(), "image/jpeg", 2_000_001)), token());
        assertThat(bluesky.run(bluesky.steps(big).getFirst(), big, context(Duration.ofSeconds(10))))
                .isEqualTo(new StepResult.Rejected("media_too_large", "Bluesky: an image is 2000001 bytes; the limit is 2000000 bytes", null));
        PublishRequest longer = request("long", List.of(AdapterTestSupport.probed(video(1000, true), 181, 1920, 1080)), token());
        assertThat(bluesky.run(bluesky.steps(longer).getFirst(), longer, context(Duration.ofSeconds(10))))
                .isEqualTo(new StepResult.Rejected("media_duration", "Bluesky: the video is 181 s long; the limit is 180 s", null));
        assertThat(requestsSeen()).isEqualTo(before);
    }

    private StepResult runUntilProcessed(BlueskyAdapter bluesky, Step step, PublishRequest request) {
        StepResult result = bluesky.run(step, request, context(Duration.ofSeconds(10)));
        for (int i = 0; i < 20 && result instanceof StepResult.RetryLater r; i++) {
            assertThat(r.errorClass()).isEqualTo(ErrorClass.PROCESSING);
            result = bluesky.run(step, request, context(Duration.ofSeconds(10)));
        }
        return result;
    }

    PublishRequest request(String text, List<MediaRef> media, String token) {
        return new PublishRequest(UUID.randomUUID(), "key-" + UUID.randomUUID(), "bluesky", "acct", text, media, Map.of(), token, did(), null);
    }

    StepContext context(Duration timeout) {
        return observed.withTimeout(timeout);
    }

    MediaRef image(int size) throws IOException {
        byte[] bytes = seededBytes(size);
        return file(dir, bytes, "image/jpeg", ".jpg");
    }

    MediaRef video(int size, boolean valid) throws IOException {
        byte[] bytes = seededBytes(size);
        if (valid) {
            System.arraycopy(new byte[]{0, 0, 0, 0x18, 'f', 't', 'y', 'p', 'i', 's', 'o', 'm'}, 0, bytes, 0, 12);
        }
        return file(dir, bytes, "video/mp4", ".mp4");
    }
}
