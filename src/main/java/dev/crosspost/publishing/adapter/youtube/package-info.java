/** YouTube Data API v3: resumable video upload, processing status, duplicate detection by marker tag. */
@org.jspecify.annotations.NullMarked
package dev.crosspost.publishing.adapter.youtube;
