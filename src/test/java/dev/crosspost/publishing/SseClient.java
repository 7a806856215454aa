package dev.crosspost.publishing;

import org.jspecify.annotations.Nullable;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A small server-sent events client for tests: reads the stream on a virtual thread and keeps what arrives. */
final class SseClient implements AutoCloseable {

    /** One dispatched event, with when it arrived. */
    record Event(@Nullable String id, String name, String data, Instant receivedAt) {
    }

    private final HttpResponse<InputStream> response;
    private final List<Event> events = new CopyOnWriteArrayList<>();
    private final List<String> comments = new CopyOnWriteArrayList<>();
    private volatile boolean ended;
    private @Nullable String errorBody;

    private SseClient(HttpResponse<InputStream> response) {
        this.response = response;
    }

    static SseClient open(HttpClient http, HttpRequest.Builder request, @Nullable String lastEventId) throws IOException, InterruptedException {
        request.header("Accept", "text/event-stream").timeout(Duration.ofSeconds(10));
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        SseClient client = new SseClient(http.send(request.GET().build(), HttpResponse.BodyHandlers.ofInputStream()));
        if (client.status() != 200) {
            try (InputStream body = client.response.body()) {
                client.errorBody = new String(body.readAllBytes(), StandardCharsets.UTF_8);
            }
            client.ended = true;
        } else {
            Thread.ofVirtual().name("test-sse-reader").start(client::read);
        }
        return client;
    }

    int status() {
        return response.statusCode();
    }

    @Nullable String header(String name) {
        return response.headers().firstValue(name).orElse(null);
    }

    @Nullable String errorBody() {
        return errorBody;
    }

    List<Event> events() {
        return List.copyOf(events);
    }

    List<Event> events(String name) {
        return events.stream().filter(e -> e.name().equals(name)).toList();
    }

    List<String> comments() {
        return List.copyOf(comments);
    }

    /** The server ended the stream. */
    boolean ended() {
        return ended;
    }

    private void read() {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            String id = null;
            String name = "message";
            StringBuilder data = null;
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.isEmpty()) {
                    if (data != null) {
                        events.add(new Event(id, name, data.toString(), Instant.now()));
                    }
                    id = null;
                    name = "message";
                    data = null;
                } else if (line.startsWith(":")) {
                    comments.add(line.substring(1));
                } else {
                    int colon = line.indexOf(':');
                    String field = colon < 0 ? line : line.substring(0, colon);
                    String value = colon < 0 ? "" : line.substring(colon + 1).replaceFirst("^ ", "");
                    switch (field) {
                        case "id" -> id = value;
                        case "event" -> name = value;
                        case "data" -> data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
                        default -> {
                        }
                    }
                }
            }
        } catch (IOException e) {
            // closed by the test
        } finally {
            ended = true;
        }
    }

    @Override
    public void close() throws IOException {
        response.body().close();
    }
}
