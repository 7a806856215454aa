package dev.crosspost.publishing.engine;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.distributed.proxy.ClientSideConfig;
import io.github.bucket4j.distributed.proxy.generic.compare_and_swap.AbstractCompareAndSwapBasedProxyManager;
import io.github.bucket4j.distributed.proxy.generic.compare_and_swap.AsyncCompareAndSwapOperation;
import io.github.bucket4j.distributed.proxy.generic.compare_and_swap.CompareAndSwapOperation;
import io.github.bucket4j.distributed.remote.RemoteBucketState;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Bucket4j buckets in the {@code bucket} table (the one Bucket4j's PostgreSQL module uses), changed by
 * compare-and-swap: {@code UPDATE bucket SET state = new WHERE id = ? AND state = old} in one autocommit statement.
 * Select-for-update takes three round trips (lock, update, commit), and the row stays locked between them.
 * <p>
 * When {@code trustLastKnown} is on, a command first runs on the state this node last read or wrote for the key.
 * Takes on one bucket are batched per node, so that state is usually still current, and a take is one round trip.
 * When another node has changed the row since, the swap misses. The row is then read, and the command runs again
 * on what was read. A command that changes nothing is never checked against the table, so a manager that trusts
 * its last known state must not answer reads: use one with {@code trustLastKnown} off for those.
 */
final class QuotaBuckets extends AbstractCompareAndSwapBasedProxyManager<String> {

    private final JdbcClient jdbc;
    private final @Nullable Cache<String, byte[]> lastKnown;

    QuotaBuckets(JdbcClient jdbc, boolean trustLastKnown) {
        super(ClientSideConfig.getDefault());
        this.jdbc = jdbc;
        this.lastKnown = trustLastKnown
                ? Caffeine.newBuilder().expireAfterAccess(Duration.ofMinutes(10)).maximumSize(100_000).build() : null;
    }

    @Override
    protected CompareAndSwapOperation beginCompareAndSwapOperation(String key) {
        return new CompareAndSwapOperation() {
            private boolean first = true;

            @Override
            public Optional<byte[]> getStateData(Optional<Long> timeoutNanos) {
                if (first && lastKnown != null) {
                    first = false;
                    byte[] known = lastKnown.getIfPresent(key);
                    if (known != null) {
                        return Optional.of(known);
                    }
                }
                first = false;
                Optional<byte[]> read = jdbc.sql("SELECT state FROM bucket WHERE id = :id").param("id", key)
                        .query((rs, n) -> rs.getBytes(1)).optional();
                remember(key, read.orElse(null));
                return read;
            }

            @Override
            public boolean compareAndSwap(byte @Nullable [] original, byte[] updated, RemoteBucketState state, Optional<Long> timeoutNanos) {
                int rows = original == null
                        ? jdbc.sql("INSERT INTO bucket (id, state) VALUES (:id, :state) ON CONFLICT (id) DO NOTHING")
                        .param("id", key).param("state", updated).update()
                        : jdbc.sql("UPDATE bucket SET state = :state WHERE id = :id AND state = :original")
                        .param("state", updated).param("id", key).param("original", original).update();
                remember(key, rows == 1 ? updated : null);
                return rows == 1;
            }
        };
    }

    private void remember(String key, byte @Nullable [] state) {
        if (lastKnown == null) {
            return;
        }
        if (state == null) {
            lastKnown.invalidate(key);
        } else {
            lastKnown.put(key, state);
        }
    }

    @Override
    public void removeProxy(String key) {
        jdbc.sql("DELETE FROM bucket WHERE id = :id").param("id", key).update();
        remember(key, null);
    }

    @Override
    public boolean isAsyncModeSupported() {
        return false;
    }

    @Override
    protected AsyncCompareAndSwapOperation beginAsyncCompareAndSwapOperation(String key) {
        throw new UnsupportedOperationException("quota buckets are used synchronously");
    }

    @Override
    protected CompletableFuture<Void> removeAsync(String key) {
        throw new UnsupportedOperationException("quota buckets are used synchronously");
    }
}
