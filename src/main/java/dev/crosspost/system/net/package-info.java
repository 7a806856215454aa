/**
 * SSRF-safe access to remote URLs: which addresses are off limits, URL checks, and a fetcher that caps size, time
 * and redirects and sniffs the real content type. Used for every URL a user hands us (media, webhook targets).
 */
@org.jspecify.annotations.NullMarked
package dev.crosspost.system.net;
