package io.livequeue.producer;

import io.livequeue.core.Priority;
import io.livequeue.core.rdb.JobStore;
import io.livequeue.core.rdb.Queues;
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

    @Inject
    Queues queues;

    /** The Redis key of a job's hash. */
    public String jobKey(String id) {
        return store.keyspace().ofJob(id).job(id);
    }

    /** Writes a job's hash as given, as another (say a newer) release would store it; the job is in no list. */
    public void writeJob(String id, Map<String, String> fields) {
        redis.hash(String.class).hset(jobKey(id), fields);
    }

    /** Starts a test from an empty Redis. */
    public void flush() {
        redis.execute("FLUSHALL");
    }

    /** Makes Redis hold every command (its own included) for {@code duration}: a hung server, not a dead one. */
    public void pause(Duration duration) {
        redis.execute("CLIENT", "PAUSE", Long.toString(duration.toMillis()), "ALL");
    }

    /**
     * Lets Redis hold only {@code roomBytes} more than it holds now, refusing writes beyond (noeviction, as a job queue
     * must run); a negative room lifts the limit.
     */
    public void limitMemory(long roomBytes) {
        redis.execute("CONFIG", "SET", "maxmemory-policy", "noeviction");
        String info = redis.execute("INFO", "memory").toString();
        long used = Long.parseLong(info.replaceAll("(?s).*\\bused_memory:(\\d+).*", "$1"));
        redis.execute("CONFIG", "SET", "maxmemory", roomBytes < 0 ? "0" : Long.toString(used + roomBytes));
    }

    /** Number of job hashes of every queue ({@code <prefix>:{jobs}:job:*} and {@code <prefix>:{q:…}:job:*}). */
    public int jobKeys() {
        String prefix = store.keyspace().prefix();
        return redis.key().keys(prefix + ":{jobs}:job:*").size() + redis.key().keys(prefix + ":{q:*}:job:*").size();
    }

    /** The counts of the default queue. */
    public Map<Priority, QueueCounts> counts() {
        return queues.state("default").await().atMost(WAIT).counts();
    }

    public long waiting(Priority priority) {
        return counts().get(priority).waiting();
    }

    public long totalWaiting() {
        return counts().values().stream().mapToLong(QueueCounts::waiting).sum();
    }
}
