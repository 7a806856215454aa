package dev.crosspost.generation;

import dev.crosspost.intake.ContentPrepared;
import dev.crosspost.generation.internal.Credits;
import dev.crosspost.intake.ContentAccepted;
import dev.crosspost.media.ProductVideos;
import dev.crosspost.system.SystemSettings;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.TestPropertySource;
import org.springframework.transaction.support.TransactionTemplate;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Without a HeyGen key the offline renderer makes the video from the row's image, which is read through the fetch
 * seam from the data dir. The renderer here stands in for the media module's: it writes what it was given.
 */
@GenerationTestSetup
@Import(OfflineVideoIntegrationTests.Renderer.class)
@TestPropertySource(properties = {"crosspost.generation.heygen.api-key=", "crosspost.generation.costs.offline-video=2"})
class OfflineVideoIntegrationTests {

    @Autowired ApplicationEventPublisher events;
    @Autowired TransactionTemplate tx;
    @Autowired Credits credits;
    @Autowired SystemSettings system;
    @Autowired GenerationTestSetup.Prepared prepared;

    @TestConfiguration(proxyBeanMethods = false)
    static class Renderer {
        @Bean
        ProductVideos productVideos() {
            return (image, title, price, currency, target) -> {
                if (title.startsWith("Broken")) {
                    throw new IllegalStateException("ffmpeg exited with 1");
                }
                try {
                    Files.writeString(target, Files.readString(image) + "|" + title + "|" + price + " " + currency);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            };
        }
    }

    private ContentPrepared accept(UUID workspace, String title, String imageUrl) {
        var content = new ContentAccepted(workspace, UUID.randomUUID(), UUID.randomUUID(), "P-9", title, "A product.",
                new BigDecimal("48.50"), "EUR", null, imageUrl, null, List.of("tiktok"), List.of(), null, null);
        tx.executeWithoutResult(s -> events.publishEvent(content));
        await().atMost(Duration.ofSeconds(60)).until(() -> prepared.byContent.containsKey(content.contentId()));
        return prepared.byContent.get(content.contentId());
    }

    private String image() throws IOException {
        Path dir = Files.createDirectories(system.dataDir().resolve("demo-media"));
        return Files.writeString(dir.resolve(UUID.randomUUID() + ".png"), "image-bytes").toUri().toString();
    }

    @Test
    void theRowsImageBecomesAnOfflineVideo() throws IOException {
        UUID workspace = UUID.randomUUID();
        credits.grantOnce(workspace, 10, "test");
        ContentPrepared result = accept(workspace, "Pour-Over Set", image());

        assertThat(result.failure()).isNull();
        assertThat(result.video().maker()).isEqualTo("offline");
        Path video = Path.of(URI.create(result.video().location()));
        assertThat(Files.readString(video)).isEqualTo("image-bytes|Pour-Over Set|48.50 EUR");
        assertThat(result.video().sizeBytes()).isEqualTo(Files.size(video));
        assertThat(credits.balance(workspace)).isEqualTo(10 - 1 - 2);
    }

    @Test
    void aFailingRenderIsRetriedThenRefundedAndReported() throws IOException {
        UUID workspace = UUID.randomUUID();
        credits.grantOnce(workspace, 10, "test");
        ContentPrepared result = accept(workspace, "Broken Lamp", image());

        assertThat(result.failure()).isEqualTo("the offline video could not be made: ffmpeg exited with 1");
        assertThat(result.video()).isNull();
        assertThat(result.captions().get("tiktok").writer()).isEqualTo("sandbox-model@127.0.0.1");
        assertThat(credits.balance(workspace)).isEqualTo(10 - 1);
    }

    @Test
    void aRowWithoutAnImageGoesOnWithoutAVideo() {
        UUID workspace = UUID.randomUUID();
        credits.grantOnce(workspace, 10, "test");
        ContentPrepared result = accept(workspace, "No Image " + UUID.randomUUID(), null);

        assertThat(result.failure()).isNull();
        assertThat(result.video()).isNull();
    }

    @Test
    void anImageOutsideTheDataDirIsRefused() throws IOException {
        UUID workspace = UUID.randomUUID();
        credits.grantOnce(workspace, 10, "test");
        Path outside = Files.createTempFile("outside", ".png");
        ContentPrepared result = accept(workspace, "Outside " + UUID.randomUUID(), outside.toUri().toString());

        assertThat(result.failure()).startsWith("the offline video could not be made:").contains("inside the data dir");
        assertThat(credits.balance(workspace)).isEqualTo(10 - 1);
    }
}
