package dev.crosspost.publishing.adapter;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Everything an adapter needs for one publication.
 *
 * @param idempotencyKey stable across retries and replays; pass it to the platform or embed it as a marker
 * @param outputs what earlier finished steps returned (upload id, container id, …)
 * @param accessToken the account's current token (already refreshed by the accounts module)
 */
public record PublishRequest(UUID publicationId, String idempotencyKey, String platform, String accountId, String text,
                             List<MediaRef> media, Map<String, String> outputs, String accessToken) {

    public String output(String key) {
        String value = outputs.get(key);
        if (value == null) {
            throw new IllegalStateException("step output '" + key + "' missing for publication " + publicationId);
        }
        return value;
    }
}
