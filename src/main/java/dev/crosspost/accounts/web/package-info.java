/** The accounts HTTP API under {@code /api/v1/accounts}. */
@org.jspecify.annotations.NullMarked
package dev.crosspost.accounts.web;
