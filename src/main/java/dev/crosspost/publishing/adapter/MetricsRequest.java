package dev.crosspost.publishing.adapter;

import org.jspecify.annotations.Nullable;

import java.time.Duration;

/**
 * What a metrics read needs: the platform's id of the post and a usable credential of the account that posted it.
 *
 * @param platformPostId the id the publish step stored ({@code platform_post_id}); a Bluesky post's {@code at://} URI
 * @param platformUserId the platform's own id of the account
 * @param serviceUrl where the account lives when that varies per account (a Bluesky PDS), else null
 * @param timeout the most the call may take
 */
public record MetricsRequest(String platformPostId, String accessToken, String platformUserId, @Nullable String serviceUrl,
                             Duration timeout) {

    @Override
    public String toString() {
        return "MetricsRequest[" + platformPostId + ", token hidden]";
    }
}
