/** What the dedicated platform simulators share: bearer checks and answering with the injected faults. */
@org.jspecify.annotations.NullMarked
package dev.crosspost.sandbox.simulator;
