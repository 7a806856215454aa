/** TikTok Content Posting API: Direct Post with chunked FILE_UPLOAD and status polling by publish id. */
@org.jspecify.annotations.NullMarked
package dev.crosspost.publishing.adapter.tiktok;
