/** What every HTTP platform adapter shares: sending, Retry-After parsing, error mapping and ranged media bodies. */
@org.springframework.modulith.NamedInterface("adapter-http")
@org.jspecify.annotations.NullMarked
package dev.crosspost.publishing.adapter.http;
