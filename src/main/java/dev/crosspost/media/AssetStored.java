package dev.crosspost.media;

import java.util.UUID;

/** A file was stored (an upload, a rendition, a thumbnail or a clip). */
public record AssetStored(UUID workspaceId, UUID assetId, String kind, String role, String contentType, long sizeBytes) {
}
