/**
 * An in-memory, fault-injecting HTTP simulator of a generic social platform under {@code /sandbox/platforms/{platform}},
 * for tests, the demo and chaos benchmarks.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Sandbox")
@org.jspecify.annotations.NullMarked
package dev.crosspost.sandbox;
