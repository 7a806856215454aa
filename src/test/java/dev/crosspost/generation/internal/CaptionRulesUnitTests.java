package dev.crosspost.generation.internal;

import dev.crosspost.intake.ContentPrepared;
import dev.crosspost.generation.GenerationSettings;
import dev.crosspost.intake.ContentAccepted;
import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;
import tools.jackson.databind.json.JsonMapper;

import java.math.BigDecimal;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Platform limits, counting, cleaning of model output, and the template captioner. */
class CaptionRulesUnitTests {

    private static final String URL = "https://shop.example.com/p/trail-runner-2";
    private static final String FAMILY = "👨‍👩‍👧‍👦";

    private static ContentAccepted content(String title, String description, List<String> platforms, List<String> tags) {
        return new ContentAccepted(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), "P-1", title, description,
                new BigDecimal("129.00"), "USD", URL, null, null, platforms, tags, null, null);
    }

    @Test
    void xCountsLinksAs23EmojiAsTwoAndCjkAsTwo() {
        assertThat(CaptionRules.xWeighted("hello")).isEqualTo(5);
        assertThat(CaptionRules.xWeighted("see " + URL)).isEqualTo(4 + 23);
        assertThat(CaptionRules.xWeighted(FAMILY)).isEqualTo(2);
        assertThat(CaptionRules.xWeighted("日本")).isEqualTo(4);
        assertThat(CaptionRules.xWeighted("שלום")).isEqualTo(4);
    }

    @Test
    void everyPlatformsCaptionFitsItsLimitWithALongDescription() {
        String longText = ("Lightweight trail shoe 👟 with a grippy outsole, 240 g per shoe. 日本語のテキスト. " + FAMILY + " ").repeat(120);
        var c = content("Trail Runner 2 Shoes", longText, List.of("x", "instagram", "tiktok", "youtube", "pinterest", "bluesky"),
                List.of("running", "trail", "outdoors", "fitness"));
        Map<String, ContentPrepared.Caption> captions = TemplateCaptioner.write(c);

        assertThat(CaptionRules.xWeighted(captions.get("x").text())).isLessThanOrEqualTo(280);
        assertThat(captions.get("x").text()).contains(URL).endsWith("#running #trail");
        assertThat(CaptionRules.graphemes(captions.get("bluesky").text())).hasSizeLessThanOrEqualTo(300);
        assertThat(captions.get("instagram").text().codePointCount(0, captions.get("instagram").text().length())).isLessThanOrEqualTo(2200);
        assertThat(captions.get("instagram").text()).doesNotContain(URL);
        assertThat(captions.get("tiktok").text().codePointCount(0, captions.get("tiktok").text().length())).isLessThanOrEqualTo(2200);
        String[] youtube = captions.get("youtube").text().split("\n\n", 2);
        assertThat(youtube[0]).isEqualTo("Trail Runner 2 Shoes");
        assertThat(youtube[1].getBytes(java.nio.charset.StandardCharsets.UTF_8).length).isLessThanOrEqualTo(5000);
        String[] pin = captions.get("pinterest").text().split("\n\n", 2);
        assertThat(pin[1].codePointCount(0, pin[1].length())).isLessThanOrEqualTo(500);
        captions.values().forEach(caption -> {
            assertThat(caption.writer()).isEqualTo("template");
            assertThat(caption.text()).contains("…");
            // a cut never leaves half a grapheme (no lone surrogate, no dangling zero-width joiner)
            assertThat(caption.text()).doesNotMatch("(?s).*\\p{Cs}(?![\\uDC00-\\uDFFF]).*").doesNotContain("‍…");
        });
    }

    @Test
    void aShortCaptionIsKeptWhole() {
        var c = content("Merino Beanie", "Soft 100% merino wool.", List.of("x"), List.of("#winter", "win ter", "wool!", "Winter"));
        String x = TemplateCaptioner.write(c).get("x").text();
        // "win ter" and "Winter" are the same tag; "wool!" is not a tag
        assertThat(x).isEqualTo("Merino Beanie — 129.00 USD\nSoft 100% merino wool. " + URL + "\n\n#winter");
    }

    @Test
    void theBodyIsCutToKeepHashtagsUnlessTheyWouldTakeHalfTheRoom() {
        String body = "word ".repeat(80).strip();
        String bluesky = CaptionRules.fit(CaptionRules.of("bluesky"), null, body, null, List.of("one", "two", "three", "four"));
        assertThat(bluesky).endsWith("…\n\n#one #two #three");
        assertThat(CaptionRules.graphemes(bluesky)).hasSizeLessThanOrEqualTo(300);

        var small = new CaptionRules.Rule("small", CaptionRules.Unit.CODE_POINTS, 100, 0, false, 5);
        String tag = "t".repeat(30);
        String fitted = CaptionRules.fit(small, null, body, null, List.of(tag + "a", tag + "b", tag + "c"));
        assertThat(fitted).contains("#" + tag + "a").doesNotContain(tag + "b", tag + "c");
        assertThat(fitted.length()).isLessThanOrEqualTo(100);
    }

    @Test
    void cleaningStripsMarkupInvisiblesAndQuotes() {
        assertThat(CaptionText.clean("\"**Bold** and __under__ `code` <b>tag</b>\u200B\u202Etxet\"")).isEqualTo("Bold and under code tagtxet");
        assertThat(CaptionText.clean("# Heading\n- item one\n\n\n\nsee [shop](https://x.example/p)")).isEqualTo("Heading\nitem one\n\nsee shop https://x.example/p");
        assertThat(CaptionText.clean(FAMILY + " מוצר חדש")).isEqualTo(FAMILY + " מוצר חדש");
        assertThat(CaptionText.hashtags(List.of("#Trail", "trail", "coffee-time", "🔥", "123", "日本"))).containsExactly("Trail", "coffeetime", "日本");
    }

    @Test
    void modelOutputIsDugOutCleanedFittedAndNeverTrusted() {
        var settings = new GenerationSettings.Captions("https://llm.example.com/v1", "gpt-test", "k", 0.7, Duration.ofSeconds(5),
                new GenerationSettings.RateLimit(10, Duration.ofMinutes(1)), new GenerationSettings.Breaker(50, 10, 5, Duration.ofSeconds(60)),
                Duration.ofHours(1), 100);
        var model = new ModelCaptioner(new ChatCompletions(HttpClient.newHttpClient(), JsonMapper.builder().build(), settings, new MockEnvironment()),
                JsonMapper.builder().build());
        var c = content("Trail Runner 2", "Grippy.", List.of("x", "bluesky", "youtube", "tiktok"), List.of("running"));
        String answer = """
                Sure! Here you go:
                ```json
                {"captions": {
                  "x": {"text": "**Run** further <script>alert(1)</script>%s #Trail #Fast"},
                  "bluesky": {"text": "   "},
                  "youtube": {"title": "A <very> long title %s", "text": "Watch it. %s"}
                }, "hashtags": ["#Outdoor"]}
                ```""".formatted("x".repeat(400), "t".repeat(200), URL);

        Map<String, ContentPrepared.Caption> captions = model.read(c, answer);

        assertThat(captions).containsOnlyKeys("x", "bluesky", "youtube", "tiktok");
        ContentPrepared.Caption x = captions.get("x");
        assertThat(x.writer()).isEqualTo("gpt-test@llm.example.com");
        assertThat(x.text()).startsWith("Run further alert(1)xxx").doesNotContain("**", "<script>").contains(URL);
        assertThat(CaptionRules.xWeighted(x.text())).isLessThanOrEqualTo(280);
        // an empty or missing platform gets the template's caption, and says so
        assertThat(captions.get("bluesky").writer()).isEqualTo("template");
        assertThat(captions.get("tiktok").writer()).isEqualTo("template");
        String title = captions.get("youtube").text().split("\n\n")[0];
        assertThat(title).doesNotContain("<", ">").hasSizeLessThanOrEqualTo(100);
        assertThat(captions.get("youtube").text()).containsOnlyOnce(URL).contains("#running", "#Outdoor");

        assertThat(model.read(c, "I cannot help with that.")).isNull();
        assertThat(model.read(c, "{\"not\": \"captions\"}")).isNull();
    }
}
