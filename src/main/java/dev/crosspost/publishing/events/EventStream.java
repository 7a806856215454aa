package dev.crosspost.publishing.events;

import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One open stream: what it follows, its bounded queue of live rows filled by the {@link EventPoller} (and of
 * transient events from {@link LiveRelay}), and the virtual thread that writes to the client. Nothing that fills
 * the queue blocks: when it is full of rows the stream is marked overflowed and its writer ends it; a transient
 * event that finds it half full is skipped, so progress never crowds out rows.
 */
final class EventStream {

    /** What the writer sends: a stored row (with its id) or a transient event (without one). */
    sealed interface Item permits Row, Live {
    }

    record Row(HistoryRow row) implements Item {
    }

    /** @param json the SSE data */
    record Live(String name, String json) implements Item {
    }

    /** What a stream follows: one post, or every post of a campaign, within a workspace. */
    record Topic(Kind kind, UUID workspaceId, UUID id) {

        /** Post or campaign. */
        enum Kind { POST, CAMPAIGN }

        boolean wants(HistoryRow row) {
            return row.workspaceId().equals(workspaceId)
                    && (kind == Kind.POST ? row.event().postId().equals(id) : id.equals(row.campaignId()));
        }

        @Override
        public String toString() {
            return kind.name().toLowerCase(Locale.ROOT) + " " + id;
        }
    }

    private final Topic topic;
    private final SseEmitter emitter;
    private final BlockingQueue<Item> queue;
    private final int capacity;
    private volatile boolean closed;
    private volatile boolean overflowed;

    EventStream(Topic topic, SseEmitter emitter, int capacity) {
        this.topic = topic;
        this.emitter = emitter;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.capacity = capacity;
    }

    Topic topic() {
        return topic;
    }

    SseEmitter emitter() {
        return emitter;
    }

    boolean wants(HistoryRow row) {
        return !closed && !overflowed && topic.wants(row);
    }

    /** Called by the poller only; never blocks. */
    void offer(HistoryRow row) {
        if (!queue.offer(new Row(row)) && !overflowed) {
            overflowed = true;
            queue.clear();
        }
    }

    /** A transient event; skipped when the stream is closed or its queue is half full. */
    void offer(Live event) {
        if (!closed && !overflowed && queue.remainingCapacity() > capacity / 2) {
            queue.offer(event);
        }
    }

    boolean overflowed() {
        return overflowed;
    }

    boolean closed() {
        return closed;
    }

    /** Ends the stream from outside (client gone, timeout, shutdown); the writer sees it within a wait slice. */
    void close() {
        closed = true;
    }

    /**
     * The items queued, waiting up to {@code wait} for the first; empty when none came. The writer waits in short
     * slices instead of being interrupted, because an interrupt during its JDBC reads would break a pooled connection.
     */
    List<Item> next(Duration wait) throws InterruptedException {
        List<Item> rows = new ArrayList<>();
        Item first = queue.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
        if (first != null) {
            rows.add(first);
            queue.drainTo(rows);
        }
        return rows;
    }
}
