package io.livequeue.core.rdb;

import io.livequeue.core.Priority;

/**
 * Every Redis key and channel livequeue uses, in one place. All of them carry the hash tag {@code {jobs}}, so every
 * script and pipeline touches a single Cluster slot and runs unchanged on Redis Cluster. The prefix (default
 * {@code livequeue}) lets several installations share one Redis.
 *
 * <pre>
 * &lt;prefix&gt;:{jobs}:job:&lt;id&gt;        hash: the job document (see {@link io.livequeue.core.Job})
 * &lt;prefix&gt;:{jobs}:pending:&lt;prio&gt;  list: ids waiting, LPUSH to enqueue, RPOP (in claim.lua) to take the oldest
 * &lt;prefix&gt;:{jobs}:active:&lt;prio&gt;   sorted set: ids being worked on, scored by the end of their lease
 * &lt;prefix&gt;:{jobs}:retry:&lt;prio&gt;    sorted set: failed ids waiting for their next attempt, scored by due time
 * &lt;prefix&gt;:{jobs}:dead:&lt;prio&gt;     sorted set: ids whose attempts are used up, scored by time of death
 * &lt;prefix&gt;:{jobs}:consumers       sorted set: consumer ids, scored by their last heartbeat
 * &lt;prefix&gt;:{jobs}:idem:&lt;digest&gt;   string: the job ids a request with that Idempotency-Key created (with a TTL)
 * &lt;prefix&gt;:{jobs}:signal          list: wake-up markers, one per new job; idle workers BRPOP it
 * &lt;prefix&gt;:{jobs}:events          pub/sub channel: every status change (see {@link io.livequeue.core.EventMessage})
 * &lt;prefix&gt;:{jobs}:sms:outbox      list: messages the recording SMS provider "sent"
 * </pre>
 */
public final class RedisKeys {

    private final String base;

    public RedisKeys(String prefix) {
        this.base = prefix + ":{jobs}:";
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

    public String consumers() {
        return base + "consumers";
    }

    public String idempotency(String digest) {
        return base + "idem:" + digest;
    }

    public String signal() {
        return base + "signal";
    }

    public String events() {
        return base + "events";
    }

    public String smsOutbox() {
        return base + "sms:outbox";
    }
}
