package dev.crosspost.dashboard.web;

import dev.crosspost.media.AssetView;
import dev.crosspost.media.Assets;
import dev.crosspost.publishing.Posts;
import dev.crosspost.publishing.adapter.MediaRef;
import dev.crosspost.system.CrosspostException;
import org.jspecify.annotations.Nullable;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One medium of a post as the post page shows it: the stored asset (a rendition or the original), which platforms
 * get it, and whose thumbnails to show (the original's: thumbnails are made from it, not from each rendition).
 *
 * @param asset null for media that is not a stored asset (a remote URL the engine fetches itself)
 * @param contentType what the post declared, for media that is not an asset
 * @param platforms the platforms that publish this medium; empty when it is the post's own for every platform
 */
public record MediaCard(@Nullable AssetView asset, String contentType, List<String> platforms) {

    private static final String ASSET = "asset:";

    /** The asset whose thumbnails stand for this medium. */
    public @Nullable UUID thumbnailSource() {
        return asset == null ? null : asset.sourceId() != null ? asset.sourceId() : asset.id();
    }

    public boolean image() {
        return contentType.startsWith("image/");
    }

    static List<MediaCard> of(UUID workspaceId, Posts.PostMedia media, Assets assets) {
        Map<String, List<String>> platformsByLocation = new LinkedHashMap<>();
        Map<String, MediaRef> refs = new LinkedHashMap<>();
        media.post().forEach(ref -> {
            refs.putIfAbsent(ref.location(), ref);
            platformsByLocation.putIfAbsent(ref.location(), new ArrayList<>());
        });
        media.byPlatform().forEach((platform, list) -> list.forEach(ref -> {
            refs.putIfAbsent(ref.location(), ref);
            platformsByLocation.computeIfAbsent(ref.location(), k -> new ArrayList<>()).add(platform);
        }));
        List<MediaCard> cards = new ArrayList<>();
        refs.forEach((location, ref) -> cards.add(new MediaCard(asset(workspaceId, location, assets), ref.contentType(),
                platformsByLocation.get(location))));
        return cards;
    }

    private static @Nullable AssetView asset(UUID workspaceId, String location, Assets assets) {
        if (!location.startsWith(ASSET)) {
            return null;
        }
        try {
            return assets.get(workspaceId, UUID.fromString(location.substring(ASSET.length())));
        } catch (IllegalArgumentException | CrosspostException e) {
            // a malformed or since-deleted asset: the card says the medium is not stored here rather than failing the page
            return null;
        }
    }
}
