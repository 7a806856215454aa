/** A simulator of the Instagram Graph API's content publishing (Reels) under {@code /sandbox/instagram}. */
@org.jspecify.annotations.NullMarked
package dev.crosspost.sandbox.instagram;
