package dev.crosspost.publishing.adapter.tiktok;

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

import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.crosspost.publishing.adapter.AdapterTestSupport.FILES;
import static dev.crosspost.publishing.adapter.AdapterTestSupport.counting;
import static dev.crosspost.publishing.adapter.AdapterTestSupport.randomBytes;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The TikTok protocol scenarios, run against WireMock stubs written from the protocol notes and against the app's
 * own simulator: both must answer the adapter alike.
 */
abstract class TikTokAdapterContract {

    static final long CHUNK = TikTokAdapter.MIN_CHUNK;
    static final String TOKEN = "sandbox-token";
    static final String REVOKED = "revoked-token";
    static final String CAPTION = "Trail Runner 2 is here #running";

    @TempDir Path dir;
    final AtomicInteger apiCalls = new AtomicInteger();
    final JsonMapper json = JsonMapper.builder().build();
    final HttpClient http = AdapterHttp.client();

    abstract String baseUrl();

    /** A clean post of {@code video}: init as {@code publishId}, chunks accepted, one processing poll, then public. */
    abstract void givenPost(byte[] video, String publishId, String postId);

    abstract void givenRateLimited(int retryAfterSeconds);

    abstract void givenPostCapReached();

    /** The app is unaudited and the creator's account is public. */
    abstract void givenUnauditedClient();

    abstract void givenRevokedToken();

    /** The last chunk is taken, then its answer is held past the timeout. */
    abstract void givenLastChunkCommittedThenSilent(byte[] video, String publishId);

    abstract void givenAnswersAgain(byte[] video, String publishId);

    /** What the platform shows: the post from {@code publishId} exists once, as {@code postId} when known. */
    abstract void assertLandedOnce(String publishId, byte[] video);

    TikTokAdapter adapter() {
        return new TikTokAdapter(counting(this::baseUrl, apiCalls), http, FILES, json, Clock.systemUTC(), CHUNK, AdapterTestSupport.videoLimits("tiktok"));
    }

    @Test
    void postsInOrderedChunksThenWaitsForThePublicPostId() {
        byte[] video = randomBytes((int) (2 * CHUNK + CHUNK / 5));
        givenPost(video, "v_pub_file~v2-1.happy", "7300000000000000001");
        Map<String, String> outputs = new HashMap<>();
        TikTokAdapter adapter = adapter();
        MediaRef media = file(video);

        assertThat(run(adapter, TikTokAdapter.CREATOR, media, outputs)).isInstanceOf(StepResult.Done.class);
        assertThat(outputs).containsEntry(TikTokAdapter.PRIVACY, "PUBLIC_TO_EVERYONE").containsKey(TikTokAdapter.USERNAME);
        assertThat(run(adapter, TikTokAdapter.INIT, media, outputs)).isInstanceOf(StepResult.Done.class);
        assertThat(outputs.get(TikTokAdapter.PUBLISH_ID)).startsWith("v_pub_file~");
        assertThat(run(adapter, TikTokAdapter.UPLOAD, media, outputs)).isInstanceOf(StepResult.Done.class);

        assertThat(run(adapter, TikTokAdapter.STATUS, media, outputs)).isInstanceOfSatisfying(StepResult.RetryLater.class, r -> {
            assertThat(r.errorClass()).isEqualTo(ErrorClass.PROCESSING);
            assertThat(r.reason()).isEqualTo("TikTok is processing the video (PROCESSING_UPLOAD)");
        });
        assertThat(run(adapter, TikTokAdapter.STATUS, media, outputs)).isInstanceOf(StepResult.Done.class);
        String postId = outputs.get(StepResult.PLATFORM_POST_ID);
        assertThat(postId).matches("\\d+");
        assertThat(outputs).containsEntry(StepResult.PLATFORM_URL,
                "https://www.tiktok.com/@" + outputs.get(TikTokAdapter.USERNAME) + "/video/" + postId);
        assertLandedOnce(outputs.get(TikTokAdapter.PUBLISH_ID), video);
    }

    @Test
    void throttlingIsRetriedAtTheServersRetryAfter() {
        givenRateLimited(7);
        StepResult result = run(adapter(), TikTokAdapter.INIT, file(randomBytes(1000)), initial());
        assertThat(result).isInstanceOfSatisfying(StepResult.RetryLater.class, r -> {
            assertThat(r.errorClass()).isEqualTo(ErrorClass.RATE_LIMITED);
            assertThat(r.retryAfter()).isEqualTo(Duration.ofSeconds(7));
            assertThat(r.responseCode()).isEqualTo(429);
            assertThat(r.reason()).isEqualTo("TikTok: The API rate limit was exceeded. Please try again later.");
        });
    }

    @Test
    void theDailyPostCapWaitsADay() {
        givenPostCapReached();
        StepResult result = run(adapter(), TikTokAdapter.INIT, file(randomBytes(1000)), initial());
        assertThat(result).isInstanceOfSatisfying(StepResult.RetryLater.class, r -> {
            assertThat(r.errorClass()).isEqualTo(ErrorClass.RATE_LIMITED);
            assertThat(r.retryAfter()).isEqualTo(Duration.ofHours(24));
            assertThat(r.reason()).startsWith("TikTok: ");
        });
    }

    @Test
    void anUnauditedClientIsRefusedInTikToksWords() {
        givenUnauditedClient();
        StepResult result = run(adapter(), TikTokAdapter.INIT, file(randomBytes(1000)), initial());
        assertThat(result).isInstanceOfSatisfying(StepResult.Rejected.class, r -> {
            assertThat(r.code()).isEqualTo("unaudited_client_can_only_post_to_private_accounts");
            assertThat(r.reason()).isEqualTo("TikTok: Please review our integration guidelines at https://developers.tiktok.com/doc/content-sharing-guidelines/");
            assertThat(r.responseCode()).isEqualTo(403);
        });
    }

    @Test
    void aRefusedTokenNeedsReconnect() {
        givenRevokedToken();
        PublishRequest request = request(CAPTION, List.of(file(randomBytes(1000))), Map.of(), REVOKED);
        StepResult result = adapter().run(TikTokAdapter.CREATOR, request, context(Duration.ofSeconds(10)));
        assertThat(result).isInstanceOfSatisfying(StepResult.NeedsReconnect.class,
                r -> assertThat(r.reason()).isEqualTo("TikTok: The access token is invalid or not found in the request."));
    }

    @Test
    void aLastChunkInDoubtIsLookedUpByItsPublishIdNeverInitialisedAgain() {
        byte[] video = randomBytes(3000);
        givenPost(video, "v_pub_file~v2-1.silent", "7300000000000000002");
        Map<String, String> outputs = new HashMap<>();
        TikTokAdapter adapter = adapter();
        MediaRef media = file(video);
        assertThat(run(adapter, TikTokAdapter.CREATOR, media, outputs)).isInstanceOf(StepResult.Done.class);
        assertThat(run(adapter, TikTokAdapter.INIT, media, outputs)).isInstanceOf(StepResult.Done.class);

        givenLastChunkCommittedThenSilent(video, outputs.get(TikTokAdapter.PUBLISH_ID));
        PublishRequest request = request(CAPTION, List.of(media), outputs, TOKEN);
        assertThat(adapter.run(TikTokAdapter.UPLOAD, request, context(Duration.ofSeconds(1)))).isInstanceOf(StepResult.OutcomeUnknown.class);

        givenAnswersAgain(video, outputs.get(TikTokAdapter.PUBLISH_ID));
        assertThat(adapter.reconcile(TikTokAdapter.UPLOAD, request, context(Duration.ofSeconds(10)))).isInstanceOf(ReconcileResult.Found.class);
        assertLandedOnce(outputs.get(TikTokAdapter.PUBLISH_ID), video);
    }

    @Test
    void anInitThatGotNoBytesIsAbsent() {
        byte[] video = randomBytes(2000);
        givenPost(video, "v_pub_file~v2-1.nobytes", "7300000000000000003");
        Map<String, String> outputs = new HashMap<>();
        TikTokAdapter adapter = adapter();
        MediaRef media = file(video);
        assertThat(run(adapter, TikTokAdapter.CREATOR, media, outputs)).isInstanceOf(StepResult.Done.class);
        assertThat(run(adapter, TikTokAdapter.INIT, media, outputs)).isInstanceOf(StepResult.Done.class);
        ReconcileResult result = adapter.reconcile(TikTokAdapter.UPLOAD, request(CAPTION, List.of(media), outputs, TOKEN), context(Duration.ofSeconds(10)));
        assertThat(result).isInstanceOf(ReconcileResult.Absent.class);
    }

    @Test
    void preflightRefusesWhatTikTokWouldWithoutAnyCall() {
        MediaRef video = file(randomBytes(100));
        assertRejected("x".repeat(2201), List.of(video), "TikTok: the caption is 2201 UTF-16 units; the limit is 2200");
        assertRejected(CAPTION, List.of(), "TikTok: exactly one video is required; got 0 media");
        assertRejected(CAPTION, List.of(new MediaRef(video.location(), "image/png", 100)),
                "TikTok: media type image/png is not accepted; send MP4, MOV or WebM");
        assertRejected(CAPTION, List.of(new MediaRef(video.location(), "video/mp4", AdapterTestSupport.videoLimits("tiktok").maxSize().toBytes() + 1)),
                "TikTok: the video is 4294967297 bytes; the limit is 4294967296 bytes");
        assertRejected(CAPTION, List.of(AdapterTestSupport.probed(video, 612, 1080, 1920)), "TikTok: the video is 612 s long; the limit is 600 s");
        assertRejected(CAPTION, List.of(AdapterTestSupport.probed(video, 30, 320, 568)),
                "TikTok: the video is 320x568 px; each side of a TikTok video must be 360 px or more and 4096 px or less");
        assertRejected(CAPTION, List.of(new MediaRef(video.location(), "video/mp4", 0)), "TikTok: the video file is empty");
        assertThat(apiCalls).hasValue(0);
    }

    @Test
    void chunkingFollowsTikToksRules() {
        long mb = TikTokAdapter.MB;
        assertThat(TikTokAdapter.Chunks.of(4 * mb, 10 * mb)).isEqualTo(new TikTokAdapter.Chunks(4 * mb, 4 * mb, 1));
        assertThat(TikTokAdapter.Chunks.of(25 * mb + 3, 10 * mb)).isEqualTo(new TikTokAdapter.Chunks(25 * mb + 3, 10 * mb, 2));
        TikTokAdapter.Chunks big = TikTokAdapter.Chunks.of(4096 * mb, 10 * mb);
        assertThat(big.count()).isEqualTo(409);
        assertThat(big.length(408)).isEqualTo(4096 * mb - 408 * 10 * mb);
    }

    private void assertRejected(String text, List<MediaRef> media, String reason) {
        StepResult result = adapter().run(TikTokAdapter.CREATOR, request(text, media, Map.of(), TOKEN), context(Duration.ofSeconds(5)));
        assertThat(result).isInstanceOfSatisfying(StepResult.Rejected.class, r -> assertThat(r.reason()).isEqualTo(reason));
    }

    private static Map<String, String> initial() {
        return new HashMap<>(Map.of(TikTokAdapter.PRIVACY, "PUBLIC_TO_EVERYONE", TikTokAdapter.USERNAME, "sandbox_creator"));
    }

    StepResult run(TikTokAdapter adapter, Step step, MediaRef media, Map<String, String> outputs) {
        StepResult result = adapter.run(step, request(CAPTION, List.of(media), outputs, TOKEN), context(Duration.ofSeconds(10)));
        if (result instanceof StepResult.Done(Map<String, String> out)) {
            outputs.putAll(out);
        }
        return result;
    }

    static PublishRequest request(String text, List<MediaRef> media, Map<String, String> outputs, String token) {
        return new PublishRequest(UUID.randomUUID(), "tt-" + UUID.randomUUID(), "tiktok", "acct-tt", text, media, Map.copyOf(outputs), token, "acct-tt", null);
    }

    static StepContext context(Duration timeout) {
        return new RecordingContext(timeout);
    }

    MediaRef file(byte[] video) {
        return AdapterTestSupport.file(dir, video, "video/mp4", ".mp4");
    }
}
