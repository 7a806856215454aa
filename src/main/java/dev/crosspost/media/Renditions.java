package dev.crosspost.media;

import dev.crosspost.publishing.adapter.MediaRef;
import org.jspecify.annotations.Nullable;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Per-platform renditions of a video: the platforms are grouped by the output their limits allow, each distinct
 * output is made once (remuxed when the source already meets it), all from one FFmpeg run that also makes the
 * thumbnails and the poster frame. Every output is checked against each platform it serves before it is handed out.
 */
public interface Renditions {

    /** Renders (or reuses) what {@code platforms} need from the asset; 404 for another workspace's asset. */
    RenditionSet render(UUID workspaceId, UUID assetId, Set<String> platforms);

    /**
     * @param platforms what each platform gets
     * @param thumbnails {@code small}, {@code medium}, {@code large} and {@code poster}
     */
    record RenditionSet(UUID assetId, Map<String, PlatformRendition> platforms, Map<String, AssetView> thumbnails) {
    }

    /**
     * One platform's rendition.
     *
     * @param media what to publish, null when the output breaks the platform's limits
     * @param spec the output's spec, e.g. {@code 1080x1920@30}
     * @param remuxed true when the source was copied into the output without re-encoding
     * @param violations the platform limits the output breaks; empty when {@code media} is set
     */
    record PlatformRendition(String platform, @Nullable MediaRef media, @Nullable UUID assetId, String spec, boolean remuxed,
                             List<String> violations) {
    }
}
