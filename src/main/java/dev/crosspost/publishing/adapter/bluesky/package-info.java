/** The Bluesky (AT Protocol) adapter: blobs to the account's PDS (videos through the video service), then a post record under a key derived from the idempotency key. */
@org.jspecify.annotations.NullMarked
package dev.crosspost.publishing.adapter.bluesky;
