package dev.crosspost.media.internal;

import dev.crosspost.media.RenderProgressed;
import dev.crosspost.publishing.LiveEvents;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

/**
 * Forwards render progress to the event streams of the posts (and campaigns) whose media is the asset or made from
 * it, as {@code event: render}. A plain listener on purpose: progress is transient, so it is never written to the
 * event publication registry.
 */
@Component
class ProgressRelay {

    private final LiveEvents live;
    private final AssetStore store;

    ProgressRelay(LiveEvents live, AssetStore store) {
        this.live = live;
        this.store = store;
    }

    /** The data of an SSE {@code render} event. */
    record Progress(UUID assetId, String operation, int percent) {
    }

    @EventListener
    void on(RenderProgressed progress) {
        Set<UUID> assets = new HashSet<>(store.derivedIds(progress.assetId()));
        assets.add(progress.assetId());
        live.send(progress.workspaceId(), assets, Set.of(), "render", new Progress(progress.assetId(), progress.operation(), progress.percent()));
    }
}
