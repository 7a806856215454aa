package dev.crosspost.system;

import org.jspecify.annotations.Nullable;

import java.util.List;
import java.util.function.Function;

/** One page of a list; pass {@code nextCursor} back to get the next, null at the end. */
public record Page<T>(List<T> data, @Nullable String nextCursor) {

    /**
     * The page out of rows read with {@code limit + 1}: the extra row only says that more follow, and the cursor is
     * the position of the last row shown.
     */
    public static <R, T> Page<T> of(List<R> rows, int limit, Function<R, String> cursorOf, Function<List<R>, List<T>> views) {
        boolean more = rows.size() > limit;
        List<R> shown = more ? rows.subList(0, limit) : rows;
        return new Page<>(List.copyOf(views.apply(shown)), more ? cursorOf.apply(shown.getLast()) : null);
    }

    /** {@link #of(List, int, Function, Function)} for rows that are their own views. */
    public static <T> Page<T> of(List<T> rows, int limit, Function<T, String> cursorOf) {
        return of(rows, limit, cursorOf, Function.identity());
    }
}
