package dev.crosspost.identity;

import dev.crosspost.support.CrosspostIntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/** The API description is public, declares both ways to sign in, and shows the error answers on every operation. */
@CrosspostIntegrationTest
class OpenApiIntegrationTests {

    @LocalServerPort int port;

    @Test
    void theDescriptionDeclaresSecuritySchemesAndProblemResponses() {
        IdentityClient client = new IdentityClient(port);
        HttpResponse<String> docs = client.get("/v3/api-docs", null);
        assertThat(docs.statusCode()).isEqualTo(200);
        JsonNode api = client.body(docs);
        assertThat(api.get("info").get("title").asString()).isEqualTo("Crosspost API");
        assertThat(api.get("info").get("version").asString()).isEqualTo("0.1.0-SNAPSHOT");
        assertThat(api.get("info").get("description").asString()).contains("X-API-Key", "problem+json", "Idempotency-Key");
        // a local time is no RFC 3339 date-time: it has no offset, its zone is a field of its own
        JsonNode publishAt = api.get("components").get("schemas").get("CreatePost").get("properties").get("publishAt");
        assertThat(publishAt.has("format")).as(publishAt.toString()).isFalse();
        assertThat(publishAt.get("example").asString()).isEqualTo("2027-03-01T09:00");
        assertThat("2027-03-01T09:00").matches(publishAt.get("pattern").asString());
        JsonNode schemes = api.get("components").get("securitySchemes");
        assertThat(schemes.get("bearer").get("scheme").asString()).isEqualTo("bearer");
        assertThat(schemes.get("bearer").get("bearerFormat").asString()).isEqualTo("JWT");
        assertThat(schemes.get("apiKey").get("name").asString()).isEqualTo("X-API-Key");
        assertThat(api.get("components").get("schemas").has("Problem")).isTrue();

        JsonNode paths = api.get("paths");
        assertThat(paths.has("/api/v1/auth/login")).isTrue();
        assertThat(paths.has("/api/v1/api-keys")).isTrue();
        assertThat(paths.has("/api/v1/posts")).isTrue();
        JsonNode listPosts = paths.get("/api/v1/posts").get("get");
        for (String status : new String[] {"400", "401", "403", "429"}) {
            assertThat(listPosts.get("responses").get(status).get("content").has("application/problem+json")).as(status).isTrue();
        }
        assertThat(paths.get("/api/v1/auth/login").get("post").get("security")).as("public").isEmpty();
        assertThat(api.get("security").toString()).contains("bearer", "apiKey");

        for (String list : new String[] {"/api/v1/posts", "/api/v1/campaigns", "/api/v1/dead-letters", "/api/v1/accounts", "/api/v1/webhooks",
                "/api/v1/webhooks/{id}/deliveries", "/api/v1/api-keys", "/api/v1/credits/ledger", "/api/v1/assets"}) {
            JsonNode get = paths.get(list).get("get");
            assertThat(get.get("parameters").findValuesAsString("name")).as(list).contains("cursor", "limit");
            String schema = get.get("responses").get("200").get("content").findValue("$ref").asString();
            JsonNode page = api.get("components").get("schemas").get(schema.substring(schema.lastIndexOf('/') + 1));
            assertThat(page.get("properties").has("data") && page.get("properties").has("nextCursor")).as(list + " answers a page").isTrue();
        }

        // every API operation says what it does
        java.util.List<String> unsummarised = new java.util.ArrayList<>();
        paths.properties().forEach(path -> path.getValue().properties().forEach(op -> {
            if (path.getKey().startsWith("/api/") && !op.getValue().has("summary")) {
                unsummarised.add(op.getKey().toUpperCase(java.util.Locale.ROOT) + " " + path.getKey());
            }
        }));
        assertThat(unsummarised).isEmpty();

        HttpResponse<String> ui = client.get("/swagger-ui/index.html", null);
        assertThat(ui.statusCode()).isEqualTo(200);
    }
}
