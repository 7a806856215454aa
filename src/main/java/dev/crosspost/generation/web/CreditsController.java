package dev.crosspost.generation.web;

import dev.crosspost.generation.GenerationSettings;
import dev.crosspost.generation.internal.Credits;
import dev.crosspost.system.Cursors;
import dev.crosspost.system.Page;
import dev.crosspost.system.Workspaces;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /api/v1/credits}: the workspace's balance and prices; {@code GET /api/v1/credits/ledger}: its movements. */
@RestController
@RequestMapping("/api/v1/credits")
class CreditsController {

    private final Credits credits;
    private final Workspaces workspaces;
    private final GenerationSettings.Costs costs;
    private final Cursors cursors;

    CreditsController(Credits credits, Workspaces workspaces, GenerationSettings settings, Cursors cursors) {
        this.cursors = cursors;
        this.credits = credits;
        this.workspaces = workspaces;
        this.costs = settings.generation().costs();
    }

    record Balance(long balance, GenerationSettings.Costs costs) {
    }

    @GetMapping
    @Operation(summary = "The workspace's credit balance, and what captions and videos cost")
    Balance balance(HttpServletRequest request) {
        return new Balance(credits.balance(workspaces.current(request)), costs);
    }

    @GetMapping("/ledger")
    @Operation(summary = "The workspace's credit movements, newest first, with cursor paging")
    Page<Credits.Movement> ledger(HttpServletRequest request, @RequestParam(required = false) @Nullable String cursor,
                                  @RequestParam(defaultValue = "20") @Min(1) @Max(100) int limit) {
        Long before = cursor == null ? null : cursors.decodePosition("credit-ledger", cursor);
        return Page.of(credits.ledger(workspaces.current(request), before, limit + 1), limit, m -> cursors.encode("credit-ledger", m.id()));
    }
}
