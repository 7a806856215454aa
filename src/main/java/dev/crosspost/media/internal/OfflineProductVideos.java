package dev.crosspost.media.internal;

import dev.crosspost.media.ProductVideos;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The offline product video: the image slowly zooming (zoompan) under a caption band with title and price, 1080×1920
 * H.264 High/AAC 48 kHz with +faststart. The text is drawn with Java2D into a PNG overlay, so FFmpeg needs no font
 * files; on a machine where Java2D has no font either, the video is made without the caption.
 */
@Component
class OfflineProductVideos implements ProductVideos {

    private static final Logger log = LoggerFactory.getLogger(OfflineProductVideos.class);
    static final int SECONDS = 5;
    private static final int FPS = 30;

    private final MediaWork work;
    private final MediaSettings settings;

    OfflineProductVideos(MediaWork work, MediaSettings settings) {
        this.work = work;
        this.settings = settings;
    }

    @Override
    public void render(Path image, String title, BigDecimal price, String currency, Path target) {
        Path dir = work.newDir("product");
        try {
            Path overlay = dir.resolve("caption.png");
            boolean caption = caption(title, price.toPlainString() + " " + currency, overlay);
            int frames = SECONDS * FPS;
            String zoom = "scale=1080:1920:force_original_aspect_ratio=increase,crop=1080:1920,setsar=1,"
                    + "zoompan=z='min(zoom+0.0008,1.12)':x='iw/2-(iw/zoom/2)':y='ih/2-(ih/zoom/2)':d=" + frames + ":s=1080x1920:fps=" + FPS;
            String graph = caption ? "[0:v]" + zoom + "[bg];[bg][1:v]overlay=0:0,format=yuv420p[v]" : "[0:v]" + zoom + ",format=yuv420p[v]";
            List<String> args = new ArrayList<>(List.of("-y", "-i", image.toString()));
            if (caption) {
                args.addAll(List.of("-i", overlay.toString()));
            }
            args.addAll(List.of("-f", "lavfi", "-i", "anullsrc=r=48000:cl=stereo", "-filter_complex", graph,
                    "-map", "[v]", "-map", (caption ? "2" : "1") + ":a", "-t", Integer.toString(SECONDS),
                    "-c:v", "libx264", "-profile:v", "high", "-pix_fmt", "yuv420p", "-preset", settings.ffmpeg().preset(),
                    "-crf", Integer.toString(settings.ffmpeg().crf()), "-r", Integer.toString(FPS),
                    "-c:a", "aac", "-ar", "48000", "-b:a", "128k", "-movflags", "+faststart", target.toString()));
            work.runner().run(args, SECONDS, p -> { });
        } finally {
            FfmpegRunner.deleteTree(dir);
        }
    }

    /** Draws the caption band; false when Java2D cannot render text here (no fonts at all). */
    static boolean caption(String title, String price, Path png) {
        try {
            BufferedImage img = new BufferedImage(1080, 1920, BufferedImage.TYPE_INT_ARGB);
            Graphics2D g = img.createGraphics();
            try {
                g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
                g.setColor(new Color(0, 0, 0, 150));
                g.fillRect(0, 1460, 1080, 360);
                g.setColor(Color.WHITE);
                g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 72));
                g.drawString(fit(g, title, 1000), 40, 1580);
                g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 96));
                g.drawString(price, 40, 1740);
            } finally {
                g.dispose();
            }
            ImageIO.write(img, "png", png.toFile());
            return true;
        } catch (IOException | RuntimeException | InternalError | LinkageError e) {
            log.warn("Product video caption could not be drawn ({}); rendering without it", e.toString());
            return false;
        }
    }

    private static String fit(Graphics2D g, String text, int width) {
        String t = text;
        while (t.length() > 1 && g.getFontMetrics().stringWidth(t) > width) {
            t = t.substring(0, t.length() - 2) + "…";
        }
        return t;
    }
}
