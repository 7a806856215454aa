package dev.crosspost.publishing.adapter.x;

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
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import static dev.crosspost.publishing.adapter.AdapterTestSupport.FILES;
import static dev.crosspost.publishing.adapter.AdapterTestSupport.file;
import static dev.crosspost.publishing.adapter.AdapterTestSupport.seededBytes;
import static dev.crosspost.publishing.adapter.AdapterTestSupport.withOutputs;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The X protocol scenarios every X server must pass with {@link XAdapter}: once against WireMock stubs written from
 * the platform notes, once against the app's simulator, so that the simulator is shown to behave like X.
 */
abstract class XAdapterContract {

    static final int CHUNK = 64 * 1024;
    static final String USER = "sandbox-x";

    @TempDir Path dir;
    final JsonMapper json = JsonMapper.builder().build();
    final RecordingContext observed = new RecordingContext(Duration.ofSeconds(10));

    /** The X API base URL under test. */
    abstract String baseUrl();

    /** A token the server accepts. */
    abstract String token();

    /** A token the server answers 401 to. */
    abstract String revokedToken();

    /** The next {@code POST /2/tweets} is refused with 429 and a reset {@code seconds} from now. */
    abstract void rateLimitNextPost(int seconds);

    /** The next {@code POST /2/tweets} is committed but answered only after the adapter gave up. */
    abstract void commitButHangNextPost(String text);

    /** Prepares a server-side happy path for a video upload of {@code size} bytes whose text is {@code text}. */
    void expectVideoPost(String text, long size) {
    }

    /** Prepares a video that the server will fail to process. */
    void expectBrokenVideo(long size) {
    }

    /** Prepares a text post that lands, then is refused as a duplicate when sent again. */
    void expectDuplicate(String text) {
    }

    /** Prepares a timeline that does not hold {@code text}. */
    void expectTimelineWithout(String text) {
    }

    /** Prepares a timeline whose first page holds newer posts and whose second page holds the post of {@code text}. */
    void expectPostOnTheSecondPage(String text) {
    }

    /** Prepares a timeline of several pages, none of which holds {@code text}. */
    void expectPagesWithout(String text) {
    }

    /** {@code count} newer posts (other texts) land on the user's timeline now. */
    abstract void newerPostsFollow(int count);

    /**
     * Every post on the user's timeline so far was created long (over the adapter's clock slack) before now, and
     * the timeline reads as longer than the reconcile page cap.
     */
    abstract void timelineHoldsOnlyOldPosts();

    /** The clock the adapter runs on: the simulator's, so that post times and ours agree. */
    Clock adapterClock() {
        return Clock.systemUTC();
    }

    /** How many requests the server has seen so far. */
    abstract long requestsSeen();

    /** Whether the server now holds exactly one post with {@code text}. */
    abstract void assertPostedOnce(String text);

    XAdapter adapter() {
        return new XAdapter(this::baseUrl, AdapterHttp.client(), FILES, json, adapterClock(), CHUNK, AdapterTestSupport.videoLimits("x"));
    }

    /** An adapter reconciling with timeline pages of X's smallest size, so that few posts fill several pages. */
    XAdapter smallPages() {
        return smallPages(this::baseUrl);
    }

    XAdapter smallPages(Supplier<String> baseUrl) {
        return new XAdapter(baseUrl, AdapterHttp.client(), FILES, json, adapterClock(), CHUNK, 5, AdapterTestSupport.videoLimits("x"));
    }

    @Test
    void postsAVideoThroughChunkedUploadProcessingAndTheTweet() throws IOException {
        String text = "Trail Runner 2 video " + UUID.randomUUID();
        MediaRef video = mp4(3 * CHUNK + 1000, true);
        expectVideoPost(text, video.sizeBytes());
        XAdapter x = adapter();
        PublishRequest request = request(text, List.of(video), token());
        List<Step> steps = x.steps(request);
        assertThat(steps).extracting(Step::name).containsExactly("upload", "process", "publish");

        Map<String, String> outputs = new HashMap<>();
        StepResult upload = x.run(steps.get(0), request, context(Duration.ofSeconds(10)));
        assertThat(upload).isInstanceOf(StepResult.Done.class);
        outputs.putAll(((StepResult.Done) upload).outputs());
        assertThat(outputs.get(XAdapter.MEDIA_IDS)).isNotBlank();

        StepResult process = runUntilProcessed(x, steps.get(1), withOutputs(request, outputs));
        assertThat(process).isInstanceOf(StepResult.Done.class);
        outputs.putAll(((StepResult.Done) process).outputs());

        StepResult publish = x.run(steps.get(2), withOutputs(request, outputs), context(Duration.ofSeconds(10)));
        assertThat(publish).isInstanceOfSatisfying(StepResult.Done.class, done -> {
            String id = done.outputs().get(StepResult.PLATFORM_POST_ID);
            assertThat(id).matches("\\d+");
            assertThat(done.outputs().get(StepResult.PLATFORM_URL)).isEqualTo("https://x.com/i/web/status/" + id);
        });
        assertThat(observed.quotas()).as("x-rate-limit-remaining is passed on").isNotEmpty();
        assertPostedOnce(text);
    }

    @Test
    void aVideoThatFailsProcessingIsRejectedInXsWords() throws IOException {
        MediaRef video = mp4(CHUNK, false);
        expectBrokenVideo(video.sizeBytes());
        XAdapter x = adapter();
        PublishRequest request = request("broken " + UUID.randomUUID(), List.of(video), token());
        StepResult upload = x.run(x.steps(request).get(0), request, context(Duration.ofSeconds(10)));
        assertThat(upload).isInstanceOf(StepResult.Done.class);
        StepResult process = runUntilProcessed(x, x.steps(request).get(1), withOutputs(request, ((StepResult.Done) upload).outputs()));
        assertThat(process).isInstanceOfSatisfying(StepResult.Rejected.class, r -> {
            assertThat(r.code()).isEqualTo("InvalidMedia");
            assertThat(r.reason()).isEqualTo("X: media processing failed: Unsupported video format");
        });
    }

    @Test
    void a429WaitsUntilXsReset() {
        rateLimitNextPost(120);
        XAdapter x = adapter();
        PublishRequest request = request("limited " + UUID.randomUUID(), List.of(), token());
        StepResult result = x.run(x.steps(request).getFirst(), request, context(Duration.ofSeconds(10)));
        assertThat(result).isInstanceOfSatisfying(StepResult.RetryLater.class, r -> {
            assertThat(r.errorClass()).isEqualTo(ErrorClass.RATE_LIMITED);
            assertThat(r.responseCode()).isEqualTo(429);
            assertThat(r.reason()).isEqualTo("X: Rate limit exceeded");
            assertThat(r.retryAfter()).isBetween(Duration.ofSeconds(110), Duration.ofSeconds(121));
        });
    }

    @Test
    void aRevokedTokenNeedsAReconnect() {
        XAdapter x = adapter();
        PublishRequest request = request("revoked " + UUID.randomUUID(), List.of(), revokedToken());
        StepResult result = x.run(x.steps(request).getFirst(), request, context(Duration.ofSeconds(10)));
        assertThat(result).isEqualTo(new StepResult.NeedsReconnect("X: Unauthorized"));
    }

    @Test
    void aRepeatedPostIsRecognisedAsTheOneThatLanded() {
        String text = "once only " + UUID.randomUUID();
        expectDuplicate(text);
        XAdapter x = adapter();
        PublishRequest request = request(text, List.of(), token());
        StepResult first = x.run(x.steps(request).getFirst(), request, context(Duration.ofSeconds(10)));
        assertThat(first).isInstanceOf(StepResult.Done.class);
        StepResult again = x.run(x.steps(request).getFirst(), request, context(Duration.ofSeconds(10)));
        assertThat(again).as("X's 403 duplicate is resolved against the timeline").isEqualTo(first);
        assertPostedOnce(text);
    }

    @Test
    void aPostThatTimesOutAfterCommitIsUnknownThenFound() {
        String text = "in doubt " + UUID.randomUUID();
        commitButHangNextPost(text);
        XAdapter x = adapter();
        PublishRequest request = request(text, List.of(), token());
        Step publish = x.steps(request).getFirst();
        StepResult result = x.run(publish, request, context(Duration.ofMillis(700)));
        assertThat(result).isInstanceOf(StepResult.OutcomeUnknown.class);
        assertThat(((StepResult.OutcomeUnknown) result).reason()).contains("timed out");

        ReconcileResult found = x.reconcile(publish, request, context(Duration.ofSeconds(10)));
        assertThat(found).isInstanceOfSatisfying(ReconcileResult.Found.class,
                f -> assertThat(f.outputs().get(StepResult.PLATFORM_POST_ID)).matches("\\d+"));
        assertPostedOnce(text);
    }

    @Test
    void aPostThatNeverLandedIsProvedAbsent() {
        String text = "never sent " + UUID.randomUUID();
        expectTimelineWithout(text);
        XAdapter x = adapter();
        PublishRequest request = request(text, List.of(), token());
        assertThat(x.reconcile(x.steps(request).getFirst(), request, context(Duration.ofSeconds(10))))
                .isEqualTo(new ReconcileResult.Absent());
    }

    @Test
    void aPostInDoubtOnTheSecondPageOfTheTimelineIsFound() {
        String text = "paged " + UUID.randomUUID();
        expectPostOnTheSecondPage(text);
        XAdapter x = smallPages();
        PublishRequest request = request(text, List.of(), token());
        Step publish = x.steps(request).getFirst();
        StepResult posted = x.run(publish, request, context(Duration.ofSeconds(10)));
        assertThat(posted).isInstanceOf(StepResult.Done.class);
        newerPostsFollow(5);

        assertThat(x.reconcile(publish, request, context(Duration.ofSeconds(10))))
                .isEqualTo(new ReconcileResult.Found(((StepResult.Done) posted).outputs()));
        assertPostedOnce(text);
    }

    @Test
    void aPostMissingFromEveryPageUpToTheEndIsAbsent() {
        String text = "never paged " + UUID.randomUUID();
        expectPagesWithout(text);
        newerPostsFollow(6);
        XAdapter x = smallPages();
        PublishRequest request = request(text, List.of(), token());
        assertThat(x.reconcile(x.steps(request).getFirst(), request, context(Duration.ofSeconds(10))))
                .isEqualTo(new ReconcileResult.Absent());
    }

    @Test
    void aVideoPostInDoubtIsAbsentOnceThePagesReachPostsOlderThanItsUpload() throws IOException {
        timelineHoldsOnlyOldPosts();
        AtomicInteger calls = new AtomicInteger();
        XAdapter x = smallPages(AdapterTestSupport.counting(this::baseUrl, calls));
        PublishRequest request = request("video in doubt " + UUID.randomUUID(), List.of(mp4(100, true)), token());
        // what the upload step left: a media key nobody posted, and when the upload began
        request = AdapterTestSupport.withOutputs(request, Map.of(XAdapter.MEDIA_IDS, "1880028106020515840",
                XAdapter.MEDIA_KEYS, "7_1880028106020515840", XAdapter.PENDING, "", XAdapter.UPLOADED_AT, adapterClock().instant().toString()));

        assertThat(x.reconcile(x.steps(request).getLast(), request, context(Duration.ofSeconds(10)))).isEqualTo(new ReconcileResult.Absent());
        // the first page already holds a post older than the upload: no page further back can hold ours
        assertThat(calls).hasValue(1);
    }

    @Test
    void preflightRejectsWhatXWouldRefuseWithoutAnyCall() throws IOException {
        XAdapter x = adapter();
        long before = requestsSeen();
        // 270 letters plus one URL (23, whatever its length) is 293 > 280
        String tooLong = "a".repeat(270) + " https://example.com/" + "p".repeat(10);
        PublishRequest text = request(tooLong, List.of(), token());
        assertThat(x.run(x.steps(text).getFirst(), text, context(Duration.ofSeconds(10))))
                .isEqualTo(new StepResult.Rejected("text_too_long", "X: the text is 294 characters long (URLs count 23); the limit is 280", null));

        PublishRequest big = request("big", List.of(new MediaRef(mp4(100, true).location(), "image/png", 6L * 1024 * 1024)), token());
        assertThat(x.run(x.steps(big).getFirst(), big, context(Duration.ofSeconds(10))))
                .isEqualTo(new StepResult.Rejected("media_too_large", "X: the image is 6291456 bytes; the limit is 5242880 bytes (5 MB)", null));

        PublishRequest wide = request("wide", List.of(AdapterTestSupport.probed(mp4(100, true), 10, 1200, 300)), token());
        assertThat(x.run(x.steps(wide).getFirst(), wide, context(Duration.ofSeconds(10)))).isEqualTo(new StepResult.Rejected("media_aspect",
                "X: video aspect ratio 4:1 is not allowed for a video post (allowed from 1:3 to 3:1)", null));
        PublishRequest longer = request("long", List.of(AdapterTestSupport.probed(mp4(100, true), 140.5, 1280, 720)), token());
        assertThat(x.run(x.steps(longer).getFirst(), longer, context(Duration.ofSeconds(10)))).isEqualTo(new StepResult.Rejected("media_duration",
                "X: the video is 140.5 s long; the limit is 140 s", null));
        PublishRequest hevc = request("hevc", List.of(AdapterTestSupport.probed(mp4(100, true), 10, 1280, 720, "hevc")), token());
        assertThat(x.run(x.steps(hevc).getFirst(), hevc, context(Duration.ofSeconds(10)))).isEqualTo(new StepResult.Rejected("media_codec",
                "X: video codec hevc is not accepted for a video post; it must be h264", null));

        MediaRef clip = mp4(100, true);
        PublishRequest two = request("two", List.of(clip, clip), token());
        assertThat(x.run(x.steps(two).getFirst(), two, context(Duration.ofSeconds(10))))
                .isInstanceOfSatisfying(StepResult.Rejected.class, r -> assertThat(r.code()).isEqualTo("too_many_media"));
        assertThat(requestsSeen()).isEqualTo(before);
    }

    private StepResult runUntilProcessed(XAdapter x, Step step, PublishRequest request) {
        StepResult result = x.run(step, request, context(Duration.ofSeconds(10)));
        for (int i = 0; i < 20 && result instanceof StepResult.RetryLater r; i++) {
            assertThat(r.errorClass()).isEqualTo(ErrorClass.PROCESSING);
            assertThat(r.retryAfter()).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
            // the server's processing is driven by its clock; asking again is what the engine does after check_after_secs
            result = x.run(step, request, context(Duration.ofSeconds(10)));
        }
        return result;
    }

    PublishRequest request(String text, List<MediaRef> media, String token) {
        return new PublishRequest(UUID.randomUUID(), "key-" + UUID.randomUUID(), "x", USER, text, media, Map.of(), token, USER, null);
    }

    StepContext context(Duration timeout) {
        return observed.withTimeout(timeout);
    }

    /** An MP4-looking file (or not) of {@code size} bytes. */
    MediaRef mp4(int size, boolean valid) throws IOException {
        byte[] bytes = seededBytes(size);
        if (valid) {
            System.arraycopy(new byte[]{0, 0, 0, 0x18, 'f', 't', 'y', 'p', 'm', 'p', '4', '2'}, 0, bytes, 0, 12);
        }
        return file(dir, bytes, "video/mp4", ".mp4");
    }
}
