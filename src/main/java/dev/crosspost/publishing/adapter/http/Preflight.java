package dev.crosspost.publishing.adapter.http;

import dev.crosspost.publishing.adapter.MediaRef;
import dev.crosspost.publishing.adapter.PublishRequest;
import dev.crosspost.publishing.adapter.StepResult;
import dev.crosspost.publishing.adapter.VideoInfo;
import org.jspecify.annotations.Nullable;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.Set;

/**
 * Limits checked before anything is sent, refused in the platform's name ({@code "<Platform>: …"}) and without an
 * HTTP status, since no call was made.
 */
public final class Preflight {

    private Preflight() {
    }

    /** A refusal before any call, the reason prefixed with the platform's name. */
    public static StepResult.Rejected refused(String platform, String code, String reason) {
        return new StepResult.Rejected(code, platform + ": " + reason, null);
    }

    /**
     * A post that is exactly one video ({@code what} names it, e.g. "a Reel"): its count, type, size and
     * {@link #video probed properties}. {@code withoutVideo} is the platform's reason for a post without media.
     */
    public static StepResult.@Nullable Rejected oneVideo(String platform, PublishRequest request, String what, String withoutVideo,
                                                       Set<String> types, VideoLimits limits) {
        long maxBytes = limits.maxSize().toBytes();
        if (request.media().isEmpty()) {
            return refused(platform, "media_count", withoutVideo);
        }
        if (request.media().size() != 1) {
            return refused(platform, "media_count", what + " takes exactly one video, not " + request.media().size() + " files");
        }
        MediaRef video = request.media().getFirst();
        if (!types.contains(video.contentType())) {
            return refused(platform, "media_type", video.contentType() + " is not accepted; " + what + " must be one of "
                    + String.join(", ", types.stream().sorted().toList()));
        }
        if (video.sizeBytes() <= 0 || video.sizeBytes() > maxBytes) {
            return refused(platform, "media_size", "the video is " + video.sizeBytes() + " bytes; " + what + " must be at most "
                    + maxBytes + " bytes and not empty");
        }
        return video(platform, what, video, limits);
    }

    /**
     * The probed video against the platform's duration, aspect, sides, frame-rate and codec limits. Media nobody
     * probed passes: the platform decides. Not its size: callers check that with their other media kinds.
     */
    public static StepResult.@Nullable Rejected video(String platform, String what, MediaRef media, VideoLimits limits) {
        VideoInfo v = media.video();
        if (v == null) {
            return null;
        }
        double min = seconds(limits.minDuration());
        double max = seconds(limits.maxDuration());
        if (v.durationSeconds() > max) {
            return refused(platform, "media_duration", "the video is " + number(v.durationSeconds()) + " s long; the limit is "
                    + number(max) + " s");
        }
        if (v.durationSeconds() > 0 && v.durationSeconds() < min) {
            return refused(platform, "media_duration", "the video is " + number(v.durationSeconds()) + " s long; " + what
                    + " must be at least " + number(min) + " s");
        }
        StepResult.Rejected frame = v.width() > 0 && v.height() > 0 ? frame(platform, what, v, limits) : null;
        if (frame != null) {
            return frame;
        }
        if (v.fps() > 0 && (v.fps() < limits.minFps() || v.fps() > limits.maxFps())) {
            return refused(platform, "media_fps", "the video runs at " + number(v.fps()) + " fps; " + what + " needs "
                    + limits.minFps() + " to " + limits.maxFps() + " fps");
        }
        if (!limits.videoCodecs().isEmpty() && !limits.videoCodecs().contains(v.videoCodec())) {
            return refused(platform, "media_codec", "video codec " + v.videoCodec() + " is not accepted for " + what + "; it must be "
                    + String.join(" or ", limits.videoCodecs().stream().sorted().toList()));
        }
        return null;
    }

    private static StepResult.@Nullable Rejected frame(String platform, String what, VideoInfo v, VideoLimits limits) {
        double aspect = (double) v.width() / v.height();
        if (limits.minAspect() != null && aspect < VideoLimits.ratio(limits.minAspect()) - 1e-9
                || limits.maxAspect() != null && aspect > VideoLimits.ratio(limits.maxAspect()) + 1e-9) {
            return refused(platform, "media_aspect", "video aspect ratio " + ratio(v.width(), v.height()) + " is not allowed for " + what + " ("
                    + range(limits.minAspect(), limits.maxAspect()) + ")");
        }
        int shortSide = Math.min(v.width(), v.height());
        int longSide = Math.max(v.width(), v.height());
        if (limits.minSide() > 0 && shortSide < limits.minSide() || limits.maxSide() > 0 && longSide > limits.maxSide()) {
            return refused(platform, "media_dimensions", "the video is " + v.width() + "x" + v.height() + " px; each side of "
                    + what + " must be " + (limits.minSide() > 0 ? limits.minSide() + " px or more" : "")
                    + (limits.minSide() > 0 && limits.maxSide() > 0 ? " and " : "")
                    + (limits.maxSide() > 0 ? limits.maxSide() + " px or less" : ""));
        }
        return null;
    }

    private static String range(@Nullable String min, @Nullable String max) {
        if (min != null && max != null) {
            return min.equals(max) ? min + " required" : "allowed from " + min + " to " + max;
        }
        return min != null ? "narrowest allowed " + min : "widest allowed " + max;
    }

    /** {@code 1080x1920} as {@code 9:16}. */
    static String ratio(int width, int height) {
        int gcd = BigInteger.valueOf(width).gcd(BigInteger.valueOf(height)).intValue();
        return width / gcd + ":" + height / gcd;
    }

    private static double seconds(Duration duration) {
        return duration.toNanos() / 1e9;
    }

    /** At most three decimals, none when whole: 612, 0.5, 140.25. */
    static String number(double value) {
        return BigDecimal.valueOf(value).setScale(3, RoundingMode.HALF_UP).stripTrailingZeros().toPlainString();
    }

    /** The text's length in code points against {@code limit}; {@code label} names it ("caption", "description"). */
    public static StepResult.@Nullable Rejected textLength(String platform, String code, String label, String text, int limit) {
        int length = text.codePointCount(0, text.length());
        return length > limit ? refused(platform, code, "the " + label + " is " + length + " characters long; the limit is " + limit) : null;
    }
}
