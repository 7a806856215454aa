/** A simulated Bluesky PDS's repository procedures (blobs, post records, record lookup) with the sandbox's faults. */
@org.jspecify.annotations.NullMarked
package dev.crosspost.sandbox.bluesky;
