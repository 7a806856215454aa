/**
 * An OpenAI-compatible chat completions simulator under {@code /sandbox/openai/v1}: its auth, error envelope,
 * rate-limit headers and 429s, plus scripted replies for tests.
 */
@org.jspecify.annotations.NullMarked
package dev.crosspost.sandbox.openai;
