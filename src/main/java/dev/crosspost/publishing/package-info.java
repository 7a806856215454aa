/**
 * Posts and their per-account publications: the engine that lands each one exactly once (state machine, steps,
 * retries, quotas, breakers, reconciliation, dead letters) and its API.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Publishing")
@org.jspecify.annotations.NullMarked
package dev.crosspost.publishing;
