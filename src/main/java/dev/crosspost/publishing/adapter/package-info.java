/** The contract a platform adapter implements: ordered steps, each returning a closed result, plus reconcile. */
@org.springframework.modulith.NamedInterface("adapter")
@org.jspecify.annotations.NullMarked
package dev.crosspost.publishing.adapter;
