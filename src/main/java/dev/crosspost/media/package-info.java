/**
 * Media: uploads, storage, FFmpeg renditions, thumbnails and clips.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Media")
@org.jspecify.annotations.NullMarked
package dev.crosspost.media;
