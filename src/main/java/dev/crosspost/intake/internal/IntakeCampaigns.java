package dev.crosspost.intake.internal;

import dev.crosspost.publishing.KnownCampaigns;
import org.springframework.stereotype.Component;

import java.util.Set;
import java.util.UUID;

/** Tells the event streams about intake's campaigns: they open before a post exists and get their rows' render progress. */
@Component
class IntakeCampaigns implements KnownCampaigns {

    private final IntakeStore store;

    IntakeCampaigns(IntakeStore store) {
        this.store = store;
    }

    @Override
    public boolean exists(UUID workspaceId, UUID campaignId) {
        return store.campaignWorkspace(campaignId).filter(workspaceId::equals).isPresent();
    }

    @Override
    public Set<UUID> using(UUID workspaceId, Set<UUID> assets) {
        return store.campaignsUsing(workspaceId, assets);
    }
}
