package dev.crosspost.publishing.adapter;

import org.jspecify.annotations.Nullable;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Everything an adapter needs for one publication.
 *
 * @param idempotencyKey stable across retries and replays; pass it to the platform or embed it as a marker
 * @param outputs what earlier finished steps returned (upload id, container id, …)
 * @param accessToken the account's current token (already refreshed by the accounts module)
 * @param platformUserId the platform's own id of the account (X user id, Instagram user id, Bluesky DID, …)
 * @param serviceUrl where the account lives when that varies per account (a Bluesky PDS), else null
 */
public record PublishRequest(UUID publicationId, String idempotencyKey, String platform, String accountId, String text,
                             List<MediaRef> media, Map<String, String> outputs, String accessToken,
                             String platformUserId, @Nullable String serviceUrl) {

    public String output(String key) {
        String value = outputs.get(key);
        if (value == null) {
            throw new IllegalStateException("step output '" + key + "' missing for publication " + publicationId);
        }
        return value;
    }

    @Override
    public String toString() {
        return "PublishRequest[" + publicationId + " " + platform + "/" + accountId + ", step outputs " + outputs.keySet() + ", token hidden]";
    }
}
