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
 * &lt;prefix&gt;:{schedules}:due      sorted set: recurring schedule name → its next run (epoch ms); a paused one is absent
 * &lt;prefix&gt;:{schedules}:names    sorted set: every schedule's name, scored by its creation (for listing)
 * &lt;prefix&gt;:{schedules}:schedule:&lt;name&gt;
 *                               hash: one schedule (see {@link Schedules}): spec (JSON), gen (grows on every PUT),
 *                               next, paused, createdAt, updatedAt, lastTick, lastOutcome (run, overlap or missed),
 *                               lastRun, lastJob, runs, skipped
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

    /** The recurring schedules' next runs: name → epoch ms, earliest first; a paused schedule is absent. */
    public String schedulesDue() {
        return prefix + ":{schedules}:due";
    }

    /** Every recurring schedule's name, scored by its creation: the index {@code GET /api/schedules} lists. */
    public String scheduleNames() {
        return prefix + ":{schedules}:names";
    }

    /** The hash of one recurring schedule; the name must be valid ({@link io.livequeue.core.QueueNames#isValid}). */
    public String schedule(String name) {
        return prefix + ":{schedules}:schedule:" + name;
    }
}
