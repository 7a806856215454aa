package dev.crosspost.publishing.adapter.youtube;

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
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
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
 * The YouTube protocol scenarios, run against WireMock stubs written from the protocol notes and against the app's
 * own simulator: both must answer the adapter alike.
 */
abstract class YouTubeAdapterContract {

    static final int CHUNK = YouTubeAdapter.CHUNK_UNIT;
    static final String TOKEN = "sandbox-token";
    static final String REVOKED = "revoked-token";

    @TempDir Path dir;
    final AtomicInteger apiCalls = new AtomicInteger();
    final JsonMapper json = JsonMapper.builder().build();
    final HttpClient http = AdapterHttp.client();

    /** Where the API lives, e.g. {@code http://127.0.0.1:1234/sandbox/youtube}. */
    abstract String baseUrl();

    /** A clean upload of {@code video} as {@code videoId}: 308s with Range per chunk, then processing, then processed. */
    abstract void givenUpload(byte[] video, String videoId);

    /** A chunk after the first is dropped once; the server kept only the first chunk. */
    abstract void givenDroppedSecondChunk(byte[] video, String videoId);

    /** The next session start is throttled with {@code Retry-After}. */
    abstract void givenRateLimited(int retryAfterSeconds);

    abstract void givenQuotaExceeded();

    /** {@link #REVOKED} is refused. */
    abstract void givenRevokedToken();

    /** The same bytes are already on the channel, uploaded by a publication with another key; ours is {@code videoId}. */
    abstract void givenSomeoneElsesCopyOf(byte[] video, String videoId);

    /** Our own earlier upload ({@code key}) of the bytes landed as the returned id; this upload becomes {@code videoId}. */
    abstract String givenOurEarlierUpload(byte[] video, String key, String videoId);

    /** The final chunk is committed as {@code videoId}, but neither it nor status queries are answered in time. */
    abstract void givenCommittedThenSilent(byte[] video, String videoId);

    /** The server answers again; the session holds the finished video. */
    abstract void givenAnswersAgain(byte[] video, String videoId);

    /** A session was opened but no byte arrived. */
    abstract void givenSessionWithoutBytes(byte[] video);

    /** The upload sessions have expired; the channel still has video {@code videoId}, tagged for {@code key}. */
    abstract void givenSessionsExpired(String videoId, String key);

    /** What the platform shows afterwards: the video with these bytes exists, once. */
    abstract void assertLandedOnce(String videoId, String key, byte[] video);

    YouTubeAdapter adapter() {
        return new YouTubeAdapter(counting(this::baseUrl, apiCalls), http, FILES, json, Clock.systemUTC(), CHUNK, AdapterTestSupport.videoLimits("youtube"));
    }

    @Test
    void uploadsInChunksThenWaitsForProcessing() {
        byte[] video = randomBytes(2 * CHUNK + 1000);
        String key = key();
        givenUpload(video, "vidHappy001");
        Map<String, String> outputs = new HashMap<>();
        YouTubeAdapter adapter = adapter();
        MediaRef media = file(video);

        assertThat(run(adapter, YouTubeAdapter.SESSION, key, media, outputs)).isInstanceOf(StepResult.Done.class);
        assertThat(outputs.get(YouTubeAdapter.UPLOAD_URL)).startsWith("http");
        assertThat(run(adapter, YouTubeAdapter.UPLOAD, key, media, outputs)).isInstanceOf(StepResult.Done.class);
        String id = outputs.get(YouTubeAdapter.VIDEO_ID);
        assertThat(id).isNotBlank();

        StepResult processing = run(adapter, YouTubeAdapter.PROCESS, key, media, outputs);
        assertThat(processing).isInstanceOfSatisfying(StepResult.RetryLater.class, r -> {
            assertThat(r.errorClass()).isEqualTo(ErrorClass.PROCESSING);
            assertThat(r.reason()).startsWith("YouTube is processing the video");
        });
        assertThat(run(adapter, YouTubeAdapter.PROCESS, key, media, outputs)).isInstanceOf(StepResult.Done.class);
        assertThat(outputs).containsEntry(StepResult.PLATFORM_POST_ID, id)
                .containsEntry(StepResult.PLATFORM_URL, "https://www.youtube.com/watch?v=" + id);
        assertLandedOnce(id, key, video);
    }

    @Test
    void aDroppedChunkResumesFromTheServersRange() {
        byte[] video = randomBytes(3 * CHUNK + 7);
        String key = key();
        givenDroppedSecondChunk(video, "vidResumed1");
        Map<String, String> outputs = new HashMap<>();
        YouTubeAdapter adapter = adapter();
        MediaRef media = file(video);

        assertThat(run(adapter, YouTubeAdapter.SESSION, key, media, outputs)).isInstanceOf(StepResult.Done.class);
        assertThat(run(adapter, YouTubeAdapter.UPLOAD, key, media, outputs)).isInstanceOf(StepResult.Done.class);
        assertLandedOnce(outputs.get(YouTubeAdapter.VIDEO_ID), key, video);
    }

    @Test
    void throttlingIsRetriedAtTheServersRetryAfter() {
        byte[] video = randomBytes(1000);
        givenRateLimited(7);
        StepResult result = run(adapter(), YouTubeAdapter.SESSION, key(), file(video), new HashMap<>());
        assertThat(result).isInstanceOfSatisfying(StepResult.RetryLater.class, r -> {
            assertThat(r.errorClass()).isEqualTo(ErrorClass.RATE_LIMITED);
            assertThat(r.retryAfter()).isEqualTo(Duration.ofSeconds(7));
            assertThat(r.responseCode()).isEqualTo(429);
            assertThat(r.reason()).startsWith("YouTube: ");
        });
    }

    @Test
    void anExhaustedDailyQuotaWaitsUntilMidnightPacific() {
        givenQuotaExceeded();
        StepResult result = run(adapter(), YouTubeAdapter.SESSION, key(), file(randomBytes(1000)), new HashMap<>());
        ZonedDateTime now = ZonedDateTime.now(ZoneId.of("America/Los_Angeles"));
        Instant midnight = now.toLocalDate().plusDays(1).atStartOfDay(now.getZone()).toInstant();
        assertThat(result).isInstanceOfSatisfying(StepResult.RetryLater.class, r -> {
            assertThat(r.errorClass()).isEqualTo(ErrorClass.RATE_LIMITED);
            assertThat(r.responseCode()).isEqualTo(403);
            assertThat(r.reason()).startsWith("YouTube: The request cannot be completed because you have exceeded your");
            assertThat(Duration.between(Instant.now().plus(r.retryAfter()), midnight).abs()).isLessThan(Duration.ofSeconds(10));
        });
    }

    @Test
    void aRefusedTokenNeedsReconnect() {
        givenRevokedToken();
        PublishRequest request = request(key(), "Trail Runner 2", List.of(file(randomBytes(1000))), Map.of(), REVOKED);
        StepResult result = adapter().run(YouTubeAdapter.SESSION, request, context(Duration.ofSeconds(10)));
        assertThat(result).isInstanceOfSatisfying(StepResult.NeedsReconnect.class,
                r -> assertThat(r.reason()).startsWith("YouTube: Request had invalid authentication credentials"));
    }

    @Test
    void aDuplicateOfAnotherVideoIsRejectedInYouTubesWords() {
        byte[] video = randomBytes(CHUNK + 10);
        givenSomeoneElsesCopyOf(video, "vidDupOther");
        StepResult result = publishAll(key(), video);
        assertThat(result).isInstanceOfSatisfying(StepResult.Rejected.class, r -> {
            assertThat(r.code()).isEqualTo("duplicate");
            assertThat(r.reason()).isEqualTo("YouTube: Duplicate upload in the same channel");
        });
    }

    @Test
    void aDuplicateOfOurOwnEarlierUploadIsThatUpload() {
        byte[] video = randomBytes(CHUNK + 20);
        String key = key();
        String original = givenOurEarlierUpload(video, key, "vidDupOurs1");
        Map<String, String> outputs = new HashMap<>();
        StepResult result = publishAll(key, video, outputs);
        assertThat(result).isInstanceOf(StepResult.Done.class);
        assertThat(outputs).containsEntry(StepResult.PLATFORM_POST_ID, original);
    }

    @Test
    void aFinalChunkCommittedButUnansweredIsUnknownThenFound() {
        byte[] video = randomBytes(1000);
        String key = key();
        Map<String, String> outputs = new HashMap<>();
        YouTubeAdapter adapter = adapter();
        MediaRef media = file(video);
        givenUpload(video, "vidSilent01");
        assertThat(run(adapter, YouTubeAdapter.SESSION, key, media, outputs)).isInstanceOf(StepResult.Done.class);

        givenCommittedThenSilent(video, "vidSilent01");
        PublishRequest request = request(key, "Trail Runner 2", List.of(media), outputs, TOKEN);
        assertThat(adapter.run(YouTubeAdapter.UPLOAD, request, context(Duration.ofSeconds(1)))).isInstanceOf(StepResult.OutcomeUnknown.class);

        givenAnswersAgain(video, "vidSilent01");
        ReconcileResult found = adapter.reconcile(YouTubeAdapter.UPLOAD, request, context(Duration.ofSeconds(10)));
        assertThat(found).isInstanceOfSatisfying(ReconcileResult.Found.class,
                f -> assertThat(f.outputs().get(YouTubeAdapter.VIDEO_ID)).isNotBlank());
        assertLandedOnce(((ReconcileResult.Found) found).outputs().get(YouTubeAdapter.VIDEO_ID), key, video);
    }

    @Test
    void anExpiredSessionIsReconciledByTheMarkerTag() {
        byte[] video = randomBytes(1000);
        String key = key();
        Map<String, String> outputs = new HashMap<>();
        YouTubeAdapter adapter = adapter();
        MediaRef media = file(video);
        givenUpload(video, "vidExpired1");
        assertThat(run(adapter, YouTubeAdapter.SESSION, key, media, outputs)).isInstanceOf(StepResult.Done.class);
        assertThat(run(adapter, YouTubeAdapter.UPLOAD, key, media, outputs)).isInstanceOf(StepResult.Done.class);
        String id = outputs.get(YouTubeAdapter.VIDEO_ID);

        givenSessionsExpired(id, key);
        ReconcileResult found = adapter.reconcile(YouTubeAdapter.UPLOAD, request(key, "Trail Runner 2", List.of(media), outputs, TOKEN),
                context(Duration.ofSeconds(10)));
        assertThat(found).isEqualTo(new ReconcileResult.Found(Map.of(YouTubeAdapter.VIDEO_ID, id)));
        ReconcileResult other = adapter.reconcile(YouTubeAdapter.UPLOAD, request(key(), "Trail Runner 2", List.of(media), outputs, TOKEN),
                context(Duration.ofSeconds(10)));
        assertThat(other).isInstanceOf(ReconcileResult.Absent.class);
    }

    @Test
    void aSessionThatNeverGotItsBytesIsAbsent() {
        byte[] video = randomBytes(1000);
        String key = key();
        Map<String, String> outputs = new HashMap<>();
        MediaRef media = file(video);
        givenSessionWithoutBytes(video);
        YouTubeAdapter adapter = adapter();
        assertThat(run(adapter, YouTubeAdapter.SESSION, key, media, outputs)).isInstanceOf(StepResult.Done.class);
        ReconcileResult result = adapter.reconcile(YouTubeAdapter.UPLOAD, request(key, "Trail Runner 2", List.of(media), outputs, TOKEN),
                context(Duration.ofSeconds(10)));
        assertThat(result).isInstanceOf(ReconcileResult.Absent.class);
    }

    @Test
    void preflightRefusesWhatYouTubeWouldWithoutAnyCall() {
        MediaRef video = file(randomBytes(100));
        assertRejected("a <b> title", List.of(video), "YouTube: the title and description must not contain < or >");
        assertRejected("x".repeat(101), List.of(video), "YouTube: the title (first line) is 101 characters; the limit is 100");
        assertRejected("title\n" + "é".repeat(2500), List.of(video), "YouTube: the description is 5006 bytes; the limit is 5000 bytes");
        assertRejected("title", List.of(), "YouTube: exactly one video is required; got 0 media");
        assertRejected("title", List.of(new MediaRef(video.location(), "image/png", 100)),
                "YouTube: media type image/png is not accepted; send video/* or application/octet-stream");
        assertRejected("title", List.of(new MediaRef(video.location(), "video/mp4", AdapterTestSupport.videoLimits("youtube").maxSize().toBytes() + 1)),
                "YouTube: the video is 274877906945 bytes; the limit is 274877906944 bytes");
        assertRejected("title", List.of(AdapterTestSupport.probed(video, 12 * 3600 + 1, 1920, 1080)),
                "YouTube: the video is 43201 s long; the limit is 43200 s");
        assertRejected("  \n ", List.of(video), "YouTube: a title is required (the first line of the text)");
        assertThat(apiCalls).hasValue(0);
    }

    private void assertRejected(String text, List<MediaRef> media, String reason) {
        StepResult result = adapter().run(YouTubeAdapter.SESSION, request(key(), text, media, Map.of(), TOKEN), context(Duration.ofSeconds(5)));
        assertThat(result).isInstanceOfSatisfying(StepResult.Rejected.class, r -> assertThat(r.reason()).isEqualTo(reason));
    }

    /** Session, upload and processing polls until something other than "still processing". */
    StepResult publishAll(String key, byte[] video) {
        return publishAll(key, video, new HashMap<>());
    }

    StepResult publishAll(String key, byte[] video, Map<String, String> outputs) {
        YouTubeAdapter adapter = adapter();
        MediaRef media = file(video);
        for (Step step : List.of(YouTubeAdapter.SESSION, YouTubeAdapter.UPLOAD)) {
            StepResult result = run(adapter, step, key, media, outputs);
            if (!(result instanceof StepResult.Done)) {
                return result;
            }
        }
        for (int poll = 0; poll < 10; poll++) {
            StepResult result = run(adapter, YouTubeAdapter.PROCESS, key, media, outputs);
            if (!(result instanceof StepResult.RetryLater r && r.errorClass() == ErrorClass.PROCESSING)) {
                return result;
            }
        }
        throw new AssertionError("still processing after 10 checks");
    }

    StepResult run(YouTubeAdapter adapter, Step step, String key, MediaRef media, Map<String, String> outputs) {
        StepResult result = adapter.run(step, request(key, "Trail Runner 2\nOut now.", List.of(media), outputs, TOKEN), context(Duration.ofSeconds(10)));
        if (result instanceof StepResult.Done(Map<String, String> out)) {
            outputs.putAll(out);
        }
        return result;
    }

    static PublishRequest request(String key, String text, List<MediaRef> media, Map<String, String> outputs, String token) {
        return new PublishRequest(UUID.randomUUID(), key, "youtube", "acct-yt", text, media, Map.copyOf(outputs), token, "acct-yt", null);
    }

    static StepContext context(Duration timeout) {
        return new RecordingContext(timeout);
    }

    static String key() {
        return "yt-" + UUID.randomUUID();
    }

    MediaRef file(byte[] video) {
        return AdapterTestSupport.file(dir, video, "video/mp4", ".mp4");
    }
}
