package dev.crosspost.generation.internal;

import dev.crosspost.intake.ContentAccepted;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** A generation job keeps its row as JSON; every field must come back exactly, emoji, RTL and times included. */
class ContentJsonUnitTests {

    @Test
    void anAcceptedRowSurvivesTheJobsJson() {
        var json = JsonMapper.builder().build();
        var row = new ContentAccepted(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), "P-1004", "Merino Beanie 🧶",
                "צמר מרינו רך\nline two", new BigDecimal("48.50"), "EUR", "https://shop.example.com/p/x", "file:///data/img.png",
                null, List.of("x", "bluesky"), List.of("wool"), LocalDateTime.of(2026, 3, 29, 2, 30), "Europe/Berlin");

        assertThat(json.readValue(json.writeValueAsString(row), ContentAccepted.class)).isEqualTo(row);
    }
}
