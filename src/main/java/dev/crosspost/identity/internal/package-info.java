/** How identity works inside: users, tokens, API keys, lockouts, rate limits, CORS and the security filter chain. */
@org.jspecify.annotations.NullMarked
package dev.crosspost.identity.internal;
