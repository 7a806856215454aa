package dev.crosspost.media.internal;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import org.hibernate.validator.constraints.time.DurationMin;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Media settings under {@code crosspost.media.*}.
 *
 * @param storage where stored files live
 * @param limits what an upload may be
 * @param ffmpeg how FFmpeg runs
 * @param framing how a source of another aspect fills a frame: {@code pad} (black bars) or {@code blur} (a blurred copy)
 * @param platforms each platform's video limits; renditions are planned from these
 * @param sweepInterval how often temp files, stale uploads and orphan objects are swept
 * @param tempMaxAge temp files and unfinished uploads older than this are removed
 * @param jobRetention finished render jobs (their status and results) are kept this long
 */
@ConfigurationProperties("crosspost.media")
public record MediaSettings(
        @Valid @DefaultValue Storage storage,
        @Valid @DefaultValue Limits limits,
        @Valid @DefaultValue FfmpegRun ffmpeg,
        @NotNull @Pattern(regexp = "pad|blur", message = "must be 'pad' or 'blur'") @DefaultValue("blur") String framing,
        @NotNull Map<String, @Valid PlatformLimits> platforms,
        @NotNull @DurationMin(seconds = 1) @DefaultValue("1h") Duration sweepInterval,
        @NotNull @DurationMin(minutes = 1) @DefaultValue("24h") Duration tempMaxAge,
        @NotNull @DurationMin(minutes = 1) @DefaultValue("7d") Duration jobRetention) {

    public MediaSettings {
        platforms = platforms == null ? Map.of() : Map.copyOf(platforms);
    }

    /**
     * @param backend {@code local} (under the data dir) or {@code s3} (any S3-compatible service)
     * @param presignTtl how long presigned URLs stay valid
     */
    public record Storage(
            @NotNull @Pattern(regexp = "local|s3", message = "must be 'local' or 's3'") @DefaultValue("local") String backend,
            @Valid @DefaultValue S3 s3,
            @NotNull @DurationMin(seconds = 10) @DefaultValue("15m") Duration presignTtl) {
    }

    /**
     * @param endpoint the S3 API base URL; unset means AWS itself
     * @param pathStyle address buckets as {@code endpoint/bucket} (MinIO, S3Proxy, most self-hosted servers)
     * @param partSize multipart upload part size (S3 needs at least 5 MB)
     */
    public record S3(@Nullable String endpoint, @DefaultValue("us-east-1") String region, @Nullable String bucket,
                     @Nullable String accessKey, @Nullable String secretKey, @DefaultValue("true") boolean pathStyle,
                     @NotNull @DefaultValue("16MB") DataSize partSize) {

        @Override
        public String toString() {
            return "S3[endpoint=" + endpoint + ", region=" + region + ", bucket=" + bucket + ", pathStyle=" + pathStyle + "]";
        }
    }

    /** Upload limits; the declared type never decides which limit applies, the sniffed one does. */
    public record Limits(
            @NotNull @DefaultValue("100MB") DataSize maxVideoSize,
            @NotNull @DefaultValue("10MB") DataSize maxImageSize,
            @NotNull @DurationMin(seconds = 1) @DefaultValue("15m") Duration maxDuration,
            @Min(16) @Max(16384) @DefaultValue("4096") int maxDimension) {
    }

    /**
     * @param concurrency FFmpeg processes running at once on this node
     * @param timeout the longest one FFmpeg run may take before it is killed
     * @param preset x264 preset of every encode
     * @param crf x264 quality of every encode
     */
    public record FfmpegRun(@Min(1) @Max(64) @DefaultValue("2") int concurrency,
                            @NotNull @DurationMin(seconds = 1) @DefaultValue("30m") Duration timeout,
                            @NotBlank @DefaultValue("veryfast") String preset,
                            @Min(0) @Max(51) @DefaultValue("23") int crf) {
    }

    /**
     * One platform's video limits.
     *
     * @param frames output frames it accepts, most preferred first, as {@code WIDTHxHEIGHT}
     */
    public record PlatformLimits(
            @NotEmpty List<@Pattern(regexp = "\\d{2,5}x\\d{2,5}", message = "must be WIDTHxHEIGHT") String> frames,
            @Min(1) @Max(240) @DefaultValue("1") int minFps,
            @Min(1) @Max(240) @DefaultValue("60") int maxFps,
            @NotNull DataSize maxSize,
            @NotNull @DefaultValue("0s") Duration minDuration,
            @NotNull Duration maxDuration) {
    }
}
