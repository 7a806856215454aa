package dev.crosspost.generation.internal;

import dev.crosspost.intake.ContentPrepared;
import dev.crosspost.intake.ContentAccepted;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Captions for a content row: the template when no model is configured, else the cache, else one model call
 * through the rate limit and breaker.
 */
final class Captioner {

    /** What one try gave. */
    sealed interface Outcome {
        record Written(Map<String, ContentPrepared.Caption> captions) implements Outcome {
        }

        record Wait(Instant until, String reason) implements Outcome {
        }

        /** @param retryable whether trying again later may help */
        record Failed(String reason, boolean retryable, @Nullable Instant notBefore) implements Outcome {
        }
    }

    private static final TypeReference<LinkedHashMap<String, ContentPrepared.Caption>> CAPTIONS = new TypeReference<>() {
    };

    private final @Nullable ModelCaptioner model;
    private final CaptionCache cache;
    private final ServiceGate gate;
    private final JsonMapper json;
    private final Clock clock;

    Captioner(@Nullable ModelCaptioner model, CaptionCache cache, ServiceGate gate, JsonMapper json, Clock clock) {
        this.model = model;
        this.cache = cache;
        this.gate = gate;
        this.json = json;
        this.clock = clock;
    }

    boolean usesModel() {
        return model != null;
    }

    Map<String, ContentPrepared.Caption> template(ContentAccepted content) {
        return TemplateCaptioner.write(content);
    }

    /** Captions already written for identical content by the same model (this or another node). */
    Optional<Map<String, ContentPrepared.Caption>> cached(ContentAccepted content) {
        return cache.get(key(content)).map(v -> json.readValue(v, CAPTIONS));
    }

    /** One model call, unless the rate limit or breaker says to wait. Only for {@link #usesModel()}. */
    Outcome ask(ContentAccepted content) {
        if (model == null) {
            throw new IllegalStateException("no model configured");
        }
        Instant wait = gate.enter();
        if (wait != null) {
            return new Outcome.Wait(wait, "caption model rate limit or breaker");
        }
        ChatCompletions.Reply reply = model.ask(content);
        switch (reply) {
            case ChatCompletions.Reply.Failure f -> {
                if (f.retryable()) {
                    gate.failed(new IllegalStateException(f.message()));
                } else {
                    gate.succeeded();
                }
                Instant notBefore = f.retryAfter() == null ? null : clock.instant().plus(f.retryAfter());
                return new Outcome.Failed(model.writer() + " answered " + (f.status() == 0 ? "" : f.status() + " ") + f.message(),
                        f.retryable(), notBefore);
            }
            case ChatCompletions.Reply.Answer a -> {
                gate.succeeded();
                Map<String, ContentPrepared.Caption> captions = model.read(content, a.content());
                if (captions == null) {
                    return new Outcome.Failed(model.writer() + " did not answer with the captions JSON", true, null);
                }
                cache.put(key(content), json.writeValueAsString(captions));
                return new Outcome.Written(captions);
            }
        }
    }

    /** The content hash: everything that shapes the captions, and who writes them. */
    String key(ContentAccepted c) {
        String material = String.join("\u0000", model == null ? TemplateCaptioner.WRITER : model.writer(), c.title(),
                c.description(), String.valueOf(c.price()), String.valueOf(c.currency()), String.valueOf(c.productUrl()),
                String.join(",", c.platforms()), String.join(",", c.hashtags()), model == null ? "" : model.prompt(c));
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(material.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
