/** Intake's HTTP edge: the campaigns API and the signed content webhook. */
@org.jspecify.annotations.NullMarked
package dev.crosspost.intake.web;
