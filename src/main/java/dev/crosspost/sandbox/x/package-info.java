/**
 * A simulator of the X API v2 under {@code /sandbox/x}: the dedicated media upload endpoints (initialize, append,
 * finalize, STATUS), {@code POST /2/tweets} with its duplicate rule and {@code x-rate-limit-*} window, and the
 * user timeline for lookups, with the sandbox's injected faults.
 */
@org.jspecify.annotations.NullMarked
package dev.crosspost.sandbox.x;
