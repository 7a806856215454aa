package dev.crosspost.publishing.metrics;

import dev.crosspost.publishing.PostMetrics;
import dev.crosspost.publishing.ReadQuotas;
import dev.crosspost.publishing.adapter.AccountTokens;
import dev.crosspost.publishing.adapter.MetricsRequest;
import dev.crosspost.publishing.adapter.MetricsResult;
import dev.crosspost.publishing.adapter.PostMetricsReader;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongUnaryOperator;

/**
 * Syncs the metrics of every published publication that is due: first {@code first-delay} after publishing, then
 * every {@code interval} until {@code max-age}. Each sync takes a read token of the account (else it is deferred to
 * the token's refill without a call), asks the platform's {@link PostMetricsReader}, and stores a point; a failure
 * backs off exponentially with jitter (capped, never shorter than the platform's own wait) and counts; a post deleted
 * on the platform ends its sync.
 */
@Component
class MetricsSync implements PostMetrics {

    private static final Logger log = LoggerFactory.getLogger(MetricsSync.class);
    /** What the engine sends for accounts that were never connected; every simulator accepts it. */
    static final String SANDBOX_TOKEN = "sandbox-token";
    /** How long a claimed publication is left to this node before another may sync it. */
    static final Duration LEASE = Duration.ofMinutes(10);

    private final MetricsStore store;
    private final Map<String, PostMetricsReader> readers = new TreeMap<>();
    private final ReadQuotas quotas;
    private final ObjectProvider<AccountTokens> tokens;
    private final MetricsSettings settings;
    private final Clock clock;
    private final MeterRegistry meters;
    // the jitter's source: a random fraction of the backoff; tests may fix it
    private volatile LongUnaryOperator jitter = millis -> millis / 2 + ThreadLocalRandom.current().nextLong(millis / 2 + 1);

    MetricsSync(MetricsStore store, List<PostMetricsReader> readers, ReadQuotas quotas, ObjectProvider<AccountTokens> tokens,
                MetricsSettings settings, Clock clock, MeterRegistry meters) {
        this.store = store;
        readers.forEach(r -> this.readers.put(r.platform(), r));
        this.quotas = quotas;
        this.tokens = tokens;
        this.settings = settings;
        this.clock = clock;
        this.meters = meters;
    }

    /** Finds newly published publications, then syncs every one due now, batch by batch. Returns the syncs tried. */
    int run() {
        store.discover(readers.keySet(), settings.firstDelay());
        int tried = 0;
        while (true) {
            Instant now = clock.instant();
            List<MetricsStore.Due> due = store.claim(now, now.plus(LEASE), settings.batchSize());
            // a batch's calls wait on different platforms and accounts: one virtual thread each, so a batch takes about
            // as long as its slowest call (at most the timeout), well within the lease
            try (ExecutorService calls = Executors.newVirtualThreadPerTaskExecutor()) {
                for (MetricsStore.Due d : due) {
                    calls.execute(() -> {
                        try {
                            sync(d);
                        } catch (RuntimeException e) {
                            // left leased: synced again when the lease ends
                            log.warn("Metrics sync of publication {} failed; retried after the lease", d.publicationId(), e);
                        }
                    });
                }
            }
            tried += due.size();
            if (due.size() < settings.batchSize()) {
                return tried;
            }
        }
    }

    /** One sync of one claimed publication. */
    void sync(MetricsStore.Due due) {
        Instant now = clock.instant();
        Instant end = due.publishedAt().plus(settings.maxAge());
        if (!now.isBefore(end)) {
            store.ended(due, "done", null);
            return;
        }
        PostMetricsReader reader = readers.get(due.platform());
        if (reader == null) {
            store.ended(due, "done", "no metrics reader for " + due.platform());
            return;
        }
        // reads take tokens of their own bucket, never the publish bucket: see ReadQuotas
        Optional<Instant> wait = quotas.take(due.platform(), due.accountId(), settings.readQuota(due.platform()));
        if (wait.isPresent()) {
            store.deferred(due, "read quota used up until " + wait.get(), wait.get());
            count(due, "deferred");
            return;
        }
        MetricsResult result;
        try {
            result = reader.fetch(request(due));
        } catch (AccountTokens.ReconnectRequired e) {
            result = new MetricsResult.RetryLater("the account must be reconnected: " + e.getMessage(), null);
        } catch (AccountTokens.TemporarilyUnavailable e) {
            result = new MetricsResult.RetryLater("no usable token: " + e.getMessage(), null);
        } catch (RuntimeException e) {
            log.warn("Metrics sync of publication {} on {} failed", due.publicationId(), due.platform(), e);
            result = new MetricsResult.RetryLater("metrics sync failed: " + e.getClass().getSimpleName(), null);
        }
        Instant at = clock.instant();
        switch (result) {
            case MetricsResult.Metrics m -> {
                Instant next = at.plus(settings.interval());
                store.synced(due, at, m.counts(), next.isBefore(end) ? next : null);
                count(due, "synced");
            }
            case MetricsResult.RetryLater r -> {
                Instant next = at.plus(backoff(due.failures() + 1, r.retryAfter()));
                if (r.retryAfter() != null) {
                    // the platform said when it takes reads again: no node asks for this account before
                    quotas.blockUntil(due.platform(), due.accountId(), at.plus(r.retryAfter()));
                }
                store.failed(due, r.reason(), next);
                count(due, "retry_later");
            }
            case MetricsResult.Gone g -> {
                store.ended(due, "gone", g.reason());
                count(due, "gone");
            }
        }
    }

    /**
     * The wait after the {@code failures}-th consecutive failure: {@code base-backoff * 2^(failures-1)}, capped at
     * {@code max-backoff}, with equal jitter (half fixed, half random) so many failed syncs do not return together;
     * never shorter than the platform's own wait.
     */
    Duration backoff(int failures, @Nullable Duration platformWait) {
        long base = settings.baseBackoff().toMillis();
        long cap = settings.maxBackoff().toMillis();
        long exp = failures >= 31 ? cap : Math.min(cap, base << Math.max(0, failures - 1));
        Duration backoff = Duration.ofMillis(jitter.applyAsLong(exp));
        return platformWait != null && platformWait.compareTo(backoff) > 0 ? platformWait : backoff;
    }

    /** For tests: a jitter that always takes {@code fraction} of the backoff's random half. */
    void fixJitter(double fraction) {
        this.jitter = millis -> millis / 2 + (long) (millis / 2 * fraction);
    }

    @Override
    public Optional<List<PublicationMetrics>> forPost(UUID workspaceId, UUID postId) {
        return store.forPost(workspaceId, postId);
    }

    private MetricsRequest request(MetricsStore.Due due) {
        AccountTokens source = tokens.getIfAvailable();
        AccountTokens.Credential credential = source == null
                ? new AccountTokens.Credential(SANDBOX_TOKEN, due.accountId(), due.accountId(), null)
                : source.credential(due.workspaceId(), due.platform(), due.accountId());
        return new MetricsRequest(due.platformPostId(), credential.accessToken(), credential.platformUserId(), credential.serviceUrl(),
                settings.timeout());
    }

    private void count(MetricsStore.Due due, String outcome) {
        meters.counter("crosspost_metrics_syncs_total", "platform", due.platform(), "outcome", outcome).increment();
    }
}
