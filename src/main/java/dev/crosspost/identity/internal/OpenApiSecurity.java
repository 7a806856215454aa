package dev.crosspost.identity.internal;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.util.List;
import java.util.Map;

/**
 * Declares how to sign in (bearer access JWT, API key) and the problem+json errors every API operation can answer,
 * so Swagger UI shows them on each endpoint; public endpoints are marked as needing no credentials.
 */
@Configuration(proxyBeanMethods = false)
class OpenApiSecurity {

    private static final List<String> PUBLIC_PREFIXES = List.of("/sandbox/", "/api/v1/hooks/", "/api/v1/accounts/callback/",
            "/api/v1/auth/register", "/api/v1/auth/login", "/api/v1/auth/refresh", "/api/v1/auth/logout");

    private static final Map<String, String> ERRORS = Map.of(
            "400", "validation_failed (with errors[] per field) or malformed_body",
            "401", "unauthorized or invalid_token: no, a bad, an expired or a revoked credential",
            "403", "forbidden (admin only, or the API key lacks the scope) or csrf_failed (cookie sessions)",
            "404", "not_found: no such id in your workspace (another workspace's ids read the same)",
            "413", "payload_too_large",
            "429", "rate_limited, with Retry-After and X-RateLimit-* headers");

    @Bean
    OpenApiCustomizer identityOpenApi() {
        return openApi -> {
            Components components = openApi.getComponents() != null ? openApi.getComponents() : new Components();
            openApi.setComponents(components);
            components.addSecuritySchemes("bearer", new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer")
                    .bearerFormat("JWT").description("Access token from POST /api/v1/auth/login (15 minutes)"));
            components.addSecuritySchemes("apiKey", new SecurityScheme().type(SecurityScheme.Type.APIKEY).in(SecurityScheme.In.HEADER)
                    .name("X-API-Key").description("API key from POST /api/v1/api-keys (also accepted as a bearer token)"));
            components.addSchemas("Problem", problemSchema());
            openApi.setSecurity(List.of(new SecurityRequirement().addList("bearer"), new SecurityRequirement().addList("apiKey")));
            if (openApi.getPaths() == null) {
                return;
            }
            openApi.getPaths().forEach((path, item) -> item.readOperations().forEach(op -> describe(path, op)));
        };
    }

    private static void describe(String path, Operation op) {
        boolean open = PUBLIC_PREFIXES.stream().anyMatch(path::startsWith);
        if (open) {
            op.setSecurity(List.of());
        }
        if (!path.startsWith("/api/")) {
            return;
        }
        ApiResponses responses = op.getResponses() != null ? op.getResponses() : new ApiResponses();
        op.setResponses(responses);
        ERRORS.forEach((status, description) -> {
            if (open && "401".equals(status) && !path.startsWith("/api/v1/auth/")) {
                return;
            }
            ApiResponse existing = responses.get(status);
            ApiResponse response = existing != null ? existing : new ApiResponse().description(description);
            if (response.getContent() == null || response.getContent().isEmpty()) {
                response.setContent(new Content().addMediaType("application/problem+json",
                        new MediaType().schema(new Schema<>().$ref("#/components/schemas/Problem"))));
            }
            responses.addApiResponse(status, response);
        });
    }

    @SuppressWarnings("rawtypes")
    private static Schema problemSchema() {
        Schema<?> error = new ObjectSchema().addProperty("field", new Schema<String>().type("string"))
                .addProperty("message", new Schema<String>().type("string"));
        return new ObjectSchema().description("RFC 9457 problem details")
                .addProperty("type", new Schema<String>().type("string").format("uri"))
                .addProperty("title", new Schema<String>().type("string"))
                .addProperty("status", new Schema<Integer>().type("integer"))
                .addProperty("detail", new Schema<String>().type("string"))
                .addProperty("code", new Schema<String>().type("string").description("stable machine code"))
                .addProperty("requestId", new Schema<String>().type("string"))
                .addProperty("errors", new io.swagger.v3.oas.models.media.ArraySchema().items(error));
    }
}
