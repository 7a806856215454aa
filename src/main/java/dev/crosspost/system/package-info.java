/**
 * Cross-cutting wiring: embedded PostgreSQL, validated settings, problem+json errors, request ids,
 * log redaction, health and shutdown order.
 */
@org.springframework.modulith.ApplicationModule(displayName = "System", type = org.springframework.modulith.ApplicationModule.Type.OPEN)
@org.jspecify.annotations.NullMarked
package dev.crosspost.system;
