package dev.crosspost.publishing.adapter;

/**
 * A media file to publish: where to stream it from, its type and size. Adapters open it through
 * {@link MediaSource} and stream it; they never load it whole.
 */
public record MediaRef(String location, String contentType, long sizeBytes) {
}
