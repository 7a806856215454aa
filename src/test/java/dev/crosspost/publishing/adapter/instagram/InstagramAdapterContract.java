package dev.crosspost.publishing.adapter.instagram;

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
 * The Instagram protocol as the adapter must speak it, run against stubs written from the platform notes and
 * against the app's simulator, so that both are held to the same behaviour.
 */
abstract class InstagramAdapterContract {

    static final InstagramSettings SETTINGS = new InstagramSettings("v21.0", 2200, Set.of("video/mp4", "video/quicktime"));
    static final VideoLimits LIMITS = AdapterTestSupport.videoLimits("instagram");
    static final String TOKEN = "sandbox-token";

    final BytesMedia media = new BytesMedia();
    final AtomicInteger calls = new AtomicInteger();
    String caption;
    String igUserId;
    MediaRef video;

    /** Where the adapter sends its calls (the stub server or the simulator). */
    abstract String baseUrl();

    /** Lets time pass until a container uploaded now has finished processing. */
    abstract void processingFinishes();

    /** The next publish is throttled by Meta for {@code minutes}. */
    abstract void nextPublishThrottled(int minutes);

    /** The next publish goes through, but its answer comes after {@code hang}. */
    abstract void nextPublishAnswersAfter(Duration hang);

    /** The next publish fails with a server error, nothing published. */
    abstract void nextPublishFailsOnTheServer();

    /** The next publish loses its connection before the platform committed anything. */
    abstract void nextPublishConnectionReset();

    /** Arranges that the uploaded video cannot be processed (the simulator judges the bytes by itself). */
    abstract void uploadedVideoIsUnplayable();

    /** Arranges Instagram's own refusal of a caption over 2200 characters (the simulator does it by itself). */
    abstract void captionTooLongIsRefused();

    /** How many Reels with this caption the platform published. */
    abstract long published(String caption);

    @BeforeEach
    void names() {
        caption = "Trail Runner 2 is here " + UUID.randomUUID().toString().substring(0, 8);
        igUserId = "178414" + Math.abs(UUID.randomUUID().getMostSignificantBits() % 1_000_000_000L);
        video = media.add("reel-" + UUID.randomUUID() + ".mp4", "video/mp4", 256 * 1024 + 7);
    }

    /** Another Reel, under another caption, is published on the account now (newer than any before). */
    abstract void newerReelFollows();

    /** An adapter that looks media up in pages of one, so that two Reels fill two pages. */
    InstagramAdapter onePerPage() {
        return new InstagramAdapter(counting(this::baseUrl, calls), AdapterHttp.client(), media, JsonMapper.builder().build(), SETTINGS,
                LIMITS, Clock.systemUTC(), 1);
    }

    InstagramAdapter adapter(InstagramSettings settings) {
        return new InstagramAdapter(counting(this::baseUrl, calls), AdapterHttp.client(), media, JsonMapper.builder().build(), settings, LIMITS, Clock.systemUTC());
    }

    PublishRequest request(String text, List<MediaRef> files, Map<String, String> outputs, String token) {
        return new PublishRequest(UUID.randomUUID(), "key-" + caption, "instagram", "acct-ig", text, files, outputs, token, igUserId, null);
    }

    Step step(InstagramAdapter adapter, String name) {
        return adapter.steps(request(caption, List.of(video), Map.of(), TOKEN)).stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    }

    /** Runs container, upload and process (through one {@code IN_PROGRESS}) and returns the outputs so far. */
    Map<String, String> finishedContainer(InstagramAdapter adapter, RecordingContext context) {
        Map<String, String> outputs = new HashMap<>();
        StepResult created = adapter.run(step(adapter, "container"), request(caption, List.of(video), outputs, TOKEN), context);
        assertThat(created).isInstanceOf(StepResult.Done.class);
        outputs.putAll(((StepResult.Done) created).outputs());
        assertThat(outputs).containsKeys(InstagramAdapter.CONTAINER_ID, InstagramAdapter.UPLOAD_URI);

        assertThat(adapter.run(step(adapter, "upload"), request(caption, List.of(video), outputs, TOKEN), context))
                .isInstanceOf(StepResult.Done.class);

        StepResult processing = adapter.run(step(adapter, "process"), request(caption, List.of(video), outputs, TOKEN), context);
        assertThat(processing).isInstanceOfSatisfying(StepResult.RetryLater.class,
                r -> assertThat(r.errorClass()).isEqualTo(ErrorClass.PROCESSING));
        processingFinishes();
        assertThat(adapter.run(step(adapter, "process"), request(caption, List.of(video), outputs, TOKEN), context))
                .isInstanceOf(StepResult.Done.class);
        return outputs;
    }

    @Test
    void publishesAReelThroughContainerUploadProcessingAndPublish() {
        InstagramAdapter adapter = adapter(SETTINGS);
        RecordingContext context = new RecordingContext(Duration.ofSeconds(10));
        assertThat(adapter.steps(request(caption, List.of(video), Map.of(), TOKEN))).extracting(Step::name)
                .containsExactly("container", "upload", "process", "publish", "permalink");
        Map<String, String> outputs = finishedContainer(adapter, context);

        StepResult published = adapter.run(step(adapter, "publish"), request(caption, List.of(video), outputs, TOKEN), context);
        assertThat(published).isInstanceOf(StepResult.Done.class);
        outputs.putAll(((StepResult.Done) published).outputs());
        assertThat(outputs.get(StepResult.PLATFORM_POST_ID)).matches("\\d+");
        assertThat(context.quotas()).singleElement().satisfies(q -> assertThat(q.remaining()).isPositive());

        StepResult link = adapter.run(step(adapter, "permalink"), request(caption, List.of(video), outputs, TOKEN), context);
        assertThat(link).isInstanceOfSatisfying(StepResult.Done.class,
                d -> assertThat(d.outputs().get(StepResult.PLATFORM_URL)).startsWith("https://www.instagram.com/reel/"));
        assertThat(published(caption)).isOne();
    }

    @Test
    void aVideoInstagramCannotProcessFailsWithItsStatus() {
        uploadedVideoIsUnplayable();
        video = media.addUnplayable("noise-" + UUID.randomUUID() + ".mp4", (int) video.sizeBytes());
        InstagramAdapter adapter = adapter(SETTINGS);
        RecordingContext context = new RecordingContext(Duration.ofSeconds(10));
        Map<String, String> outputs = new HashMap<>();
        for (String step : List.of("container", "upload")) {
            StepResult result = adapter.run(step(adapter, step), request(caption, List.of(video), outputs, TOKEN), context);
            assertThat(result).as(step).isInstanceOf(StepResult.Done.class);
            outputs.putAll(((StepResult.Done) result).outputs());
        }
        processingFinishes();

        StepResult result = adapter.run(step(adapter, "process"), request(caption, List.of(video), outputs, TOKEN), context);

        assertThat(result).isEqualTo(new StepResult.Rejected("container_error", "Instagram: the video could not be processed: "
                + "Error: 2207026 the video format is not supported; upload an MP4 or MOV file", 200));
    }

    @Test
    void throttlingWaitsAsLongAsMetaSays() {
        InstagramAdapter adapter = adapter(SETTINGS);
        RecordingContext context = new RecordingContext(Duration.ofSeconds(10));
        Map<String, String> outputs = finishedContainer(adapter, context);
        nextPublishThrottled(2);

        StepResult result = adapter.run(step(adapter, "publish"), request(caption, List.of(video), outputs, TOKEN), context);

        assertThat(result).isInstanceOfSatisfying(StepResult.RetryLater.class, r -> {
            assertThat(r.errorClass()).isEqualTo(ErrorClass.RATE_LIMITED);
            assertThat(r.retryAfter()).isEqualTo(Duration.ofMinutes(2));
            assertThat(r.reason()).isEqualTo("Instagram: (#4) Application request limit reached");
        });
        assertThat(published(caption)).isZero();
    }

    @Test
    void aServerErrorIsRetriedLater() {
        InstagramAdapter adapter = adapter(SETTINGS);
        RecordingContext context = new RecordingContext(Duration.ofSeconds(10));
        Map<String, String> outputs = finishedContainer(adapter, context);
        nextPublishFailsOnTheServer();

        StepResult result = adapter.run(step(adapter, "publish"), request(caption, List.of(video), outputs, TOKEN), context);

        assertThat(result).isEqualTo(new StepResult.RetryLater(ErrorClass.TRANSIENT, null,
                "Instagram: An unexpected error has occurred. Please retry your request later.", 500));
        assertThat(published(caption)).isZero();
    }

    @Test
    void aPermanentRefusalCarriesInstagramsOwnMessage() {
        captionTooLongIsRefused();
        // the adapter's own limit is raised so that the platform's check speaks
        InstagramAdapter adapter = adapter(new InstagramSettings("v21.0", 5000, Set.of("video/mp4")));
        String longCaption = caption + " " + "#run ".repeat(500);

        StepResult result = adapter.run(step(adapter, "container"), request(longCaption, List.of(video), Map.of(), TOKEN),
                new RecordingContext(Duration.ofSeconds(10)));

        assertThat(result).isInstanceOfSatisfying(StepResult.Rejected.class, r -> {
            assertThat(r.code()).isEqualTo("ig_2207010");
            assertThat(r.reason()).isEqualTo("Instagram: The caption is too long: it must be at most 2200 characters");
        });
    }

    @Test
    void aTokenInstagramDoesNotAcceptNeedsAReconnect() {
        InstagramAdapter adapter = adapter(SETTINGS);

        StepResult result = adapter.run(step(adapter, "container"), request(caption, List.of(video), Map.of(), "revoked-token"),
                new RecordingContext(Duration.ofSeconds(10)));

        assertThat(result).isInstanceOfSatisfying(StepResult.NeedsReconnect.class,
                r -> assertThat(r.reason()).isEqualTo("Instagram: Invalid OAuth access token - Cannot parse access token"));
    }

    @Test
    void aPublishedContainerIsFoundAndNeverPublishedTwice() {
        InstagramAdapter adapter = adapter(SETTINGS);
        RecordingContext context = new RecordingContext(Duration.ofSeconds(10));
        Map<String, String> outputs = finishedContainer(adapter, context);
        StepResult first = adapter.run(step(adapter, "publish"), request(caption, List.of(video), outputs, TOKEN), context);
        assertThat(first).isInstanceOf(StepResult.Done.class);
        String id = ((StepResult.Done) first).outputs().get(StepResult.PLATFORM_POST_ID);

        StepResult again = adapter.run(step(adapter, "publish"), request(caption, List.of(video), outputs, TOKEN), context);
        ReconcileResult reconciled = adapter.reconcile(step(adapter, "publish"), request(caption, List.of(video), outputs, TOKEN), context);

        assertThat(again).isInstanceOfSatisfying(StepResult.Done.class,
                d -> assertThat(d.outputs()).containsEntry(StepResult.PLATFORM_POST_ID, id));
        assertThat(reconciled).isInstanceOfSatisfying(ReconcileResult.Found.class, f -> {
            assertThat(f.outputs()).containsEntry(StepResult.PLATFORM_POST_ID, id);
            assertThat(f.outputs().get(StepResult.PLATFORM_URL)).startsWith("https://www.instagram.com/reel/");
        });
        assertThat(published(caption)).isOne();
    }

    @Test
    void aPublishAnsweredTooLateIsUnknownThenFound() {
        InstagramAdapter adapter = adapter(SETTINGS);
        Map<String, String> outputs = finishedContainer(adapter, new RecordingContext(Duration.ofSeconds(10)));
        nextPublishAnswersAfter(Duration.ofSeconds(4));

        StepResult result = adapter.run(step(adapter, "publish"), request(caption, List.of(video), outputs, TOKEN),
                new RecordingContext(Duration.ofSeconds(2)));
        assertThat(result).isInstanceOf(StepResult.OutcomeUnknown.class);

        ReconcileResult reconciled = adapter.reconcile(step(adapter, "publish"), request(caption, List.of(video), outputs, TOKEN),
                new RecordingContext(Duration.ofSeconds(10)));
        assertThat(reconciled).isInstanceOfSatisfying(ReconcileResult.Found.class,
                f -> assertThat(f.outputs().get(StepResult.PLATFORM_POST_ID)).matches("\\d+"));
        assertThat(published(caption)).isOne();
    }

    @Test
    void aReelInDoubtOnTheSecondPageOfTheAccountsMediaIsFound() {
        InstagramAdapter adapter = onePerPage();
        RecordingContext context = new RecordingContext(Duration.ofSeconds(10));
        Map<String, String> outputs = finishedContainer(adapter, context);
        StepResult first = adapter.run(step(adapter, "publish"), request(caption, List.of(video), outputs, TOKEN), context);
        assertThat(first).isInstanceOf(StepResult.Done.class);
        String id = ((StepResult.Done) first).outputs().get(StepResult.PLATFORM_POST_ID);
        newerReelFollows();

        ReconcileResult reconciled = adapter.reconcile(step(adapter, "publish"), request(caption, List.of(video), outputs, TOKEN), context);

        assertThat(reconciled).isInstanceOfSatisfying(ReconcileResult.Found.class,
                f -> assertThat(f.outputs()).containsEntry(StepResult.PLATFORM_POST_ID, id));
        assertThat(published(caption)).isOne();
    }

    @Test
    void aPublishCutOffBeforeInstagramCommittedIsUnknownThenAbsent() {
        InstagramAdapter adapter = adapter(SETTINGS);
        RecordingContext context = new RecordingContext(Duration.ofSeconds(10));
        Map<String, String> outputs = finishedContainer(adapter, context);
        nextPublishConnectionReset();

        StepResult result = adapter.run(step(adapter, "publish"), request(caption, List.of(video), outputs, TOKEN), context);
        assertThat(result).isInstanceOf(StepResult.OutcomeUnknown.class);

        assertThat(adapter.reconcile(step(adapter, "publish"), request(caption, List.of(video), outputs, TOKEN), context))
                .isInstanceOf(ReconcileResult.Absent.class);
        assertThat(published(caption)).isZero();
    }

    @Test
    void preflightRefusesWhatInstagramWouldRefuseWithoutAnyCall() {
        InstagramAdapter adapter = adapter(SETTINGS);
        RecordingContext context = new RecordingContext(Duration.ofSeconds(10));
        MediaRef image = media.add("photo.jpg", "image/jpeg", 1000);
        MediaRef huge = new MediaRef(video.location(), "video/mp4", LIMITS.maxSize().toBytes() + 1);

        Map<String, StepResult> results = Map.of(
                "text only", adapter.run(step(adapter, "container"), request(caption, List.of(), Map.of(), TOKEN), context),
                "image", adapter.run(step(adapter, "container"), request(caption, List.of(image), Map.of(), TOKEN), context),
                "too big", adapter.run(step(adapter, "container"), request(caption, List.of(huge), Map.of(), TOKEN), context),
                "caption", adapter.run(step(adapter, "container"), request("x".repeat(2201), List.of(video), Map.of(), TOKEN), context),
                "too long", adapter.run(step(adapter, "container"), request(caption, List.of(probed(video, 901, 1080, 1920)), Map.of(), TOKEN), context),
                "too wide", adapter.run(step(adapter, "container"), request(caption, List.of(probed(video, 30, 2200, 200)), Map.of(), TOKEN), context),
                "codec", adapter.run(step(adapter, "container"), request(caption, List.of(probed(video, 30, 1080, 1920, "vp9")), Map.of(), TOKEN), context));

        assertThat(results.get("text only")).isEqualTo(new StepResult.Rejected("media_count",
                "Instagram: a Reel needs exactly one video; text-only posts are not possible", null));
        assertThat(results.get("image")).isEqualTo(new StepResult.Rejected("media_type",
                "Instagram: image/jpeg is not accepted; a Reel must be one of video/mp4, video/quicktime", null));
        assertThat(results.get("too big")).isEqualTo(new StepResult.Rejected("media_size",
                "Instagram: the video is 1073741825 bytes; a Reel must be at most 1073741824 bytes and not empty", null));
        assertThat(results.get("caption")).isEqualTo(new StepResult.Rejected("caption_length",
                "Instagram: the caption is 2201 characters long; the limit is 2200", null));
        assertThat(results.get("too long")).isEqualTo(new StepResult.Rejected("media_duration",
                "Instagram: the video is 901 s long; the limit is 900 s", null));
        assertThat(results.get("too wide")).isEqualTo(new StepResult.Rejected("media_aspect",
                "Instagram: video aspect ratio 11:1 is not allowed for a Reel (allowed from 0.01:1 to 10:1)", null));
        assertThat(results.get("codec")).isEqualTo(new StepResult.Rejected("media_codec",
                "Instagram: video codec vp9 is not accepted for a Reel; it must be h264 or hevc", null));
        assertThat(calls).hasValue(0);
    }
}
