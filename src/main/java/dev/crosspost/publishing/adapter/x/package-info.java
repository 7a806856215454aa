/** The X (Twitter) API v2 adapter: chunked media upload, processing status, {@code POST /2/tweets}. */
@org.jspecify.annotations.NullMarked
package dev.crosspost.publishing.adapter.x;
