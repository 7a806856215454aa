/**
 * Simulated authorization servers for X, TikTok, Pinterest, Google (YouTube), Instagram and a Bluesky PDS, under
 * {@code /sandbox/oauth/{platform}}: authorize pages that approve at once, token endpoints with each platform's
 * request and error shapes, PKCE, single-use codes, rotating refresh tokens and revocation. {@link
 * dev.crosspost.sandbox.oauth.SandboxOAuth} is the control surface for tests.
 */
@org.springframework.modulith.NamedInterface("oauth")
@org.jspecify.annotations.NullMarked
package dev.crosspost.sandbox.oauth;
