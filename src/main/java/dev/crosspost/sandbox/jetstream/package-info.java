/**
 * A simulated Bluesky Jetstream at {@code /sandbox/jetstream/subscribe}: replays a recorded-style sample of events
 * from a cursor, then synthesizes posts at a settable rate, with dropped connections on request.
 */
@org.jspecify.annotations.NullMarked
package dev.crosspost.sandbox.jetstream;
