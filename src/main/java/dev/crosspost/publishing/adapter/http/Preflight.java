package dev.crosspost.publishing.adapter.http;

import dev.crosspost.publishing.adapter.MediaRef;
import dev.crosspost.publishing.adapter.PublishRequest;
import dev.crosspost.publishing.adapter.StepResult;
import org.jspecify.annotations.Nullable;

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
     * A post that is exactly one video ({@code what} names it, e.g. "a Reel"): its count, type and size.
     * {@code withoutVideo} is the platform's reason for a post without media.
     */
    public static StepResult.@Nullable Rejected oneVideo(String platform, PublishRequest request, String what, String withoutVideo,
                                                       Set<String> types, long maxBytes) {
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
        return null;
    }

    /** The text's length in code points against {@code limit}; {@code label} names it ("caption", "description"). */
    public static StepResult.@Nullable Rejected textLength(String platform, String code, String label, String text, int limit) {
        int length = text.codePointCount(0, text.length());
        return length > limit ? refused(platform, code, "the " + label + " is " + length + " characters long; the limit is " + limit) : null;
    }
}
