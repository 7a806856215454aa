package dev.crosspost.media;

import dev.crosspost.publishing.adapter.MediaRef;
import org.jspecify.annotations.Nullable;

import java.io.InputStream;
import java.util.UUID;

/** Stores media streamed in, validated by its bytes, probed and checksummed, for one workspace at a time. */
public interface Assets {

    /**
     * Streams {@code content} into storage. The type is sniffed from the bytes; a {@code declaredType} that disagrees,
     * a polyglot, an unreadable file or one over the limits is refused with a {@code CrosspostException}.
     */
    AssetView store(UUID workspaceId, InputStream content, @Nullable String declaredType, @Nullable String filename);

    /** The asset, or 404 when it does not exist in this workspace. */
    AssetView get(UUID workspaceId, UUID assetId);

    /** What the engine streams for this asset ({@code asset:<id>}). */
    default MediaRef ref(UUID workspaceId, UUID assetId) {
        return get(workspaceId, assetId).ref();
    }
}
