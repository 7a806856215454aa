/** The recurring sync of published posts' metrics from each platform, its store, and {@link dev.crosspost.publishing.PostMetrics}. */
@org.jspecify.annotations.NullMarked
package dev.crosspost.publishing.metrics;
