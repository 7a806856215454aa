package dev.crosspost.media;

import java.util.UUID;

/** An FFmpeg run on an asset advanced; published at most once per percent. */
public record RenderProgressed(UUID workspaceId, UUID assetId, String operation, int percent) {
}
