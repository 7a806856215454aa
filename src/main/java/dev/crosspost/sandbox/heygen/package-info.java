/**
 * A HeyGen v2 simulator under {@code /sandbox/heygen}: generate, status polling through pending and processing to
 * completed or failed, a downloadable video, HeyGen's error envelope, plus scripted errors for tests.
 */
@org.jspecify.annotations.NullMarked
package dev.crosspost.sandbox.heygen;
