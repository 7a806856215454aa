package dev.crosspost.publishing.engine;

import dev.crosspost.publishing.PlatformsSettings;
import dev.crosspost.publishing.adapter.AccountTokens;
import dev.crosspost.publishing.adapter.MediaRef;
import dev.crosspost.publishing.adapter.MediaSource;
import dev.crosspost.publishing.adapter.PlatformAdapter;
import dev.crosspost.publishing.adapter.PublishRequest;
import dev.crosspost.publishing.adapter.StepResult;
import dev.crosspost.publishing.adapter.generic.GenericPlatformAdapter;
import dev.crosspost.publishing.adapter.http.PlatformBaseUrl;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The adapter for each configured platform: a dedicated adapter bean when one exists for the name, else the
 * generic HTTP adapter, pointed at the platform's {@code base-url} or at the built-in sandbox simulator.
 */
@Component
public class PlatformAdapters {

    static final String SANDBOX_TOKEN = "sandbox-token";
    private static final TypeReference<List<MediaRef>> MEDIA_LIST = new TypeReference<>() {
    };

    private final Map<String, PlatformAdapter> byName = new TreeMap<>();
    // a publication's text and media (its own, else its post's) never change once written
    private final Cache<UUID, Content> contents = Caffeine.newBuilder().maximumSize(20_000).expireAfterAccess(Duration.ofMinutes(10)).build();
    private final ObjectProvider<AccountTokens> tokens;
    private @Nullable AccountTokens resolvedTokens; // published by the volatile flag written after it
    private volatile boolean tokensResolved;
    private final org.springframework.jdbc.core.simple.JdbcClient jdbc;
    private final JsonMapper json;

    PlatformAdapters(PlatformsSettings settings, List<PlatformAdapter> dedicated, ObjectProvider<AccountTokens> tokens,
                     MediaSource media, Environment env, org.springframework.jdbc.core.simple.JdbcClient jdbc, JsonMapper json) {
        this.tokens = tokens;
        this.jdbc = jdbc;
        this.json = json;
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        dedicated.forEach(a -> byName.put(a.platform(), a));
        settings.platforms().keySet().forEach(name -> byName.computeIfAbsent(name, n ->
                new GenericPlatformAdapter(n, PlatformBaseUrl.of(settings, env, n, "/sandbox/platforms/" + n), http, media, json)));
    }

    public PlatformAdapter get(String platform) {
        PlatformAdapter adapter = byName.get(platform);
        if (adapter == null) {
            throw new IllegalArgumentException("no adapter for platform '" + platform + "'");
        }
        return adapter;
    }

    /** The request without a token: enough to list the steps, and never fails on the account. */
    PublishRequest describe(Publication p) {
        Content content = content(p);
        return new PublishRequest(p.id(), p.idempotencyKey(), p.platform(), p.accountId(), content.text(), content.media(), p.stepData(), "", p.accountId(), null);
    }

    /** The full request, with the account's current token; throws the {@link AccountTokens} errors. */
    PublishRequest request(Publication p, Map<String, String> outputs) {
        Content content = content(p);
        AccountTokens source = tokens();
        AccountTokens.Credential account = source == null ? new AccountTokens.Credential(SANDBOX_TOKEN, p.accountId(), p.accountId(), null)
                : source.credential(p.workspaceId(), p.platform(), p.accountId());
        return new PublishRequest(p.id(), p.idempotencyKey(), p.platform(), p.accountId(), content.text(), content.media(), outputs,
                account.accessToken(), account.platformUserId(), account.serviceUrl());
    }

    // resolved once: a provider lookup per publication walked the bean factory's candidates every time
    private @Nullable AccountTokens tokens() {
        if (!tokensResolved) {
            resolvedTokens = tokens.getIfAvailable();
            tokensResolved = true;
        }
        return resolvedTokens;
    }

    /** What the platform would refuse about this text and media before any call ({@link PlatformAdapter#check}). */
    Optional<StepResult.Rejected> check(String platform, String accountId, String text, List<MediaRef> media) {
        // a check reads only the content: no publication, key or token yet
        return get(platform).check(new PublishRequest(new UUID(0, 0), "", platform, accountId, text, media, Map.of(), "", accountId, null));
    }

    /** {@link #check(String, String, String, List)} for a publication's own text and media. */
    Optional<StepResult.Rejected> check(Publication p) {
        Content content = content(p);
        return check(p.platform(), p.accountId(), content.text(), content.media());
    }

    /** A new publication's text and media, known at creation: its first run on this node need not read them back. */
    void remember(UUID publicationId, String text, List<MediaRef> media) {
        contents.put(publicationId, new Content(text, media));
    }

    private Content content(Publication p) {
        Content cached = contents.getIfPresent(p.id());
        if (cached != null) {
            return cached;
        }
        // loaded outside the cache's lock: a slow query must not stall every other publication of the post
        Content loaded = jdbc.sql("""
                        SELECT coalesce(pub.text, post.text), coalesce(pub.media, post.media)::text
                          FROM publications pub JOIN posts post ON post.id = pub.post_id WHERE pub.id = :id""")
                .param("id", p.id())
                .query((rs, n) -> new Content(rs.getString(1), json.readValue(rs.getString(2), MEDIA_LIST))).single();
        contents.put(p.id(), loaded);
        return loaded;
    }

    private record Content(String text, List<MediaRef> media) {
    }
}
