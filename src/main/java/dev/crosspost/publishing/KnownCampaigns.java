package dev.crosspost.publishing;

import java.util.UUID;

/**
 * Campaigns kept by another module (intake), so a campaign's event stream opens before its first post exists
 * (while its rows' videos are still rendering).
 */
public interface KnownCampaigns {

    boolean exists(UUID workspaceId, UUID campaignId);

    /** The workspace's campaigns whose rows are made from one of {@code assets} (for render progress). */
    java.util.Set<UUID> using(UUID workspaceId, java.util.Set<UUID> assets);
}
