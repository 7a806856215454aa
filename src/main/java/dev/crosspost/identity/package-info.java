/**
 * Who is calling: users and their workspaces, sign-in (access JWTs with rotating refresh tokens, API keys, dashboard
 * sessions), rate limits, CORS and security headers for every request.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Identity")
@org.jspecify.annotations.NullMarked
package dev.crosspost.identity;
