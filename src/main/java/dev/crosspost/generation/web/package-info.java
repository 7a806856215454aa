/** The credits API and the signed payment top-up webhook. */
@org.jspecify.annotations.NullMarked
package dev.crosspost.generation.web;
