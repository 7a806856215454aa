package dev.crosspost.media;

import java.math.BigDecimal;
import java.nio.file.Path;

/** Renders a product video offline, when no avatar-video service is configured. */
public interface ProductVideos {

    /**
     * A short vertical (1080×1920, H.264/AAC, +faststart) video: the product image with a slow zoom, the title and
     * the price as text. Written to {@code target}; the caller owns the file.
     */
    void render(Path image, String title, BigDecimal price, String currency, Path target);
}
