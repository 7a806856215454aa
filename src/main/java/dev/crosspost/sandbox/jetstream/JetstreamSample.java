package dev.crosspost.sandbox.jetstream;

import org.springframework.core.io.ClassPathResource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The recorded-style events of {@code sandbox/jetstream-sample.jsonl}, moved in time so the last one happened a minute
 * before {@code nowUs}: replayed now, they fall inside the trend windows.
 */
record JetstreamSample(List<Event> events) {

    static final String RESOURCE = "sandbox/jetstream-sample.jsonl";

    /** One event: its (moved) time, whether it is a commit, and its JSON text. */
    record Event(long timeUs, boolean commit, String json) {
    }

    static JetstreamSample load(long nowUs) {
        JsonMapper mapper = JsonMapper.builder().build();
        List<JsonNode> nodes = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(new ClassPathResource(RESOURCE).getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (!line.isBlank()) {
                    nodes.add(mapper.readTree(line));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
        long last = nodes.isEmpty() ? 0 : nodes.getLast().path("time_us").asLong();
        long shift = nowUs - 60_000_000L - last;
        List<Event> events = nodes.stream().map(n -> {
            long time = n.path("time_us").asLong() + shift;
            ((ObjectNode) n).put("time_us", time);
            return new Event(time, "commit".equals(n.path("kind").asString("")), mapper.writeValueAsString(n));
        }).toList();
        return new JetstreamSample(events);
    }

    long lastTimeUs() {
        return events.isEmpty() ? 0 : events.getLast().timeUs();
    }
}
