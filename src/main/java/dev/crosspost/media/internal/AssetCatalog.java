package dev.crosspost.media.internal;

import dev.crosspost.publishing.adapter.MediaCatalog;
import dev.crosspost.publishing.adapter.MediaRef;
import org.springframework.stereotype.Component;

import java.util.Optional;
import java.util.UUID;

/** The workspace's stored assets as {@code asset:<id>} media for posts. */
@Component
class AssetCatalog implements MediaCatalog {

    private final AssetStore store;

    AssetCatalog(AssetStore store) {
        this.store = store;
    }

    @Override
    public Optional<MediaRef> asset(UUID workspaceId, UUID assetId) {
        return store.find(workspaceId, assetId)
                .map(s -> s.view().ref());
    }
}
