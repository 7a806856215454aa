/**
 * Connected platform accounts: OAuth and app-password connection flows, tokens encrypted at rest, scheduled
 * refresh, key rotation, and the tokens the publishing engine asks for.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Accounts")
@org.jspecify.annotations.NullMarked
package dev.crosspost.accounts;
