package dev.crosspost.trends;

import org.jspecify.annotations.Nullable;

/**
 * What the Jetstream collector is doing.
 *
 * @param enabled whether a collector runs at all
 * @param connected whether its socket is open now
 * @param cursor time_us of the last processed event, null before the first
 * @param received events read off the socket
 * @param processed events counted (or read past, for kinds that carry no post)
 * @param dropped events dropped because the hand-off queue was full
 * @param skipped replayed events at or before the cursor, not counted twice
 * @param reconnects connections opened after the first
 * @param queued events waiting in the hand-off queue
 * @param lagSeconds now minus the time of the last processed event, null before the first
 */
public record CollectorStatus(boolean enabled, boolean connected, @Nullable Long cursor, long received, long processed,
                              long dropped, long skipped, long reconnects, int queued, @Nullable Double lagSeconds) {

    static final CollectorStatus DISABLED = new CollectorStatus(false, false, null, 0, 0, 0, 0, 0, 0, null);
}
