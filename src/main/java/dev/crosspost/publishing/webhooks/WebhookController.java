package dev.crosspost.publishing.webhooks;

import dev.crosspost.system.Page;
import dev.crosspost.system.Workspaces;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import java.net.URI;
import java.util.List;
import java.util.UUID;

/**
 * {@code /api/v1/webhooks}: subscribe a URL to publication events (the signing secret is shown once), list and
 * delete subscriptions, page through a webhook's delivery log and send a delivery again.
 */
@RestController
@RequestMapping("/api/v1/webhooks")
class WebhookController {

    private final Webhooks webhooks;
    private final Workspaces workspaces;

    WebhookController(Webhooks webhooks, Workspaces workspaces) {
        this.webhooks = webhooks;
        this.workspaces = workspaces;
    }

    /**
     * A subscription to create.
     *
     * @param events event types like {@code publication.published}, or {@code *}; omitted means all
     */
    record CreateWebhook(@NotBlank @Size(max = TargetGuard.MAX_URL_LENGTH) String url,
                         @Nullable @Size(max = 50) List<@NotBlank String> events) {
    }

    @PostMapping
    @Operation(summary = "Subscribe a URL to publication events; the answer holds the signing secret, shown only this once")
    ResponseEntity<Webhooks.CreatedWebhook> create(@Valid @RequestBody CreateWebhook body, HttpServletRequest request) {
        Webhooks.CreatedWebhook created = webhooks.create(workspaces.current(request), body.url(), body.events());
        return ResponseEntity.created(URI.create("/api/v1/webhooks/" + created.id())).body(created);
    }

    @GetMapping
    @Operation(summary = "The workspace's webhooks (without secrets), oldest first, with cursor paging")
    Page<Webhooks.WebhookView> list(@RequestParam(required = false) @Nullable String cursor,
                                    @RequestParam(defaultValue = "20") @Min(1) @Max(100) int limit, HttpServletRequest request) {
        return webhooks.list(workspaces.current(request), cursor, limit);
    }

    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Delete a webhook; its undelivered deliveries are given up")
    void delete(@PathVariable UUID id, HttpServletRequest request) {
        webhooks.delete(workspaces.current(request), id);
    }

    @GetMapping("/{id}/deliveries")
    @Operation(summary = "A webhook's delivery log, newest first, with every attempt")
    Page<Webhooks.DeliveryView> deliveries(@PathVariable UUID id, @RequestParam(required = false) @Nullable String cursor,
                                           @RequestParam(defaultValue = "20") @Min(1) @Max(100) int limit, HttpServletRequest request) {
        return webhooks.deliveries(workspaces.current(request), id, cursor, limit);
    }

    @PostMapping("/{id}/deliveries/{deliveryId}/retry")
    @ResponseStatus(HttpStatus.ACCEPTED)
    @Operation(summary = "Send a delivery again now (one more attempt)")
    Webhooks.DeliveryView retry(@PathVariable UUID id, @PathVariable long deliveryId, HttpServletRequest request) {
        return webhooks.retry(workspaces.current(request), id, deliveryId);
    }
}
