package dev.crosspost.identity.web;

import dev.crosspost.identity.Caller;
import dev.crosspost.identity.internal.ApiKeyService;
import dev.crosspost.system.CrosspostException;
import dev.crosspost.system.Page;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;
import java.util.UUID;

/** {@code /api/v1/api-keys}: keys for machine clients, shown once, scoped, revocable. Only people manage keys. */
@RestController
@RequestMapping("/api/v1/api-keys")
@Tag(name = "api-keys", description = "API keys for machine clients (n8n, Make, scripts)")
class ApiKeyController {

    private final ApiKeyService keys;

    ApiKeyController(ApiKeyService keys) {
        this.keys = keys;
    }

    record NewKey(@NotBlank @Size(max = 100) String name,
                  @NotEmpty @Size(max = 20) List<@Pattern(regexp = ApiKeyService.SCOPES,
                          message = "must be read, write, admin or <resource>:write (e.g. posts:write)") String> scopes) {
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Make an API key. The answer holds the key itself, shown only this once; send it as X-API-Key or a bearer token.")
    ApiKeyService.Created create(@Valid @RequestBody NewKey body, @AuthenticationPrincipal Caller caller) {
        return keys.create(caller, body.name(), body.scopes());
    }

    @GetMapping
    @Operation(summary = "The workspace's API keys, newest first, with cursor paging (never the keys themselves)")
    Page<ApiKeyService.ApiKey> list(@RequestParam(required = false) @Nullable String cursor,
                                    @RequestParam(defaultValue = "20") @Min(1) @Max(100) int limit, @AuthenticationPrincipal Caller caller) {
        return keys.list(caller.workspaceId(), cursor, limit);
    }

    @GetMapping("/{id}")
    @Operation(summary = "One API key")
    ApiKeyService.ApiKey get(@PathVariable UUID id, @AuthenticationPrincipal Caller caller) {
        return keys.find(caller.workspaceId(), id).orElseThrow(() -> CrosspostException.notFound("api key", id));
    }

    @DeleteMapping("/{id}")
    @Operation(summary = "Revoke an API key; it stops working at once on this node and within 10 s on others")
    ApiKeyService.ApiKey revoke(@PathVariable UUID id, @AuthenticationPrincipal Caller caller) {
        return keys.revoke(caller.workspaceId(), id);
    }
}
