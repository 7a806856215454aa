package dev.crosspost.media.internal;

import dev.crosspost.media.AssetView;
import dev.crosspost.system.Cursors;
import dev.crosspost.system.Page;
import dev.crosspost.system.Workspaces;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;
import org.springframework.core.io.InputStreamResource;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;

/**
 * {@code /api/v1/assets}: uploads (multipart, a raw body, or resumable chunks), reading assets and their bytes, and
 * queueing render jobs: per-platform renditions, suggested clips from scene changes, and cutting clips.
 */
@RestController
@RequestMapping("/api/v1/assets")
class AssetController {

    private static final java.util.regex.Pattern CONTENT_RANGE = java.util.regex.Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+)");

    private final AssetService assets;
    private final AssetStore store;
    private final Uploads uploads;
    private final RenderJobs jobs;
    private final Storage storage;
    private final MediaSettings settings;
    private final Workspaces workspaces;
    private final Cursors cursors;

    AssetController(AssetService assets, AssetStore store, Uploads uploads, RenderJobs jobs, Storage storage,
                    MediaSettings settings, Workspaces workspaces, Cursors cursors) {
        this.cursors = cursors;
        this.assets = assets;
        this.store = store;
        this.uploads = uploads;
        this.jobs = jobs;
        this.storage = storage;
        this.settings = settings;
        this.workspaces = workspaces;
    }

    /** The assets one request made (clips). */
    record AssetList(List<AssetView> data) {
    }

    /** A resumable upload to start. */
    record StartUpload(@NotNull @Positive Long sizeBytes, @Nullable @Size(max = 255) String filename,
                       @Nullable @Size(max = 100) String contentType) {
    }

    /** Platforms to render for. */
    record RenditionRequest(@NotEmpty @Size(max = 20) List<@Pattern(regexp = "[a-z0-9_-]{1,40}") String> platforms) {
    }

    /** Clips to cut, in seconds from the start. */
    record ClipRequest(@NotEmpty @Size(max = 20) List<@Valid Range> clips) {
    }

    record Range(@NotNull @PositiveOrZero Double start, @NotNull @Positive Double end) {
    }

    /** Suggested clips between scene changes. */
    record SceneList(double durationSeconds, List<Double> cuts, List<Clips.Suggestion> suggestions) {
    }

    @PostMapping(consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    @Operation(summary = "Upload a file as multipart/form-data (part 'file'); checked by its bytes, probed, stored")
    ResponseEntity<AssetView> uploadMultipart(@RequestPart("file") MultipartFile file, HttpServletRequest request) throws IOException {
        try (InputStream in = file.getInputStream()) {
            AssetView asset = assets.store(workspaces.current(request), in, file.getContentType(), file.getOriginalFilename());
            return ResponseEntity.created(URI.create("/api/v1/assets/" + asset.id())).body(asset);
        }
    }

    @PostMapping(consumes = "!" + MediaType.MULTIPART_FORM_DATA_VALUE)
    @Operation(summary = "Upload a file as the raw request body, streamed; Content-Type is checked against the bytes")
    ResponseEntity<AssetView> uploadRaw(@RequestParam(required = false) @Nullable @Size(max = 255) String filename,
                                        HttpServletRequest request) throws IOException {
        try (InputStream in = request.getInputStream()) {
            AssetView asset = assets.store(workspaces.current(request), in, request.getContentType(), filename);
            return ResponseEntity.created(URI.create("/api/v1/assets/" + asset.id())).body(asset);
        }
    }

    @PostMapping("/uploads")
    @Operation(summary = "Start a resumable upload of sizeBytes; send chunks with PUT and Content-Range")
    ResponseEntity<Uploads.UploadView> startUpload(@Valid @RequestBody StartUpload body, HttpServletRequest request) {
        var upload = uploads.start(workspaces.current(request), body.sizeBytes(), body.filename(), body.contentType());
        return ResponseEntity.created(URI.create("/api/v1/assets/uploads/" + upload.id())).body(upload);
    }

    @PostMapping("/presigned")
    @Operation(summary = "S3 storage: a presigned URL to PUT the file to directly; then POST …/presigned/{id}/complete")
    ResponseEntity<Uploads.PresignedUpload> presign(@Valid @RequestBody StartUpload body, HttpServletRequest request) {
        var upload = uploads.presign(workspaces.current(request), body.sizeBytes(), body.filename(), body.contentType());
        return ResponseEntity.status(HttpStatus.CREATED).body(upload);
    }

    @PostMapping("/presigned/{id}/complete")
    @Operation(summary = "Check and store what was PUT to the presigned URL (the same checks as any upload)")
    ResponseEntity<AssetView> completePresigned(@PathVariable UUID id, HttpServletRequest request) {
        AssetView asset = uploads.completePresigned(workspaces.current(request), id);
        return ResponseEntity.created(URI.create("/api/v1/assets/" + asset.id())).body(asset);
    }

    @GetMapping("/uploads/{id}")
    @Operation(summary = "How many bytes of a resumable upload arrived: resume at 'offset'")
    Uploads.UploadView uploadStatus(@PathVariable UUID id, HttpServletRequest request) {
        return uploads.status(workspaces.current(request), id);
    }

    @PutMapping("/uploads/{id}")
    @Operation(summary = "Append one chunk (Content-Range: bytes first-last/total); the last one answers 201 with the asset")
    ResponseEntity<Uploads.UploadView> uploadChunk(@PathVariable UUID id, @RequestHeader(HttpHeaders.CONTENT_RANGE) String contentRange,
                                                   HttpServletRequest request) throws IOException {
        Matcher m = CONTENT_RANGE.matcher(contentRange.trim());
        if (!m.matches()) {
            throw MediaProblems.invalid("invalid_range", "Content-Range", "Content-Range must be 'bytes first-last/total'.");
        }
        try (InputStream in = request.getInputStream()) {
            var upload = uploads.append(workspaces.current(request), id, Long.parseLong(m.group(1)), Long.parseLong(m.group(2)),
                    Long.parseLong(m.group(3)), in);
            if (upload.asset() != null) {
                return ResponseEntity.created(URI.create("/api/v1/assets/" + upload.asset().id())).body(upload);
            }
            return ResponseEntity.ok(upload);
        }
    }

    @GetMapping
    @Operation(summary = "The workspace's assets, newest first, with cursor paging; ?source= lists what was made from one asset")
    Page<AssetView> list(@RequestParam(required = false) @Nullable UUID source, @RequestParam(required = false) @Nullable String cursor,
                         @RequestParam(defaultValue = "20") @Min(1) @Max(100) int limit, HttpServletRequest request) {
        Cursors.At after = cursor == null ? null : cursors.decodeAt("assets", cursor);
        return Page.of(store.list(workspaces.current(request), source, after, limit + 1), limit,
                a -> cursors.encode("assets", a.view().createdAt(), a.view().id()), rows -> rows.stream().map(AssetStore.Stored::view).toList());
    }

    @GetMapping("/{id}")
    @Operation(summary = "One asset with what the probe found")
    AssetView get(@PathVariable UUID id, HttpServletRequest request) {
        return assets.get(workspaces.current(request), id);
    }

    @GetMapping("/{id}/content")
    @Operation(summary = "The asset's bytes; with S3 storage a redirect to a presigned URL")
    ResponseEntity<?> content(@PathVariable UUID id, HttpServletRequest request) throws IOException {
        var stored = store.find(workspaces.current(request), id).orElseThrow(() -> dev.crosspost.system.CrosspostException.notFound("asset", id));
        var presigned = storage.presignGet(stored.storageKey(), settings.storage().presignTtl());
        if (presigned.isPresent()) {
            return ResponseEntity.status(HttpStatus.FOUND).location(presigned.get()).build();
        }
        return ResponseEntity.ok().contentType(MediaType.parseMediaType(stored.view().contentType()))
                .contentLength(stored.view().sizeBytes())
                .body(new InputStreamResource(storage.open(stored.storageKey(), 0)));
    }

    @PostMapping("/{id}/renditions")
    @Operation(summary = "Queue the renditions each platform needs (grouped, one FFmpeg run, remux when possible, checked against "
            + "its limits); 202 with the render job in Location")
    @ApiResponse(responseCode = "202", description = "Queued; GET the Location until the job is done or failed")
    ResponseEntity<RenderJobs.JobView> render(@PathVariable UUID id, @Valid @RequestBody RenditionRequest body, HttpServletRequest request) {
        return accepted(jobs.submit(workspaces.current(request), id, new RenderJobs.RenditionsWork(List.copyOf(new LinkedHashSet<>(body.platforms())))));
    }

    @PostMapping("/{id}/scenes")
    @Operation(summary = "Queue scene detection (FFmpeg scene score); the job's result lists the cuts and the clips they suggest")
    @ApiResponse(responseCode = "202", description = "Queued; GET the Location until the job is done or failed")
    ResponseEntity<RenderJobs.JobView> scenes(@PathVariable UUID id,
                                              @RequestParam(defaultValue = "0.3") @DecimalMin("0.05") @DecimalMax("0.95") double threshold,
                                              @RequestParam(defaultValue = "1.0") @DecimalMin("0.1") @DecimalMax("600") double minSeconds,
                                              HttpServletRequest request) {
        return accepted(jobs.submit(workspaces.current(request), id, new RenderJobs.ScenesWork(threshold, minSeconds)));
    }

    @PostMapping("/{id}/clips")
    @Operation(summary = "Queue cutting clips by timestamps; each becomes an asset, listed in the job's result")
    @ApiResponse(responseCode = "202", description = "Queued; GET the Location until the job is done or failed")
    ResponseEntity<RenderJobs.JobView> cut(@PathVariable UUID id, @Valid @RequestBody ClipRequest body, HttpServletRequest request) {
        List<Clips.Cut> cuts = body.clips().stream().map(r -> new Clips.Cut(r.start(), r.end())).toList();
        return accepted(jobs.submit(workspaces.current(request), id, new RenderJobs.ClipsWork(cuts)));
    }

    private static ResponseEntity<RenderJobs.JobView> accepted(RenderJobs.JobView job) {
        return ResponseEntity.accepted().location(URI.create(RenderJobController.PATH + "/" + job.id())).body(job);
    }
}
