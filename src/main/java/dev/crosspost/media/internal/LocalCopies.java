package dev.crosspost.media.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A path FFmpeg can read for a stored asset: the file itself on local storage, else a copy in a work dir. */
final class LocalCopies {

    private LocalCopies() {
    }

    static Path of(Storage storage, AssetStore.Stored asset, Path workDir) {
        if (storage instanceof LocalStorage local) {
            return local.path(asset.storageKey());
        }
        Path copy = workDir.resolve("source." + Sniffed.fromContentType(asset.view().contentType()).extension);
        try (InputStream in = storage.open(asset.storageKey(), 0)) {
            Files.copy(in, copy);
            return copy;
        } catch (IOException e) {
            throw new UncheckedIOException("could not fetch " + asset.view().id() + " from storage", e);
        }
    }
}
