package io.livequeue.core.rdb;

import io.livequeue.core.Priority;
import io.livequeue.core.QueueNames;
import java.util.ArrayList;
import java.util.List;

/**
 * The Redis keys and channel of one queue, in one place. All of them carry the queue's hash tag, so every script and
 * pipeline of a queue touches a single Cluster slot, and Redis Cluster spreads queues over its masters. The queue
 * {@code default} keeps the tag {@code {jobs}} it has always had, so its data needs no migration; any other queue
 * {@code Q} has the tag {@code {q:Q}}. The prefix (default {@code livequeue}) lets several installations share one
 * Redis. Keys that belong to no queue are in {@link Keyspace}.
 *
 * <pre>
 * &lt;prefix&gt;:&lt;tag&gt;:job:&lt;id&gt;        hash: the job document (see {@link io.livequeue.core.Job})
 * &lt;prefix&gt;:&lt;tag&gt;:pending:&lt;prio&gt;  list: ids waiting, LPUSH to enqueue, RPOP (in claim.lua) to take the oldest
 * &lt;prefix&gt;:&lt;tag&gt;:active:&lt;prio&gt;   sorted set: ids being worked on, scored by the end of their lease
 * &lt;prefix&gt;:&lt;tag&gt;:retry:&lt;prio&gt;    sorted set: failed ids waiting for their next attempt, scored by due time
 * &lt;prefix&gt;:&lt;tag&gt;:scheduled       sorted set: ids of scheduled jobs (status scheduled), scored by due time
 * &lt;prefix&gt;:&lt;tag&gt;:dead:&lt;prio&gt;     sorted set: ids whose attempts are used up, scored by time of death
 * &lt;prefix&gt;:&lt;tag&gt;:consumers       sorted set: ids of the consumers listening to the queue, scored by last heartbeat
 * &lt;prefix&gt;:&lt;tag&gt;:idem:&lt;digest&gt;   string: the job ids a request with that Idempotency-Key created (with a TTL)
 * &lt;prefix&gt;:&lt;tag&gt;:signal          list: wake-up markers, one per new job; each consumer's waker BRPOPs it
 * &lt;prefix&gt;:&lt;tag&gt;:meta            hash: flow control set by operators (paused, concurrency, rate, period)
 * &lt;prefix&gt;:&lt;tag&gt;:limiter         string: starts in the current rate-limit window (expires with the window)
 * &lt;prefix&gt;:&lt;tag&gt;:inboxes         stream: recent (job, inbox) pairs, so a gateway catches up what it missed
 * &lt;prefix&gt;:&lt;tag&gt;:events          pub/sub channel: every status change (see {@link io.livequeue.core.EventMessage})
 * &lt;prefix&gt;:&lt;tag&gt;:cancels         pub/sub channel: ids of running jobs whose cancellation was asked for
 * </pre>
 */
public final class RedisKeys {

    private final String queue;
    private final String base;
    private final List<String> pendingKeys;
    private final List<String> claimKeys;
    private final List<String> heartbeatKeys;

    RedisKeys(String prefix, String queue) {
        if (!QueueNames.isValid(queue)) {
            throw new IllegalArgumentException("not a queue name: " + queue);
        }
        this.queue = queue;
        this.base = prefix + (QueueNames.DEFAULT.equals(queue) ? ":{jobs}:" : ":{q:" + queue + "}:");
        List<String> pending = new ArrayList<>();
        List<String> claim = new ArrayList<>();
        for (Priority p : Priority.values()) {
            pending.add(pending(p));
        }
        claim.addAll(pending);
        for (Priority p : Priority.values()) {
            claim.add(active(p));
        }
        for (Priority p : Priority.values()) {
            claim.add(retry(p));
        }
        for (Priority p : Priority.values()) {
            claim.add(dead(p));
        }
        claim.add(signal());
        List<String> heartbeat = new ArrayList<>();
        heartbeat.add(consumers());
        heartbeat.addAll(claim);
        heartbeat.add(scheduled());
        claim.add(meta());
        claim.add(limiter());
        claim.add(scheduled());
        this.pendingKeys = List.copyOf(pending);
        this.claimKeys = List.copyOf(claim);
        this.heartbeatKeys = List.copyOf(heartbeat);
    }

    /** The pending lists, high to low: the first keys of enqueue.lua. */
    List<String> pendingKeys() {
        return pendingKeys;
    }

    /** The fixed keys of claim.lua, in its order. */
    List<String> claimKeys() {
        return claimKeys;
    }

    /** The keys of heartbeat.lua, in its order. */
    List<String> heartbeatKeys() {
        return heartbeatKeys;
    }

    /** The keys of the {@code default} queue under {@code prefix}. */
    public RedisKeys(String prefix) {
        this(prefix, QueueNames.DEFAULT);
    }

    public String queue() {
        return queue;
    }

    public String job(String id) {
        return base + "job:" + id;
    }

    public String jobPrefix() {
        return base + "job:";
    }

    public String pending(Priority priority) {
        return base + "pending:" + priority.wireName();
    }

    public String active(Priority priority) {
        return base + "active:" + priority.wireName();
    }

    public String dead(Priority priority) {
        return base + "dead:" + priority.wireName();
    }

    public String retry(Priority priority) {
        return base + "retry:" + priority.wireName();
    }

    public String scheduled() {
        return base + "scheduled";
    }

    public String cancels() {
        return base + "cancels";
    }

    public String consumers() {
        return base + "consumers";
    }

    public String idempotency(String digest) {
        return base + "idem:" + digest;
    }

    public String signal() {
        return base + "signal";
    }

    public String meta() {
        return base + "meta";
    }

    public String limiter() {
        return base + "limiter";
    }

    public String inboxes() {
        return base + "inboxes";
    }

    public String events() {
        return base + "events";
    }
}
