/**
 * What every platform simulator shares ({@link dev.crosspost.sandbox.simulator.SimulatorSupport}): injected latency
 * and faults, bearer checks against the simulated authorization servers, the records of accepted posts, and
 * answering as the drawn fault says.
 */
@org.jspecify.annotations.NullMarked
package dev.crosspost.sandbox.simulator;
