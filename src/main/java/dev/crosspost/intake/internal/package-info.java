/** Intake internals: CSV reading and row checks, campaign and row storage, hand-offs to generation and publishing. */
@org.jspecify.annotations.NullMarked
package dev.crosspost.intake.internal;
