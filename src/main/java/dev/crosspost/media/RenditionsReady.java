package dev.crosspost.media;

import java.util.Map;
import java.util.UUID;

/** An asset's renditions for a set of platforms are stored and checked; {@code specs} maps platform to spec. */
public record RenditionsReady(UUID workspaceId, UUID assetId, Map<String, String> specs) {
}
