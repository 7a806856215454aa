package dev.crosspost.generation.web;

import dev.crosspost.generation.GenerationSettings;
import dev.crosspost.generation.internal.Credits;
import dev.crosspost.system.CrosspostException;
import dev.crosspost.system.Workspaces;
import dev.crosspost.system.web.Problems;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.jspecify.annotations.Nullable;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;
import java.util.Map;

/** {@code GET /api/v1/credits}: the workspace's balance and prices; {@code GET /api/v1/credits/ledger}: its movements. */
@RestController
@Validated
@RequestMapping("/api/v1/credits")
class CreditsController {

    private final Credits credits;
    private final Workspaces workspaces;
    private final GenerationSettings.Costs costs;

    CreditsController(Credits credits, Workspaces workspaces, GenerationSettings settings) {
        this.credits = credits;
        this.workspaces = workspaces;
        this.costs = settings.generation().costs();
    }

    record Balance(long balance, GenerationSettings.Costs costs) {
    }

    record LedgerPage(List<Credits.Movement> data, @Nullable String nextCursor) {
    }

    @GetMapping
    Balance balance(HttpServletRequest request) {
        return new Balance(credits.balance(workspaces.current(request)), costs);
    }

    @GetMapping("/ledger")
    LedgerPage ledger(HttpServletRequest request, @RequestParam(required = false) @Nullable String cursor,
                      @RequestParam(defaultValue = "50") @Min(1) @Max(500) int limit) {
        Long before = null;
        if (cursor != null) {
            try {
                before = Long.parseLong(cursor);
            } catch (NumberFormatException e) {
                before = -1L;
            }
            if (before < 1) {
                throw new CrosspostException(CrosspostException.Kind.INVALID, "validation_failed", "cursor: must be a nextCursor this API sent",
                        Map.of("errors", List.of(new Problems.FieldError("cursor", "must be a nextCursor this API sent"))));
            }
        }
        List<Credits.Movement> rows = credits.ledger(workspaces.current(request), before, limit + 1);
        boolean more = rows.size() > limit;
        List<Credits.Movement> page = more ? rows.subList(0, limit) : rows;
        return new LedgerPage(page, more ? Long.toString(page.getLast().id()) : null);
    }
}
