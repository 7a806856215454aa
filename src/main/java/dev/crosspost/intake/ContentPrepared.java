package dev.crosspost.intake;

import org.jspecify.annotations.Nullable;

import java.util.Map;
import java.util.UUID;

/**
 * Captions and video for an accepted content row are ready (or could not be made, with the reason). Published by
 * generation, turned into a post by intake; it sits beside {@link ContentAccepted} so the modules depend one way.
 *
 * @param captions per platform name
 * @param video the row's video (its own, HeyGen's or the offline render); null when there is none
 * @param failure why generation gave up (e.g. out of credits, HeyGen refused), else null
 */
public record ContentPrepared(UUID workspaceId, UUID campaignId, UUID contentId, Map<String, Caption> captions,
                              @Nullable Video video, @Nullable String failure) {

    /** @param writer who wrote it: {@code template} or {@code <model>@<base-url host>} */
    public record Caption(String text, String writer) {
    }

    /** @param location a {@code file:} URI inside the data dir or a media asset location */
    public record Video(String location, String contentType, long sizeBytes, String maker) {
    }
}
