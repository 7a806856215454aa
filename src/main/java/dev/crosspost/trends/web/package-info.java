/** {@code /api/v1/trends}: the trending tags and terms, and the collector's status. */
@org.jspecify.annotations.NullMarked
package dev.crosspost.trends.web;
