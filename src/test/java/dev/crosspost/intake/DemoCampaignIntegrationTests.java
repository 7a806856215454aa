package dev.crosspost.intake;

import dev.crosspost.intake.internal.ContentIntake;
import dev.crosspost.intake.internal.Views;
import dev.crosspost.support.CrosspostIntegrationTest;
import dev.crosspost.system.Workspaces;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A first start with the sandbox on imports the bundled products as a running campaign with local images. */
@CrosspostIntegrationTest
@TestPropertySource(properties = "crosspost.intake.demo.enabled=true")
class DemoCampaignIntegrationTests {

    @Autowired ContentIntake intake;

    @Test
    void theBundledProductsAreImportedAndStartedWithLocalImages() throws Exception {
        List<Views.Campaign> campaigns = intake.campaigns(Workspaces.SANDBOX, null, 10).data();
        assertThat(campaigns).singleElement().satisfies(c -> {
            assertThat(c.name()).isEqualTo("Demo: products.csv");
            assertThat(c.status()).isEqualTo("running");
        });
        List<Views.ContentRow> rows = intake.rows(Workspaces.SANDBOX, campaigns.getFirst().id(), null, null, 50).data();
        assertThat(rows).extracting(Views.ContentRow::externalId).containsExactly("P-1001", "P-1002", "P-1003", "P-1004", "P-1005");
        assertThat(rows).allSatisfy(r -> {
            assertThat(r.status()).isEqualTo("preparing");
            assertThat(r.imageUrl()).startsWith("file:");
            Path image = Path.of(URI.create(r.imageUrl()));
            assertThat(Files.size(image)).isBetween(1_000L, 20_000L);
            assertThat(r.videoUrl()).isNull();
        });
        assertThat(rows.get(2).title()).isEqualTo("Desk Lamp \"Halo\"");
        assertThat(rows.get(3).description()).isEqualTo("Soft 100% merino wool.\nMachine washable, one size.");
    }
}
