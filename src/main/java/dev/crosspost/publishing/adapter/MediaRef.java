package dev.crosspost.publishing.adapter;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.jspecify.annotations.Nullable;

/**
 * A media file to publish: where to stream it from, its type and size. Adapters open it through
 * {@link MediaSource} and stream it; they never load it whole.
 *
 * @param video what the probe found in a video; null for images and for media nobody probed (a remote URL), which
 *              preflight then leaves to the platform
 */
public record MediaRef(String location, String contentType, long sizeBytes,
                       @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable VideoInfo video) {

    public MediaRef(String location, String contentType, long sizeBytes) {
        this(location, contentType, sizeBytes, null);
    }
}
