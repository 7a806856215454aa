package dev.crosspost.publishing.events;

import dev.crosspost.system.CrosspostException;
import dev.crosspost.system.Workspaces;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import java.util.UUID;

/**
 * {@code GET /api/v1/posts/{id}/events} and {@code GET /api/v1/campaigns/{id}/events}: progress as server-sent
 * events. Each {@code publication} event is one history row with the row id as SSE id; reconnecting with
 * {@code Last-Event-ID} (or {@code ?lastEventId=}) resumes right after it. {@code render} events (render progress of
 * the media, see {@link LiveRelay}) have no id and are never replayed.
 */
@RestController
class EventsController {

    private final EventStreams streams;
    private final Workspaces workspaces;

    EventsController(EventStreams streams, Workspaces workspaces) {
        this.streams = streams;
        this.workspaces = workspaces;
    }

    @GetMapping(path = "/api/v1/posts/{id}/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    @Operation(summary = "A post's publication events (and transient render progress of its media) as server-sent events, ending with 'settled'")
    ResponseEntity<SseEmitter> post(@PathVariable UUID id, @RequestHeader(name = "Last-Event-ID", required = false) @Nullable String header,
                                    @RequestParam(required = false) @Nullable String lastEventId, HttpServletRequest request) {
        return stream(streams.post(workspaces.current(request), id, after(header, lastEventId)));
    }

    @GetMapping(path = "/api/v1/campaigns/{id}/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    @Operation(summary = "The publication events of every post of a campaign (and transient render progress of its media) as server-sent events")
    ResponseEntity<SseEmitter> campaign(@PathVariable UUID id, @RequestHeader(name = "Last-Event-ID", required = false) @Nullable String header,
                                        @RequestParam(required = false) @Nullable String lastEventId, HttpServletRequest request) {
        return stream(streams.campaign(workspaces.current(request), id, after(header, lastEventId)));
    }

    private static ResponseEntity<SseEmitter> stream(SseEmitter emitter) {
        // no-transform and X-Accel-Buffering keep proxies (nginx) from buffering the stream
        return ResponseEntity.ok().cacheControl(CacheControl.noCache().noTransform()).header("X-Accel-Buffering", "no").body(emitter);
    }

    /** The header wins over the query parameter (browsers send the header on their own reconnects). */
    private static long after(@Nullable String header, @Nullable String param) {
        String raw = header != null && !header.isBlank() ? header : param;
        if (raw == null || raw.isBlank()) {
            return 0;
        }
        try {
            long id = Long.parseLong(raw.strip());
            if (id >= 0) {
                return id;
            }
        } catch (NumberFormatException e) {
            // falls through to the problem below
        }
        String field = header != null && !header.isBlank() ? "Last-Event-ID" : "lastEventId";
        throw CrosspostException.invalid(field, "must be an event id this API sent");
    }
}
