package dev.crosspost.media;

import dev.crosspost.publishing.adapter.MediaRef;
import dev.crosspost.publishing.adapter.VideoInfo;
import org.jspecify.annotations.Nullable;

import java.time.Instant;
import java.util.UUID;

/**
 * A stored file.
 *
 * @param role {@code original} (uploaded), {@code rendition}, {@code thumbnail}, {@code poster} or {@code clip}
 * @param sourceId the asset this one was made from, for everything but originals
 * @param sha256 hex checksum of the stored bytes; equal content shares one stored object
 */
public record AssetView(UUID id, String kind, String contentType, long sizeBytes, String sha256, @Nullable String filename,
                        String role, @Nullable UUID sourceId, @Nullable String spec, Probe probe, Instant createdAt) {

    /** This file as media to publish ({@code asset:<id>}), a video with what the probe found for preflight. */
    public MediaRef ref() {
        VideoInfo video = "video".equals(kind) && probe.videoCodec() != null
                ? new VideoInfo(probe.durationSeconds(), probe.displayWidth(), probe.displayHeight(), probe.fps(),
                probe.videoCodec(), probe.audioCodec())
                : null;
        return new MediaRef("asset:" + id, contentType, sizeBytes, video);
    }

    /**
     * What FFmpeg found in the file. Video fields are 0/null for images.
     *
     * @param rotation display rotation in degrees (0, 90, 180, 270)
     * @param faststart whether an MP4/MOV has its index before the media data
     */
    public record Probe(double durationSeconds, int width, int height, @Nullable String videoCodec,
                        @Nullable String videoProfile, @Nullable String pixelFormat, double fps, int rotation,
                        @Nullable String audioCodec, int audioSampleRate, int audioChannels, @Nullable String container,
                        boolean faststart) {

        /** Width and height as shown, after rotation. */
        public int displayWidth() {
            return rotation % 180 == 0 ? width : height;
        }

        public int displayHeight() {
            return rotation % 180 == 0 ? height : width;
        }
    }
}
