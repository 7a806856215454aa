package dev.crosspost.intake;

import org.jspecify.annotations.Nullable;

/**
 * Verifies signed inbound webhooks (content rows here; payment top-ups in generation): headers
 * {@code Crosspost-Timestamp: <unix seconds>} and {@code Crosspost-Signature: v1=<hex HMAC-SHA256(secret,
 * timestamp + "." + body)>} (several {@code v1=} entries, comma-separated, during a secret rotation). The MAC is
 * compared in constant time, the timestamp must be within the window (5 minutes by default) of now, and each
 * signature is accepted once per {@code scope}: a replay inside the window is refused. Every refusal is a 401
 * problem ({@code signature_missing}, {@code signature_invalid}, {@code timestamp_outside_window},
 * {@code replayed}). Call it inside the transaction that acts on the request, so a failed action frees the nonce.
 */
public interface InboundSignatures {

    String TIMESTAMP_HEADER = "Crosspost-Timestamp";
    String SIGNATURE_HEADER = "Crosspost-Signature";

    /**
     * @param scope what the secret belongs to, e.g. {@code campaign:<id>} or {@code payments}; nonces are per scope
     * @param secret the shared secret's bytes
     */
    void verify(String scope, byte[] secret, @Nullable String timestamp, @Nullable String signature, byte[] body);
}
