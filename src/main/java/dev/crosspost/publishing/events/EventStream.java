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
 * One open stream: what it follows, its bounded queue of live rows filled by the {@link EventPoller}, and the
 * virtual thread that writes to the client. The poller never blocks on a stream: when the queue is full the
 * stream is marked overflowed and its writer ends it.
 */
final class EventStream {

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
    private final BlockingQueue<HistoryRow> queue;
    private volatile boolean closed;
    private volatile boolean overflowed;

    EventStream(Topic topic, SseEmitter emitter, int capacity) {
        this.topic = topic;
        this.emitter = emitter;
        this.queue = new ArrayBlockingQueue<>(capacity);
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
        if (!queue.offer(row) && !overflowed) {
            overflowed = true;
            queue.clear();
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
     * The rows queued, waiting up to {@code wait} for the first; empty when none came. The writer waits in short
     * slices instead of being interrupted, because an interrupt during its JDBC reads would break a pooled connection.
     */
    List<HistoryRow> next(Duration wait) throws InterruptedException {
        List<HistoryRow> rows = new ArrayList<>();
        HistoryRow first = queue.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
        if (first != null) {
            rows.add(first);
            queue.drainTo(rows);
        }
        return rows;
    }
}
