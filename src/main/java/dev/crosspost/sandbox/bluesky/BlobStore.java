package dev.crosspost.sandbox.bluesky;

import dev.crosspost.sandbox.SandboxEnabled;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What the simulated PDS and video service share: the blobs they hold (by CID, from a SHA-256, never the bytes) and
 * the service tokens the PDS issued for the video service.
 */
@Component
@SandboxEnabled
class BlobStore {

    private static final SecureRandom RANDOM = new SecureRandom();

    /** A stored blob. */
    record Blob(String cid, String mimeType, long size) {
        Map<String, Object> view() {
            Map<String, Object> view = new LinkedHashMap<>();
            view.put("$type", "blob");
            view.put("ref", Map.of("$link", cid));
            view.put("mimeType", mimeType);
            view.put("size", size);
            return view;
        }
    }

    private record ServiceToken(String did, Instant expiresAt) {
    }

    private final Map<String, Blob> blobs = new HashMap<>();
    private final Map<String, ServiceToken> serviceTokens = new HashMap<>();

    synchronized Blob store(byte[] sha256, String mimeType, long size) {
        String cid = "bafkrei" + Base64.getEncoder().withoutPadding().encodeToString(sha256)
                .toLowerCase(Locale.ROOT).replaceAll("[^a-z2-7]", "");
        Blob blob = new Blob(cid.substring(0, Math.min(cid.length(), 52)), mimeType, size);
        blobs.put(blob.cid(), blob);
        return blob;
    }

    synchronized boolean has(String cid) {
        return blobs.containsKey(cid);
    }

    synchronized String issueServiceToken(String did, Instant expiresAt) {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        String token = "svc-" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        serviceTokens.put(token, new ServiceToken(did, expiresAt));
        return token;
    }

    /** The DID a live service token speaks for ("" for the sandbox account), else null. */
    synchronized @Nullable String serviceTokenDid(String token, Instant now) {
        ServiceToken t = serviceTokens.get(token);
        return t == null || !now.isBefore(t.expiresAt()) ? null : t.did();
    }
}
