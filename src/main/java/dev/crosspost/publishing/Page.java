package dev.crosspost.publishing;

import org.jspecify.annotations.Nullable;

import java.util.List;

/** One page of a list; pass {@code nextCursor} back to get the next, null at the end. */
public record Page<T>(List<T> data, @Nullable String nextCursor) {
}
