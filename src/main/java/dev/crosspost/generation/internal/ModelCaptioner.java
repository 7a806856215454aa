package dev.crosspost.generation.internal;

import dev.crosspost.intake.ContentPrepared;
import dev.crosspost.intake.ContentAccepted;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Asks a chat model for one caption per platform and never trusts the answer: the JSON is dug out of any prose or
 * fences, every text is stripped of markup and fitted to the platform's limits, and a platform the model left empty
 * gets the template's caption instead (its writer says so).
 */
final class ModelCaptioner {

    private static final String SYSTEM = """
            You write social media captions for one product. Reply with one JSON object and nothing else:
            {"captions": {"<platform>": {"title": "...", "text": "..."}}, "hashtags": ["..."]}
            Write one entry per platform asked for, in the language of the product text. "title" only where the
            platform has titles. Plain text only: no markdown, no HTML, no links, no hashtags inside "text".
            Keep each text well within the platform's limit.""";
    private static final Pattern TRAILING_TAGS = Pattern.compile("(?:\\s+#[\\p{L}\\p{N}_]+)+\\s*$");
    private static final Pattern INLINE_TAG = Pattern.compile("#([\\p{L}\\p{N}_]+)");

    private final ChatCompletions chat;
    private final JsonMapper json;

    ModelCaptioner(ChatCompletions chat, JsonMapper json) {
        this.chat = chat;
        this.json = json;
    }

    String writer() {
        return chat.writer();
    }

    /** The request to the model; the product is sent as JSON so its text cannot pose as instructions' structure. */
    String prompt(ContentAccepted c) {
        ObjectNode product = json.createObjectNode();
        product.put("title", c.title());
        product.put("description", c.description());
        if (c.price() != null) {
            product.put("price", c.price().toPlainString());
            product.put("currency", c.currency());
        }
        product.putPOJO("hashtags", c.hashtags());
        ObjectNode platforms = product.putObject("platforms");
        for (String p : c.platforms()) {
            CaptionRules.Rule rule = CaptionRules.of(p);
            ObjectNode limits = platforms.putObject(p);
            limits.put("maxTextLength", rule.limit() - 60);
            if (rule.titleLimit() > 0) {
                limits.put("maxTitleLength", rule.titleLimit());
            }
        }
        return "Write the captions for this product:\n" + json.writeValueAsString(product);
    }

    ChatCompletions.Reply ask(ContentAccepted c) {
        return chat.complete(SYSTEM, prompt(c));
    }

    /** The model's answer as captions; null when it is not the JSON asked for at all. */
    @Nullable Map<String, ContentPrepared.Caption> read(ContentAccepted c, String answer) {
        int open = answer.indexOf('{');
        int close = answer.lastIndexOf('}');
        if (open < 0 || close <= open) {
            return null;
        }
        JsonNode root;
        try {
            root = json.readTree(answer.substring(open, close + 1));
        } catch (RuntimeException e) {
            return null;
        }
        JsonNode captions = root.path("captions");
        if (!captions.isObject()) {
            return null;
        }
        List<String> modelTags = new ArrayList<>();
        root.path("hashtags").valueStream().filter(JsonNode::isString).forEach(t -> modelTags.add(t.asString()));
        Map<String, ContentPrepared.Caption> out = new LinkedHashMap<>();
        for (String platform : c.platforms()) {
            JsonNode entry = captions.path(platform);
            String text = CaptionText.clean(entry.isString() ? entry.asString() : entry.path("text").asString(""));
            String title = CaptionText.clean(entry.path("title").asString(""));
            List<String> tags = new ArrayList<>(c.hashtags());
            Matcher trailing = TRAILING_TAGS.matcher(text);
            if (trailing.find()) {
                INLINE_TAG.matcher(trailing.group()).results().forEach(r -> tags.add(r.group(1)));
                text = text.substring(0, trailing.start()).strip();
            }
            if (c.productUrl() != null) {
                text = text.replace(c.productUrl(), "").strip();
            }
            if (text.isBlank()) {
                out.put(platform, TemplateCaptioner.write(c, platform));
                continue;
            }
            tags.addAll(modelTags);
            CaptionRules.Rule rule = CaptionRules.of(platform);
            String fitted = CaptionRules.fit(rule, title.isBlank() ? CaptionText.clean(c.title()) : title, text,
                    c.productUrl(), CaptionText.hashtags(tags));
            out.put(platform, new ContentPrepared.Caption(fitted, chat.writer()));
        }
        return out;
    }
}
