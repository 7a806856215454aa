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

    /** The text {@code target} gets: its own caption, else the post's. */
    public String textFor(Target target) {
        return target.text() != null ? target.text() : text;
    }

    /** The media {@code target} gets: its own rendition, else the post's. */
    public List<MediaRef> mediaFor(Target target) {
        return target.media() != null ? target.media() : media;
    }

    /**
     * One connected account to publish to.
     *
     * @param text this target's own caption (e.g. written for the platform), null for the post's text
     * @param media this target's own media (e.g. the platform's rendition), null for the post's media
     */
    public record Target(String platform, String accountId, @Nullable String text, @Nullable List<MediaRef> media) {

        public Target(String platform, String accountId) {
            this(platform, accountId, null, null);
        }
    }
}
