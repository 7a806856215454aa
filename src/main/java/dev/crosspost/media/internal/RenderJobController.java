package dev.crosspost.media.internal;

import dev.crosspost.system.CrosspostException;
import dev.crosspost.system.Workspaces;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

import java.util.UUID;

/** {@code GET /api/v1/render-jobs/{id}}: a render job's status, percent, and its results or why it failed. */
@RestController
class RenderJobController {

    static final String PATH = "/api/v1/render-jobs";
    /** How long a client should wait before asking again about an unfinished job. */
    private static final String POLL_SECONDS = "2";

    private final RenderJobs jobs;
    private final Workspaces workspaces;

    RenderJobController(RenderJobs jobs, Workspaces workspaces) {
        this.jobs = jobs;
        this.workspaces = workspaces;
    }

    @GetMapping(PATH + "/{id}")
    @Operation(summary = "A render job: queued, running (with percent), done (with its results) or failed (with the reason)")
    ResponseEntity<RenderJobs.JobView> get(@PathVariable UUID id, HttpServletRequest request) {
        RenderJobs.JobView job = jobs.find(workspaces.current(request), id).orElseThrow(() -> CrosspostException.notFound("render job", id));
        var response = ResponseEntity.ok();
        if (!job.finished()) {
            response.header(HttpHeaders.RETRY_AFTER, POLL_SECONDS);
        }
        return response.body(job);
    }
}
