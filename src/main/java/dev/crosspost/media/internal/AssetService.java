package dev.crosspost.media.internal;

import dev.crosspost.media.AssetStored;
import dev.crosspost.media.AssetView;
import dev.crosspost.media.Assets;
import dev.crosspost.system.CrosspostException;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.util.unit.DataSize;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * Takes files in: streams them to a temp file while hashing (never whole in memory), sniffs the type from the
 * leading bytes, refuses mismatches, polyglots, unreadable and oversized files, probes with FFmpeg and moves the
 * file into storage under its content hash.
 */
@Service
class AssetService implements Assets {

    private static final Map<String, String> ALIASES = Map.of("image/jpg", "image/jpeg", "image/pjpeg", "image/jpeg",
            "video/mov", "video/quicktime", "video/x-m4v", "video/mp4", "image/x-png", "image/png");

    private final AssetStore store;
    private final Storage storage;
    private final MediaWork work;
    private final MediaSettings settings;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    AssetService(AssetStore store, Storage storage, MediaWork work, MediaSettings settings, ApplicationEventPublisher events, Clock clock) {
        this.store = store;
        this.storage = storage;
        this.work = work;
        this.settings = settings;
        this.events = events;
        this.clock = clock;
    }

    @Override
    public AssetView store(UUID workspaceId, InputStream content, @Nullable String declaredType, @Nullable String filename) {
        Path dir = work.newDir("upload");
        try {
            Path file = dir.resolve("upload");
            Sniffed type = receive(content, declaredType, file);
            return keep(workspaceId, file, type, cleanName(filename), "original", null, null);
        } finally {
            FfmpegRunner.deleteTree(dir);
        }
    }

    @Override
    public AssetView get(UUID workspaceId, UUID assetId) {
        return store.find(workspaceId, assetId).orElseThrow(() -> CrosspostException.notFound("asset", assetId)).view();
    }

    /** Streams {@code content} to {@code file}, checking type and size on the way; returns the sniffed type. */
    Sniffed receive(InputStream content, @Nullable String declaredType, Path file) {
        try (OutputStream out = Files.newOutputStream(file)) {
            byte[] head = content.readNBytes(MagicBytes.HEAD);
            if (head.length == 0) {
                throw MediaProblems.invalid("empty_file", "file", "The file is empty.");
            }
            Sniffed type = MagicBytes.sniff(head, head.length).orElseThrow(() -> MediaProblems.invalid("unsupported_media",
                    "file", "The file is not MP4/MOV, WebM, JPEG, PNG, WebP or GIF (judged by its content, not its name or type)."));
            checkDeclared(type, declaredType);
            String foreign = MagicBytes.foreignHead(head, head.length);
            if (foreign != null) {
                throw polyglot(type, foreign);
            }
            long limit = (type.video() ? settings.limits().maxVideoSize() : settings.limits().maxImageSize()).toBytes();
            out.write(head);
            long total = head.length + copyAtMost(content, out, limit - head.length);
            if (total > limit) {
                throw MediaProblems.tooLarge("file", "The " + type.kind + " is larger than the limit of " + human(limit) + ".");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not receive the upload", e);
        }
        Sniffed type = MagicBytes.sniff(readHead(file), (int) Math.min(MagicBytes.HEAD, size(file))).orElseThrow();
        String foreign = MagicBytes.foreignTail(type, readTail(file), (int) Math.min(MagicBytes.TAIL, size(file)));
        if (foreign != null) {
            throw polyglot(type, foreign);
        }
        return type;
    }

    /**
     * Probes, checks the limits, stores under the content hash and records the asset. The file is moved or copied
     * away; the caller still deletes its temp dir.
     */
    AssetView keep(UUID workspaceId, Path file, Sniffed type, @Nullable String filename, String role, @Nullable UUID sourceId,
                   @Nullable String spec) {
        AssetView.Probe probe = work.probe(file, type);
        if (probe == null) {
            throw MediaProblems.unprocessable("unreadable_media", "file", "The file looks like " + type.contentType
                    + " but FFmpeg cannot decode it.");
        }
        checkLimits(type, probe);
        String sha = sha256(file);
        long size = size(file);
        String key = Storage.key(sha, type.extension);
        try {
            storage.put(key, file, type.contentType);
        } catch (IOException e) {
            throw new CrosspostException(CrosspostException.Kind.UNAVAILABLE, "storage_unavailable", "The media store is not reachable right now.");
        }
        AssetView view = new AssetView(UUID.randomUUID(), type.kind, type.contentType, size, sha, filename, role, sourceId, spec,
                probe, clock.instant());
        store.insert(workspaceId, key, view);
        events.publishEvent(new AssetStored(workspaceId, view.id(), view.kind(), role, view.contentType(), size));
        return view;
    }

    /**
     * {@link #keep} for a file made from {@code sourceId} (rendition, thumbnail, poster, clip), which is stored once
     * per source, role and spec: when an earlier or concurrent run stored it first, that one is used.
     */
    AssetView keepDerived(UUID workspaceId, Path file, Sniffed type, String role, UUID sourceId, String spec) {
        try {
            return keep(workspaceId, file, type, null, role, sourceId, spec);
        } catch (DuplicateKeyException e) {
            return store.derived(sourceId, role, spec).orElseThrow().view();
        }
    }

    private void checkLimits(Sniffed type, AssetView.Probe probe) {
        int max = settings.limits().maxDimension();
        if (probe.width() > max || probe.height() > max) {
            throw MediaProblems.unprocessable("media_too_large", "file", "The " + type.kind + " is " + probe.width() + "×"
                    + probe.height() + "; the limit is " + max + " on each side.");
        }
        if (type.video() && probe.durationSeconds() > settings.limits().maxDuration().toSeconds()) {
            throw MediaProblems.unprocessable("media_too_long", "file", "The video is " + Math.round(probe.durationSeconds())
                    + " s long; the limit is " + settings.limits().maxDuration().toSeconds() + " s.");
        }
    }

    private static void checkDeclared(Sniffed type, @Nullable String declaredType) {
        if (declaredType == null || declaredType.isBlank()) {
            return;
        }
        String declared = declaredType.split(";")[0].trim().toLowerCase(Locale.ROOT);
        declared = ALIASES.getOrDefault(declared, declared);
        if (declared.equals("application/octet-stream") || declared.equals(type.contentType)) {
            return;
        }
        boolean isoFamily = (type == Sniffed.MP4 || type == Sniffed.MOV) && (declared.equals("video/mp4") || declared.equals("video/quicktime"));
        if (!isoFamily) {
            throw MediaProblems.invalid("media_type_mismatch", "file", "The file was declared as " + declared
                    + " but its content is " + type.contentType + ".");
        }
    }

    private static CrosspostException polyglot(Sniffed type, String foreign) {
        return MediaProblems.invalid("polyglot_refused", "file", "The file is " + type.contentType + " but also carries "
                + foreign + "; files that are valid as two formats are refused.");
    }

    /** Copies up to {@code max + 1} bytes, so the caller can tell that the source had more than {@code max}. */
    private static long copyAtMost(InputStream in, OutputStream out, long max) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        long total = 0;
        int n;
        while ((n = in.read(buffer)) > 0) {
            total += n;
            if (total > max) {
                return total;
            }
            out.write(buffer, 0, n);
        }
        return total;
    }

    static String sha256(Path file) {
        try (InputStream in = Files.newInputStream(file);
             DigestOutputStream out = new DigestOutputStream(OutputStream.nullOutputStream(), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(out);
            return HexFormat.of().formatHex(out.getMessageDigest().digest());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] readHead(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return in.readNBytes(MagicBytes.HEAD);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] readTail(Path file) {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
            int length = (int) Math.min(MagicBytes.TAIL, raf.length());
            byte[] tail = new byte[length];
            raf.seek(raf.length() - length);
            raf.readFully(tail);
            return tail;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String human(long bytes) {
        return DataSize.ofBytes(bytes).toMegabytes() + " MB";
    }

    static @Nullable String cleanName(@Nullable String filename) {
        if (filename == null || filename.isBlank()) {
            return null;
        }
        String base = filename.replace('\\', '/');
        base = base.substring(base.lastIndexOf('/') + 1).replaceAll("[\\p{Cntrl}]", "");
        return base.length() > 200 ? base.substring(0, 200) : base;
    }
}
