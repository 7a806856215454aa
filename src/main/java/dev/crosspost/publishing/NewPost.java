package dev.crosspost.publishing;

import dev.crosspost.publishing.adapter.MediaRef;
import org.jspecify.annotations.Nullable;

import java.util.List;
import java.util.UUID;

/**
 * A post to create: content, where it goes, and when.
 *
 * @param schedule when to publish; null means now
 */
public record NewPost(UUID workspaceId, @Nullable UUID campaignId, String text, List<MediaRef> media, List<Target> targets,
                      @Nullable LocalSchedule schedule, Priority priority) {

    /** One connected account to publish to. */
    public record Target(String platform, String accountId) {
    }
}
