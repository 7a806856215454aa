package dev.crosspost.publishing.adapter;

/**
 * The optional metrics capability of a platform adapter: reads a published post's engagement counts through the
 * platform's own endpoint. Must not throw for platform errors: map them to a {@link MetricsResult}.
 */
public interface PostMetricsReader {

    /** The platform name, as in {@link PlatformAdapter#platform()}. */
    String platform();

    /** The post's counts now, or when to ask again, or that the post is gone. */
    MetricsResult fetch(MetricsRequest request);
}
