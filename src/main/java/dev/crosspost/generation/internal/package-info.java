/** How generation works inside: credits, captioners, HeyGen, the cache and the durable generation job. */
@org.jspecify.annotations.NullMarked
package dev.crosspost.generation.internal;
