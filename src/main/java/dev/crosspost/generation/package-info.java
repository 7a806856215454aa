/**
 * Generation: per-platform captions (any OpenAI-compatible model, or a template), avatar videos (HeyGen, or an
 * offline FFmpeg render), the credits that pay for them, and their cache.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Generation")
@org.jspecify.annotations.NullMarked
package dev.crosspost.generation;
