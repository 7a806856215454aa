/** How accounts work inside: token encryption, platform protocols, stores, refresh jobs and the engine's tokens. */
@org.jspecify.annotations.NullMarked
package dev.crosspost.accounts.internal;
