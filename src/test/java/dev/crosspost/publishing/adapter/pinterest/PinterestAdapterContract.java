package dev.crosspost.publishing.adapter.pinterest;

import dev.crosspost.publishing.adapter.http.VideoLimits;
import dev.crosspost.publishing.adapter.AdapterTestSupport;
import dev.crosspost.publishing.adapter.BytesMedia;
import dev.crosspost.publishing.adapter.ErrorClass;
import dev.crosspost.publishing.adapter.MediaRef;
import dev.crosspost.publishing.adapter.PublishRequest;
import dev.crosspost.publishing.adapter.ReconcileResult;
import dev.crosspost.publishing.adapter.RecordingContext;
import dev.crosspost.publishing.adapter.Step;
import dev.crosspost.publishing.adapter.StepResult;
import dev.crosspost.publishing.adapter.http.AdapterHttp;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.crosspost.publishing.adapter.AdapterTestSupport.counting;
import static dev.crosspost.publishing.adapter.AdapterTestSupport.probed;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Pinterest protocol as the adapter must speak it, run against stubs written from the platform notes and
 * against the app's simulator.
 */
abstract class PinterestAdapterContract {

    static final PinterestSettings SETTINGS = new PinterestSettings(null, 800,
            Set.of("video/mp4", "video/quicktime", "video/x-m4v"), 1);
    static final VideoLimits LIMITS = AdapterTestSupport.videoLimits("pinterest");
    static final String TOKEN = "sandbox-token";

    final BytesMedia media = new BytesMedia();
    final AtomicInteger calls = new AtomicInteger();
    String key;
    String description;
    MediaRef video;

    abstract String baseUrl();

    /** Lets time pass until a video uploaded now has been processed. */
    abstract void processingFinishes();

    /** The next Pin creation is answered 429 with {@code Retry-After: seconds}. */
    abstract void nextPinThrottled(int seconds);

    /** The next Pin is created, but its answer comes after {@code hang}. */
    abstract void nextPinAnswersAfter(Duration hang);

    /** The next Pin creation fails with a server error, nothing created. */
    abstract void nextPinFailsOnTheServer();

    /** The next Pin creation loses its connection before anything was created. */
    abstract void nextPinConnectionReset();

    /** Arranges that the uploaded video cannot be processed (the simulator judges the bytes by itself). */
    abstract void uploadedVideoIsUnplayable();

    /** Arranges Pinterest's own refusal of a description over 800 characters (the simulator does it by itself). */
    abstract void longDescriptionIsRefused();

    /** Another Pin, under another key, lands on the board now (newer than any before). */
    abstract void anotherPinIsOnTheBoard();

    /** How many Pins carry this idempotency key. */
    abstract long pinned(String key);

    /**
     * Every Pin on the board so far was created long (over the adapter's clock slack) before now, and the board
     * reads as longer than the reconcile page cap.
     */
    abstract void boardHoldsOnlyOldPins();

    /** The clock the adapter runs on: the simulator's, so that Pin times and ours agree. */
    Clock adapterClock() {
        return Clock.systemUTC();
    }

    @BeforeEach
    void names() {
        key = "key-" + UUID.randomUUID();
        description = "Trail Runner 2 is here " + UUID.randomUUID().toString().substring(0, 8);
        video = media.add("pin-" + UUID.randomUUID() + ".mp4", "video/mp4", 300 * 1024 + 11);
    }

    PinterestAdapter adapter(PinterestSettings settings) {
        return new PinterestAdapter(counting(this::baseUrl, calls), AdapterHttp.client(), media, JsonMapper.builder().build(), settings, LIMITS, adapterClock());
    }

    /** An adapter that reconciles with pages of {@code pageSize} Pins, so that few Pins fill several pages. */
    PinterestAdapter adapter(int pageSize) {
        return new PinterestAdapter(counting(this::baseUrl, calls), AdapterHttp.client(), media, JsonMapper.builder().build(), SETTINGS,
                LIMITS, adapterClock(), pageSize);
    }

    PublishRequest request(String text, List<MediaRef> files, Map<String, String> outputs, String token) {
        return new PublishRequest(UUID.randomUUID(), key, "pinterest", "acct-pin", text, files, outputs, token, "acct-pin", null);
    }

    StepResult run(PinterestAdapter adapter, String step, String text, Map<String, String> outputs, RecordingContext context) {
        return adapter.run(step(adapter, step), request(text, List.of(video), outputs, TOKEN), context);
    }

    Step step(PinterestAdapter adapter, String name) {
        return adapter.steps(request(description, List.of(video), Map.of(), TOKEN)).stream()
                .filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    }

    /** Runs board, register, upload and process (through one {@code processing}) and returns the outputs so far. */
    Map<String, String> processedVideo(PinterestAdapter adapter, RecordingContext context) {
        Map<String, String> outputs = new HashMap<>();
        for (String step : List.of("board", "register", "upload")) {
            StepResult result = run(adapter, step, description, outputs, context);
            assertThat(result).as(step).isInstanceOf(StepResult.Done.class);
            outputs.putAll(((StepResult.Done) result).outputs());
        }
        assertThat(outputs).containsKeys(PinterestAdapter.BOARD_ID, PinterestAdapter.MEDIA_ID, PinterestAdapter.UPLOAD_URL);
        assertThat(run(adapter, "process", description, outputs, context)).isInstanceOfSatisfying(StepResult.RetryLater.class,
                r -> assertThat(r.errorClass()).isEqualTo(ErrorClass.PROCESSING));
        processingFinishes();
        assertThat(run(adapter, "process", description, outputs, context)).isInstanceOf(StepResult.Done.class);
        return outputs;
    }

    @Test
    void pinsAVideoThroughBoardMediaUploadProcessingAndPin() {
        PinterestAdapter adapter = adapter(SETTINGS);
        RecordingContext context = new RecordingContext(Duration.ofSeconds(10));
        assertThat(adapter.steps(request(description, List.of(video), Map.of(), TOKEN))).extracting(Step::name)
                .containsExactly("board", "register", "upload", "process", "publish");
        Map<String, String> outputs = processedVideo(adapter, context);

        StepResult pinned = run(adapter, "publish", description, outputs, context);

        assertThat(pinned).isInstanceOfSatisfying(StepResult.Done.class, d -> {
            String id = d.outputs().get(StepResult.PLATFORM_POST_ID);
            assertThat(id).matches("\\d+");
            assertThat(d.outputs()).containsEntry(StepResult.PLATFORM_URL, "https://www.pinterest.com/pin/" + id + "/");
        });
        assertThat(pinned(key)).isOne();
    }

    @Test
    void aVideoPinterestCannotProcessFails() {
        uploadedVideoIsUnplayable();
        video = media.addUnplayable("noise-" + UUID.randomUUID() + ".mp4", (int) video.sizeBytes());
        PinterestAdapter adapter = adapter(SETTINGS);
        RecordingContext context = new RecordingContext(Duration.ofSeconds(10));
        Map<String, String> outputs = new HashMap<>();
        for (String step : List.of("board", "register", "upload")) {
            StepResult result = run(adapter, step, description, outputs, context);
            assertThat(result).as(step).isInstanceOf(StepResult.Done.class);
            outputs.putAll(((StepResult.Done) result).outputs());
        }
        processingFinishes();

        assertThat(run(adapter, "process", description, outputs, context))
                .isEqualTo(new StepResult.Rejected("media_failed", "Pinterest: the video could not be processed", 200));
    }

    @Test
    void a429WaitsForItsRetryAfter() {
        PinterestAdapter adapter = adapter(SETTINGS);
        RecordingContext context = new RecordingContext(Duration.ofSeconds(10));
        Map<String, String> outputs = processedVideo(adapter, context);
        nextPinThrottled(30);

        StepResult result = run(adapter, "publish", description, outputs, context);

        assertThat(result).isInstanceOfSatisfying(StepResult.RetryLater.class, r -> {
            assertThat(r.errorClass()).isEqualTo(ErrorClass.RATE_LIMITED);
            assertThat(r.retryAfter()).isEqualTo(Duration.ofSeconds(30));
            assertThat(r.reason()).isEqualTo("Pinterest: You have exceeded your rate limit. Try again later.");
        });
        assertThat(pinned(key)).isZero();
    }

    @Test
    void aServerErrorIsRetriedLater() {
        PinterestAdapter adapter = adapter(SETTINGS);
        RecordingContext context = new RecordingContext(Duration.ofSeconds(10));
        Map<String, String> outputs = processedVideo(adapter, context);
        nextPinFailsOnTheServer();

        StepResult result = run(adapter, "publish", description, outputs, context);

        assertThat(result).isEqualTo(new StepResult.RetryLater(ErrorClass.TRANSIENT, null,
                "Pinterest: Service unavailable. Try again later.", 503));
        assertThat(pinned(key)).isZero();
    }

    @Test
    void aPermanentRefusalCarriesPinterestsOwnMessage() {
        longDescriptionIsRefused();
        // the adapter's own limit is raised so that the platform's check speaks
        PinterestAdapter adapter = adapter(new PinterestSettings(null, 5000, Set.of("video/mp4"), 1));
        RecordingContext context = new RecordingContext(Duration.ofSeconds(10));
        Map<String, String> outputs = processedVideo(adapter, context);

        StepResult result = run(adapter, "publish", description + " " + "trail ".repeat(150), outputs, context);

        assertThat(result).isInstanceOfSatisfying(StepResult.Rejected.class, r -> {
            assertThat(r.code()).isEqualTo("pinterest_1");
            assertThat(r.reason()).isEqualTo("Pinterest: Invalid parameters: description must be at most 800 characters");
        });
    }

    @Test
    void aTokenPinterestDoesNotAcceptNeedsAReconnect() {
        PinterestAdapter adapter = adapter(SETTINGS);

        StepResult result = adapter.run(step(adapter, "board"), request(description, List.of(video), Map.of(), "revoked-token"),
                new RecordingContext(Duration.ofSeconds(10)));

        assertThat(result).isEqualTo(new StepResult.NeedsReconnect("Pinterest: Authentication failed."));
    }

    @Test
    void aPinInDoubtIsFoundByTheKeyInItsNote() {
        PinterestAdapter adapter = adapter(SETTINGS);
        RecordingContext context = new RecordingContext(Duration.ofSeconds(10));
        Map<String, String> outputs = processedVideo(adapter, context);
        StepResult pinned = run(adapter, "publish", description, outputs, context);
        assertThat(pinned).isInstanceOf(StepResult.Done.class);

        ReconcileResult reconciled = adapter.reconcile(step(adapter, "publish"), request(description, List.of(video), outputs, TOKEN), context);

        assertThat(reconciled).isEqualTo(new ReconcileResult.Found(((StepResult.Done) pinned).outputs()));
        assertThat(pinned(key)).isOne();
    }

    @Test
    void aPinAnsweredTooLateIsUnknownThenFound() {
        PinterestAdapter adapter = adapter(SETTINGS);
        Map<String, String> outputs = processedVideo(adapter, new RecordingContext(Duration.ofSeconds(10)));
        nextPinAnswersAfter(Duration.ofSeconds(4));

        StepResult result = run(adapter, "publish", description, outputs, new RecordingContext(Duration.ofSeconds(2)));
        assertThat(result).isInstanceOf(StepResult.OutcomeUnknown.class);

        ReconcileResult reconciled = adapter.reconcile(step(adapter, "publish"), request(description, List.of(video), outputs, TOKEN),
                new RecordingContext(Duration.ofSeconds(10)));
        assertThat(reconciled).isInstanceOfSatisfying(ReconcileResult.Found.class,
                f -> assertThat(f.outputs().get(StepResult.PLATFORM_POST_ID)).matches("\\d+"));
        assertThat(pinned(key)).isOne();
    }

    @Test
    void aPinCutOffBeforePinterestCreatedItIsUnknownThenAbsent() {
        PinterestAdapter adapter = adapter(SETTINGS);
        RecordingContext context = new RecordingContext(Duration.ofSeconds(10));
        Map<String, String> outputs = processedVideo(adapter, context);
        nextPinConnectionReset();

        assertThat(run(adapter, "publish", description, outputs, context)).isInstanceOf(StepResult.OutcomeUnknown.class);

        assertThat(adapter.reconcile(step(adapter, "publish"), request(description, List.of(video), outputs, TOKEN), context))
                .isInstanceOf(ReconcileResult.Absent.class);
        assertThat(pinned(key)).isZero();
    }

    @Test
    void aPinInDoubtOnTheSecondPageOfTheBoardIsFound() {
        PinterestAdapter adapter = adapter(1);
        RecordingContext context = new RecordingContext(Duration.ofSeconds(10));
        Map<String, String> outputs = processedVideo(adapter, context);
        StepResult pinned = run(adapter, "publish", description, outputs, context);
        assertThat(pinned).isInstanceOf(StepResult.Done.class);
        anotherPinIsOnTheBoard();

        ReconcileResult reconciled = adapter.reconcile(step(adapter, "publish"), request(description, List.of(video), outputs, TOKEN), context);

        assertThat(reconciled).isEqualTo(new ReconcileResult.Found(((StepResult.Done) pinned).outputs()));
        assertThat(pinned(key)).isOne();
    }

    @Test
    void aPinMissingFromEveryPageUpToTheEndIsAbsent() {
        anotherPinIsOnTheBoard();
        anotherPinIsOnTheBoard();
        PinterestAdapter adapter = adapter(1);
        RecordingContext context = new RecordingContext(Duration.ofSeconds(10));
        Map<String, String> outputs = processedVideo(adapter, context);
        nextPinConnectionReset();
        assertThat(run(adapter, "publish", description, outputs, context)).isInstanceOf(StepResult.OutcomeUnknown.class);

        assertThat(adapter.reconcile(step(adapter, "publish"), request(description, List.of(video), outputs, TOKEN), context))
                .isInstanceOf(ReconcileResult.Absent.class);
        assertThat(pinned(key)).isZero();
    }

    @Test
    void aPinInDoubtIsAbsentOnceThePagesReachPinsOlderThanItsMedia() {
        anotherPinIsOnTheBoard();
        boardHoldsOnlyOldPins();
        PinterestAdapter adapter = adapter(1);
        RecordingContext context = new RecordingContext(Duration.ofSeconds(10));
        Map<String, String> outputs = processedVideo(adapter, context);
        assertThat(outputs).containsKey(PinterestAdapter.REGISTERED_AT);
        nextPinConnectionReset();
        assertThat(run(adapter, "publish", description, outputs, context)).isInstanceOf(StepResult.OutcomeUnknown.class);
        int before = calls.get();

        assertThat(adapter.reconcile(step(adapter, "publish"), request(description, List.of(video), outputs, TOKEN), context))
                .isInstanceOf(ReconcileResult.Absent.class);
        // the first page already holds a Pin older than our media: no page further back can hold ours
        assertThat(calls.get() - before).isOne();
        assertThat(pinned(key)).isZero();
    }

    @Test
    void aPinInDoubtWithoutARegistrationTimeStillPagesToTheEnd() {
        anotherPinIsOnTheBoard();
        anotherPinIsOnTheBoard();
        boardHoldsOnlyOldPins();
        PinterestAdapter adapter = adapter(1);
        RecordingContext context = new RecordingContext(Duration.ofSeconds(10));
        Map<String, String> outputs = processedVideo(adapter, context);
        // a publication registered before the adapter recorded the time
        outputs.remove(PinterestAdapter.REGISTERED_AT);
        nextPinConnectionReset();
        assertThat(run(adapter, "publish", description, outputs, context)).isInstanceOf(StepResult.OutcomeUnknown.class);
        int before = calls.get();

        adapter.reconcile(step(adapter, "publish"), request(description, List.of(video), outputs, TOKEN), context);
        assertThat(calls.get() - before).isGreaterThan(1);
    }

    @Test
    void preflightRefusesWhatPinterestWouldRefuseWithoutAnyCall() {
        PinterestAdapter adapter = adapter(SETTINGS);
        RecordingContext context = new RecordingContext(Duration.ofSeconds(10));
        MediaRef image = media.add("photo.png", "image/png", 1000);
        MediaRef huge = new MediaRef(video.location(), "video/mp4", LIMITS.maxSize().toBytes() + 1);
        Step board = step(adapter, "board");

        assertThat(adapter.run(board, request(description, List.of(), Map.of(), TOKEN), context)).isEqualTo(new StepResult.Rejected(
                "media_count", "Pinterest: a Pin needs a video; text-only Pins are not possible", null));
        assertThat(adapter.run(board, request(description, List.of(image), Map.of(), TOKEN), context)).isEqualTo(new StepResult.Rejected(
                "media_type", "Pinterest: image/png is not accepted; a video Pin must be one of video/mp4, video/quicktime, video/x-m4v", null));
        assertThat(adapter.run(board, request(description, List.of(huge), Map.of(), TOKEN), context)).isEqualTo(new StepResult.Rejected(
                "media_size", "Pinterest: the video is 2147483649 bytes; a video Pin must be at most 2147483648 bytes and not empty", null));
        assertThat(adapter.run(board, request("p".repeat(801), List.of(video), Map.of(), TOKEN), context)).isEqualTo(new StepResult.Rejected(
                "description_length", "Pinterest: the description is 801 characters long; the limit is 800", null));
        assertThat(adapter.run(board, request(description, List.of(probed(video, 30, 1920, 816)), Map.of(), TOKEN), context)).isEqualTo(new StepResult.Rejected(
                "media_aspect", "Pinterest: video aspect ratio 40:17 is not allowed for a video Pin (allowed from 1:2 to 1.91:1)", null));
        assertThat(adapter.run(board, request(description, List.of(probed(video, 3.5, 1080, 1920)), Map.of(), TOKEN), context)).isEqualTo(new StepResult.Rejected(
                "media_duration", "Pinterest: the video is 3.5 s long; a video Pin must be at least 4 s", null));
        assertThat(calls).hasValue(0);
    }
}
