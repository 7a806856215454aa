/**
 * Trending hashtags and terms on Bluesky: a Jetstream collector that resumes from a persisted cursor, feeding
 * bounded per-minute counts (closed minutes saved for restarts) read over sliding 15 min, 1 h and 24 h windows.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Trends")
@org.jspecify.annotations.NullMarked
package dev.crosspost.trends;
