package dev.crosspost.publishing.adapter;

import org.jspecify.annotations.Nullable;

/**
 * What the media module's probe found in a video, as the platforms see it.
 *
 * @param width shown width in pixels, after rotation
 * @param height shown height in pixels, after rotation
 * @param videoCodec FFmpeg's codec name ({@code h264}, {@code hevc}, {@code vp9}, …)
 * @param audioCodec FFmpeg's codec name, null without an audio stream
 */
public record VideoInfo(double durationSeconds, int width, int height, double fps, String videoCodec,
                        @Nullable String audioCodec) {
}
