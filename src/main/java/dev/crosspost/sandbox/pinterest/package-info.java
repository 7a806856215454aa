/** A simulator of the Pinterest API v5 (boards, media uploads through an S3 form, Pins) under {@code /sandbox/pinterest}. */
@org.jspecify.annotations.NullMarked
package dev.crosspost.sandbox.pinterest;
