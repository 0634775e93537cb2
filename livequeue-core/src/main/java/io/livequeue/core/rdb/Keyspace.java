package io.livequeue.core.rdb;

import io.livequeue.core.Ids;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where every queue's keys are ({@link RedisKeys}), and the keys that belong to no queue. A job's keys follow from
 * its id alone ({@link Ids#queueOf}), so no service needs a look-up to find a job.
 *
 * <pre>
 * &lt;prefix&gt;:{queues}:registry   sorted set: every queue but default that ever had a job, scored by when it first did
 * &lt;prefix&gt;:{auth}:keys         set: the ids of the producers' API keys
 * &lt;prefix&gt;:{auth}:key:&lt;id&gt;     hash: one API key's name, scopes, SHA-256 of the key, createdAt (never the key)
 * </pre>
 */
public final class Keyspace {

    private static final int MAX_CACHED = 1024;

    private final String prefix;
    private final Map<String, RedisKeys> queues = new ConcurrentHashMap<>();

    public Keyspace(String prefix) {
        this.prefix = prefix;
    }

    public String prefix() {
        return prefix;
    }

    /** The keys of a queue; the name must be valid ({@link io.livequeue.core.QueueNames#isValid}). */
    public RedisKeys queue(String name) {
        RedisKeys keys = queues.get(name);
        if (keys == null) {
            keys = new RedisKeys(prefix, name);
            if (queues.size() < MAX_CACHED) { // ids come from clients: the names they carry must not grow this map
                queues.putIfAbsent(name, keys);
            }
        }
        return keys;
    }

    /** The keys of the queue a job belongs to; the id must be valid ({@link Ids#isJobId}). */
    public RedisKeys ofJob(String jobId) {
        return queue(Ids.queueOf(jobId));
    }

    public String apiKeys() {
        return prefix + ":{auth}:keys";
    }

    public String apiKey(String id) {
        return prefix + ":{auth}:key:" + id;
    }

    public String registry() {
        return prefix + ":{queues}:registry";
    }
}
