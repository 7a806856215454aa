package dev.crosspost.media.internal;

import dev.crosspost.media.AssetView;
import dev.crosspost.system.CrosspostException;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.Map;
import java.util.UUID;

/**
 * Resumable chunked uploads: a session knows the total size; chunks are appended in order (a chunk that does not
 * start at the received offset is refused with that offset, so a client resumes exactly there); the last chunk
 * turns the file into an asset through the same checks as a one-shot upload.
 */
@Service
class Uploads {

    private final JdbcClient jdbc;
    private final AssetService assets;
    private final MediaWork work;
    private final MediaSettings settings;
    private final Storage storage;
    private final Clock clock;

    Uploads(JdbcClient jdbc, AssetService assets, MediaWork work, MediaSettings settings, Storage storage, Clock clock) {
        this.jdbc = jdbc;
        this.assets = assets;
        this.work = work;
        this.storage = storage;
        this.settings = settings;
        this.clock = clock;
    }

    /** A session's state; {@code asset} is set once the last chunk arrived. */
    record UploadView(UUID id, long sizeBytes, long offset, @Nullable AssetView asset) {
    }

    UploadView start(UUID workspaceId, long sizeBytes, @Nullable String filename, @Nullable String contentType) {
        long max = Math.max(settings.limits().maxVideoSize().toBytes(), settings.limits().maxImageSize().toBytes());
        if (sizeBytes > max) {
            throw MediaProblems.tooLarge("sizeBytes", "The upload is larger than the limit of " + max / (1024 * 1024) + " MB.");
        }
        UUID id = UUID.randomUUID();
        var now = Timestamp.from(clock.instant());
        jdbc.sql("""
                        INSERT INTO media_uploads (id, workspace_id, filename, content_type, size_bytes, received, created_at, updated_at)
                        VALUES (:id, :ws, :filename, :type, :size, 0, :now, :now)""")
                .param("id", id).param("ws", workspaceId).param("filename", AssetService.cleanName(filename))
                .param("type", contentType).param("size", sizeBytes).param("now", now).update();
        return new UploadView(id, sizeBytes, 0, null);
    }

    /** A direct upload to the object store: where to PUT the bytes, and the upload to complete afterwards. */
    record PresignedUpload(UUID id, java.net.URI uploadUrl, String contentType, java.time.Instant expiresAt) {
    }

    /**
     * Starts an upload the client PUTs straight to the object store (S3 only); completing it streams the object
     * through the same checks as any upload.
     */
    PresignedUpload presign(UUID workspaceId, long sizeBytes, @Nullable String filename, @Nullable String contentType) {
        String type = contentType == null || contentType.isBlank() ? "application/octet-stream" : contentType;
        UploadView upload = start(workspaceId, sizeBytes, filename, type);
        java.net.URI url = storage.presignPut(incomingKey(upload.id()), type, settings.storage().presignTtl())
                .orElseThrow(() -> new CrosspostException(CrosspostException.Kind.CONFLICT, "presign_unsupported",
                        "The local store cannot take direct uploads; use POST /api/v1/assets or a resumable upload."));
        return new PresignedUpload(upload.id(), url, type, clock.instant().plus(settings.storage().presignTtl()));
    }

    /** Turns a presigned upload's object into an asset; the incoming object is removed either way. */
    AssetView completePresigned(UUID workspaceId, UUID id) {
        Session s = session(workspaceId, id);
        String key = incomingKey(id);
        Path dir = work.newDir("upload");
        try (InputStream in = storage.open(key, 0)) {
            Path file = dir.resolve("upload");
            Sniffed type = assets.receive(in, s.contentType(), file);
            if (AssetService.size(file) != s.size()) {
                throw MediaProblems.invalid("upload_size_mismatch", "sizeBytes", "The stored object has " + AssetService.size(file)
                        + " bytes; the upload was started with " + s.size() + ".");
            }
            return assets.keep(workspaceId, file, type, s.filename(), "original", null, null);
        } catch (java.io.FileNotFoundException e) {
            throw new CrosspostException(CrosspostException.Kind.CONFLICT, "upload_incomplete", "Nothing was uploaded to the presigned URL yet.");
        } catch (IOException e) {
            throw new CrosspostException(CrosspostException.Kind.UNAVAILABLE, "storage_unavailable", "The media store is not reachable right now.");
        } finally {
            FfmpegRunner.deleteTree(dir);
            jdbc.sql("DELETE FROM media_uploads WHERE id = :id").param("id", id).update();
            try {
                storage.delete(key);
            } catch (IOException | RuntimeException ignored) {
                // an incoming object nothing points at is swept later
            }
        }
    }

    private static String incomingKey(UUID id) {
        return "incoming/" + id + ".bin";
    }

    UploadView status(UUID workspaceId, UUID id) {
        Session s = session(workspaceId, id);
        return new UploadView(id, s.size(), s.received(), null);
    }

    /** Appends bytes {@code first..last} (inclusive) of {@code total}. */
    UploadView append(UUID workspaceId, UUID id, long first, long last, long total, InputStream body) {
        Session s = session(workspaceId, id);
        if (total != s.size()) {
            throw MediaProblems.invalid("upload_size_mismatch", "Content-Range", "The upload was started with " + s.size()
                    + " bytes, not " + total + ".");
        }
        if (first != s.received()) {
            throw new CrosspostException(CrosspostException.Kind.CONFLICT, "upload_offset_mismatch",
                    "The next chunk must start at byte " + s.received() + ".", Map.of("offset", s.received()));
        }
        if (last < first || last >= total) {
            throw MediaProblems.invalid("invalid_range", "Content-Range", "The range must lie within the upload's size.");
        }
        Path part = partFile(id);
        long expected = last - first + 1;
        long written;
        try (OutputStream out = Files.newOutputStream(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            written = body.transferTo(out);
        } catch (IOException e) {
            truncate(part, s.received());
            throw new UncheckedIOException("could not store the chunk", e);
        }
        if (written != expected) {
            truncate(part, s.received());
            throw MediaProblems.invalid("chunk_size_mismatch", "Content-Range", "The chunk had " + written + " bytes; its range says " + expected + ".");
        }
        long received = s.received() + written;
        jdbc.sql("UPDATE media_uploads SET received = :r, updated_at = :now WHERE id = :id")
                .param("r", received).param("now", Timestamp.from(clock.instant())).param("id", id).update();
        if (received < total) {
            return new UploadView(id, total, received, null);
        }
        try (InputStream in = Files.newInputStream(part)) {
            Path dir = work.newDir("upload");
            try {
                Path file = dir.resolve("upload");
                Sniffed type = assets.receive(in, s.contentType(), file);
                AssetView asset = assets.keep(workspaceId, file, type, s.filename(), "original", null, null);
                return new UploadView(id, total, received, asset);
            } finally {
                FfmpegRunner.deleteTree(dir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            jdbc.sql("DELETE FROM media_uploads WHERE id = :id").param("id", id).update();
            try {
                Files.deleteIfExists(part);
            } catch (IOException ignored) {
                // the sweeper removes it
            }
        }
    }

    private Path partFile(UUID id) {
        // directly in the temp root, so appending refreshes the age the sweeper looks at
        try {
            Files.createDirectories(work.tempRoot());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return work.tempRoot().resolve("upload-" + id + ".part");
    }

    private static void truncate(Path part, long size) {
        try (var channel = Files.newByteChannel(part, StandardOpenOption.WRITE)) {
            channel.truncate(size);
        } catch (IOException ignored) {
            // the next append finds a size mismatch and the sweeper removes the file
        }
    }

    private record Session(long size, long received, @Nullable String filename, @Nullable String contentType) {
    }

    private Session session(UUID workspaceId, UUID id) {
        return jdbc.sql("SELECT size_bytes, received, filename, content_type FROM media_uploads WHERE id = :id AND workspace_id = :ws")
                .param("id", id).param("ws", workspaceId)
                .query((rs, n) -> new Session(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4)))
                .optional().orElseThrow(() -> CrosspostException.notFound("upload", id));
    }
}
