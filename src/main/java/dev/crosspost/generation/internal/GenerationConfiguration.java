package dev.crosspost.generation.internal;

import dev.crosspost.generation.GenerationSettings;
import dev.crosspost.media.ProductVideos;
import dev.crosspost.system.SystemSettings;
import dev.crosspost.system.net.FetchSettings;
import dev.crosspost.system.net.ReservedDomains;
import dev.crosspost.system.net.SafeFetcher;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

import javax.sql.DataSource;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;

/** Wires the captioners, HeyGen, the gates and the cache from {@link GenerationSettings}. */
@Configuration(proxyBeanMethods = false)
class GenerationConfiguration {

    private final JsonMapper json = JsonMapper.builder().build();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NEVER).build();

    @Bean(destroyMethod = "close")
    CaptionCache captionCache(GenerationSettings settings, Clock clock) {
        var c = settings.generation().captions();
        return new CaptionCache(c.cacheTtl(), c.cacheSize(), settings.redis().url(), clock);
    }

    @Bean
    Captioner captioner(GenerationSettings settings, CaptionCache cache, DataSource dataSource, CircuitBreakerRegistry breakers,
                        Clock clock, Environment env) {
        var c = settings.generation().captions();
        ModelCaptioner model = c.modelConfigured() ? new ModelCaptioner(new ChatCompletions(http, json, c, env), json) : null;
        return new Captioner(model, cache, new ServiceGate("openai", dataSource, c.rateLimit(), c.breaker(), breakers, clock), json, clock);
    }

    @Bean
    @ConditionalOnMissingBean(MediaFetch.class)
    MediaFetch mediaFetch(SystemSettings system, Environment env, GenerationSettings settings, FetchSettings fetch,
                          ObjectProvider<ReservedDomains> reserved) {
        // the sandbox's HeyGen simulator hands out links on this machine, so loopback is allowed while it runs
        boolean sandbox = env.getProperty("crosspost.sandbox.enabled", Boolean.class, true);
        var own = new FetchSettings(fetch.allowLoopback() || sandbox, fetch.maxSize(), fetch.timeout(), fetch.connectTimeout(), fetch.maxRedirects());
        return new SafeMediaFetch(new SafeFetcher(own, reserved), system.dataDir(), settings.generation().heygen().timeout().multipliedBy(10),
                fetch.maxRedirects());
    }

    @Bean
    Generator generator(JdbcClient jdbc, TransactionTemplate tx, ApplicationEventPublisher events, Clock clock,
                        GenerationSettings settings, Credits credits, Captioner captioner, DataSource dataSource,
                        CircuitBreakerRegistry breakers, ObjectProvider<ProductVideos> productVideos, MediaFetch fetch,
                        SystemSettings system, Environment env) {
        var g = settings.generation();
        HeyGen heygen = g.heygen().configured() ? new HeyGen(http, json, g.heygen(), env) : null;
        ServiceGate heygenGate = new ServiceGate("heygen", dataSource, g.heygen().rateLimit(), g.heygen().breaker(), breakers, clock);
        return new Generator(jdbc, tx, events, json, clock, g, credits, captioner, heygen, heygenGate, productVideos, fetch, system.dataDir());
    }
}
