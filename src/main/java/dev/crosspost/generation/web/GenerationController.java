package dev.crosspost.generation.web;

import dev.crosspost.generation.internal.Generations;
import dev.crosspost.system.CrosspostException;
import dev.crosspost.system.Workspaces;
import jakarta.servlet.http.HttpServletRequest;
import io.swagger.v3.oas.annotations.Operation;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

import java.util.UUID;

/** {@code GET /api/v1/generations/{contentId}}: a row's captions (with who wrote each), video, state and failure. */
@RestController
class GenerationController {

    private final Generations generations;
    private final Workspaces workspaces;

    GenerationController(Generations generations, Workspaces workspaces) {
        this.generations = generations;
        this.workspaces = workspaces;
    }

    @GetMapping("/api/v1/generations/{contentId}")
    @Operation(summary = "A content row's generated captions (and who wrote each), its video, state and failure")
    Generations.View get(@PathVariable UUID contentId, HttpServletRequest request) {
        return generations.find(workspaces.current(request), contentId)
                .orElseThrow(() -> CrosspostException.notFound("generation of content", contentId));
    }
}
