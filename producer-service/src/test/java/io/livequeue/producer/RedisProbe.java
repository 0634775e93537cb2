package io.livequeue.producer;

import io.livequeue.core.Priority;
import io.livequeue.core.rdb.JobStore;
import io.livequeue.core.rdb.QueueCounts;
import io.quarkus.redis.datasource.RedisDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;

/** Test-side view of the application's Redis: what the tests assert is (or is not) stored. */
@ApplicationScoped
public class RedisProbe {

    private static final Duration WAIT = Duration.ofSeconds(5);

    @Inject
    RedisDataSource redis;

    @Inject
    JobStore store;

    /** Starts a test from an empty Redis. */
    public void flush() {
        redis.execute("FLUSHALL");
    }

    /** Makes Redis hold every command (its own included) for {@code duration}: a hung server, not a dead one. */
    public void pause(Duration duration) {
        redis.execute("CLIENT", "PAUSE", Long.toString(duration.toMillis()), "ALL");
    }

    /** Number of job hashes ({@code <prefix>:{jobs}:job:*}). */
    public int jobKeys() {
        return redis.key().keys(store.keys().jobPrefix() + "*").size();
    }

    public Map<Priority, QueueCounts> counts() {
        return store.counts().await().atMost(WAIT);
    }

    public long waiting(Priority priority) {
        return counts().get(priority).waiting();
    }

    public long totalWaiting() {
        return counts().values().stream().mapToLong(QueueCounts::waiting).sum();
    }
}
