package dev.crosspost.generation.internal;

import dev.crosspost.intake.ContentPrepared;
import dev.crosspost.intake.ContentAccepted;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Writes every caption from the row itself, deterministically: the same row always gets the same captions. */
final class TemplateCaptioner {

    static final String WRITER = "template";

    private TemplateCaptioner() {
    }

    static Map<String, ContentPrepared.Caption> write(ContentAccepted content) {
        Map<String, ContentPrepared.Caption> captions = new LinkedHashMap<>();
        for (String platform : content.platforms()) {
            captions.put(platform, write(content, platform));
        }
        return captions;
    }

    static ContentPrepared.Caption write(ContentAccepted content, String platform) {
        CaptionRules.Rule rule = CaptionRules.of(platform);
        String title = CaptionText.clean(content.title());
        String description = CaptionText.clean(content.description());
        String headline = rule.titleLimit() > 0 ? "" : title + price(content.price(), content.currency());
        String body = headline.isEmpty() ? description + price(content.price(), content.currency())
                : description.isEmpty() ? headline : headline + "\n" + description;
        List<String> tags = CaptionText.hashtags(content.hashtags());
        String text = CaptionRules.fit(rule, title, body.strip(), content.productUrl(), tags);
        return new ContentPrepared.Caption(text, WRITER);
    }

    private static String price(BigDecimal price, String currency) {
        if (price == null) {
            return "";
        }
        String amount = price.setScale(Math.max(0, Math.min(2, price.scale())), RoundingMode.HALF_UP).toPlainString();
        return " — " + amount + (currency == null ? "" : " " + currency);
    }
}
