/** A simulated Bluesky PDS (blobs, service tokens, post records, record lookup) and video service, with the sandbox's faults. */
@org.jspecify.annotations.NullMarked
package dev.crosspost.sandbox.bluesky;
