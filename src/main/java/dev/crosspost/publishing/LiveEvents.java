package dev.crosspost.publishing;

import java.util.Set;
import java.util.UUID;

/**
 * Transient events for the progress streams open on any node (e.g. render progress). They are not stored, so a
 * client reconnecting with {@code Last-Event-ID} gets only the stored {@code publication} events it missed, and a
 * stream that falls behind skips them rather than being dropped.
 */
public interface LiveEvents {

    /**
     * Sends {@code data} (as JSON) as an SSE event named {@code name} to the workspace's open streams: of the
     * {@code campaigns} and those {@link KnownCampaigns} use the assets in, of every post whose media (its own or a target's) is one of {@code assets}, and of those
     * posts' campaigns. Never blocks on a client.
     */
    void send(UUID workspaceId, Set<UUID> assets, Set<UUID> campaigns, String name, Object data);
}
