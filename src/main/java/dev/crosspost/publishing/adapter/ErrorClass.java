package dev.crosspost.publishing.adapter;

/** Why a step should be tried again later. Retry policies decide per class whether and how often. */
public enum ErrorClass {
    /** 5xx, connection refused, a platform hiccup. */
    TRANSIENT,
    /** 429 or a quota signal; the retry time is the platform's. */
    RATE_LIMITED,
    /** A query that ran out of time. */
    TIMEOUT,
    /** Not an error: the platform is still processing (transcoding, container not ready). */
    PROCESSING
}
