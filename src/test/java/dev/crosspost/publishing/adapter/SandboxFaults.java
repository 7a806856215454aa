package dev.crosspost.publishing.adapter;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/** Sets and clears the simulators' faults over {@code /sandbox/faults}, as chaos runs do. */
public final class SandboxFaults {

    private final HttpClient http = HttpClient.newHttpClient();
    private final URI uri;

    public SandboxFaults(int port) {
        this.uri = URI.create("http://127.0.0.1:" + port + "/sandbox/faults");
    }

    /** {@code json} is a fault config, e.g. {@code {"platform":"instagram","resetRate":1.0}}. */
    public void set(String json) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public void clear() {
        try {
            http.send(HttpRequest.newBuilder(uri).DELETE().build(), HttpResponse.BodyHandlers.discarding());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
