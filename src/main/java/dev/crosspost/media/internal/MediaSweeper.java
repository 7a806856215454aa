package dev.crosspost.media.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Removes what nothing uses any more: temp work dirs and files older than {@code temp-max-age} (left by a crash or a
 * killed run), resumable uploads abandoned for as long, and stored objects no asset row points at.
 */
@Component
class MediaSweeper {

    private static final Logger log = LoggerFactory.getLogger(MediaSweeper.class);

    private final MediaWork work;
    private final Storage storage;
    private final AssetStore assets;
    private final JdbcClient jdbc;
    private final MediaSettings settings;
    private final Clock clock;

    MediaSweeper(MediaWork work, Storage storage, AssetStore assets, JdbcClient jdbc, MediaSettings settings, Clock clock) {
        this.work = work;
        this.storage = storage;
        this.assets = assets;
        this.jdbc = jdbc;
        this.settings = settings;
        this.clock = clock;
    }

    /** One sweep; returns how many things it removed. */
    int sweep() {
        Instant cutoff = clock.instant().minus(settings.tempMaxAge());
        int removed = jdbc.sql("DELETE FROM media_uploads WHERE updated_at < :cutoff").param("cutoff", Timestamp.from(cutoff)).update();
        removed += jdbc.sql("DELETE FROM media_render_jobs WHERE finished_at < :cutoff")
                .param("cutoff", Timestamp.from(clock.instant().minus(settings.jobRetention()))).update();
        removed += sweepTemp(cutoff);
        removed += sweepOrphans(cutoff);
        if (removed > 0) {
            log.info("Media sweep removed {} unused files, uploads and old render jobs", removed);
        }
        return removed;
    }

    private int sweepTemp(Instant cutoff) {
        Path root = work.tempRoot();
        if (!Files.isDirectory(root)) {
            return 0;
        }
        List<Path> old = new ArrayList<>();
        try (var entries = Files.list(root)) {
            entries.filter(p -> modified(p).isBefore(cutoff)).forEach(old::add);
        } catch (IOException e) {
            log.warn("Could not list {}", root);
            return 0;
        }
        old.forEach(FfmpegRunner::deleteTree);
        return old.size();
    }

    private int sweepOrphans(Instant cutoff) {
        // only objects older than the cutoff: an object is written just before its row, and a presigned upload
        // lands in incoming/ before it is completed
        List<String> orphans = new ArrayList<>();
        try {
            storage.forEachKey((key, written) -> {
                if (written.isBefore(cutoff) && !assets.referenced(key)) {
                    orphans.add(key);
                }
            });
            for (String key : orphans) {
                // equal content re-uploaded meanwhile reuses the object: check again right before deleting
                if (!assets.referenced(key)) {
                    storage.delete(key);
                }
            }
        } catch (IOException | RuntimeException e) {
            log.warn("Orphan sweep of the media store failed: {}", e.getMessage());
        }
        return orphans.size();
    }

    private static Instant modified(Path path) {
        try {
            return Files.getLastModifiedTime(path).toInstant();
        } catch (IOException e) {
            return Instant.MAX;
        }
    }
}
