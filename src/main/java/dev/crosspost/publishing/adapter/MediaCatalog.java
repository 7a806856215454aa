package dev.crosspost.publishing.adapter;

import java.util.Optional;
import java.util.UUID;

/** Resolves the assets a client names in a post; implemented by the media module, which publishing cannot depend on. */
public interface MediaCatalog {

    /** The asset as media to publish, or empty when it does not exist in this workspace. */
    Optional<MediaRef> asset(UUID workspaceId, UUID assetId);
}
