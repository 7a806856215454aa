/** The identity API ({@code /api/v1/auth}, {@code /api/v1/api-keys}) and the sign-in page. */
@org.jspecify.annotations.NullMarked
package dev.crosspost.identity.web;
