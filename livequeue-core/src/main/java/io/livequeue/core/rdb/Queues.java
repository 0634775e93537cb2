package io.livequeue.core.rdb;

import io.livequeue.core.Priority;
import io.livequeue.core.QueueNames;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The queues themselves: the registry of every queue that ever had a job (a queue exists from its first job, as in
 * Sidekiq, Asynq and BullMQ), their counts, and the flow control operators set on them (pause, concurrency and rate
 * limits), which {@code claim.lua} enforces in Redis across every consumer. The registry is the one key outside the
 * queues' slots; a producer registers a queue once, before its first job.
 */
public class Queues {

    private static final LuaScript REGISTER = LuaScript.load("register.lua", false);
    private static final LuaScript CONTROL = LuaScript.load("control.lua", false);
    private static final Priority[] PRIORITIES = Priority.values();

    private final Redis redis;
    private final Keyspace keyspace;
    private final Duration timeout;

    public Queues(Redis redis, Keyspace keyspace, Duration timeout) {
        this.redis = redis;
        this.keyspace = keyspace;
        this.timeout = timeout;
    }

    /**
     * Makes sure {@code queue} is in the registry, which holds at most {@code maxQueues} queues in all ({@code default}
     * included, never registered). @return false when the queue is new and there is no room for it
     */
    public Uni<Boolean> register(String queue, int maxQueues) {
        if (QueueNames.DEFAULT.equals(queue)) {
            return Uni.createFrom().item(true);
        }
        if (maxQueues == 1) {
            return Uni.createFrom().item(false); // default alone: room for 0 more, which register.lua reads as no limit
        }
        return Calls.guarded("register", timeout, REGISTER.run(redis, List.of(keyspace.registry()),
                List.of(queue, Integer.toString(Math.max(0, maxQueues - 1))))).map(reply -> reply.toInteger() == 1);
    }

    /** Every queue: {@code default} first, then the others in the order of their first job. */
    public Uni<List<String>> names() {
        return Calls.guarded("queues", timeout, redis.send(Request.cmd(Command.ZRANGE).arg(keyspace.registry()).arg(0)
                .arg(-1))).map(reply -> {
                    List<String> names = new ArrayList<>();
                    names.add(QueueNames.DEFAULT);
                    reply.forEach(name -> {
                        if (QueueNames.isValid(name.toString()) && !QueueNames.DEFAULT.equals(name.toString())) {
                            names.add(name.toString());
                        }
                    });
                    return names;
                });
    }

    /** One queue's counts and flow control, in one pipelined round trip. */
    public Uni<QueueState> state(String queue) {
        RedisKeys keys = keyspace.queue(queue);
        List<Request> requests = new ArrayList<>();
        for (Priority p : PRIORITIES) {
            requests.add(Request.cmd(Command.LLEN).arg(keys.pending(p)));
            requests.add(Request.cmd(Command.ZCARD).arg(keys.active(p)));
            requests.add(Request.cmd(Command.ZCARD).arg(keys.dead(p)));
            requests.add(Request.cmd(Command.ZCARD).arg(keys.retry(p)));
        }
        requests.add(Request.cmd(Command.HMGET).arg(keys.meta()).arg("paused").arg("concurrency").arg("rate")
                .arg("period"));
        requests.add(Request.cmd(Command.GET).arg(keys.limiter()));
        requests.add(Request.cmd(Command.ZCARD).arg(keys.scheduled()));
        return Calls.guarded("queue", timeout, redis.batch(requests)).map(replies -> {
            Map<Priority, QueueCounts> counts = new EnumMap<>(Priority.class);
            Map<Priority, Long> retrying = new EnumMap<>(Priority.class);
            for (Priority p : PRIORITIES) {
                int i = p.ordinal() * 4;
                counts.put(p, new QueueCounts(replies.get(i).toLong(), replies.get(i + 1).toLong(),
                        replies.get(i + 2).toLong()));
                retrying.put(p, replies.get(i + 3).toLong());
            }
            Response meta = replies.get(PRIORITIES.length * 4);
            Response used = replies.get(PRIORITIES.length * 4 + 1);
            return new QueueState(queue, counts, retrying, "1".equals(text(meta.get(0))), (int) number(meta.get(1)),
                    (int) number(meta.get(2)), number(meta.get(3)), used == null ? 0 : number(used),
                    replies.get(PRIORITIES.length * 4 + 2).toLong());
        });
    }

    /** Every queue's state, {@code default} first (one round trip per queue, all at once). */
    public Uni<List<QueueState>> states() {
        return names().flatMap(this::states);
    }

    public Uni<List<QueueState>> states(List<String> queues) {
        return Uni.join().all(queues.stream().map(this::state).toList()).andFailFast();
    }

    /** A paused queue still accepts jobs but starts none, whichever consumer asks. */
    public Uni<Void> pause(String queue) {
        return control(queue, List.of("paused", "1"));
    }

    /** Starts the queue's jobs again at once (waiting workers are woken). */
    public Uni<Void> resume(String queue) {
        return control(queue, List.of("paused", "0"));
    }

    /**
     * Sets the queue's limits: at most {@code concurrency} of its jobs active at once, at most {@code rate} starts per
     * {@code period}; 0 (or a zero period) removes a limit.
     */
    public Uni<Void> limit(String queue, int concurrency, int rate, Duration period) {
        boolean rated = rate > 0 && !period.isZero() && !period.isNegative();
        return control(queue, List.of("concurrency", concurrency > 0 ? Integer.toString(concurrency) : "",
                "rate", rated ? Integer.toString(rate) : "", "period", rated ? Long.toString(period.toMillis()) : ""));
    }

    private Uni<Void> control(String queue, List<String> fields) {
        RedisKeys keys = keyspace.queue(queue);
        List<String> scriptKeys = new ArrayList<>(5);
        scriptKeys.add(keys.meta());
        scriptKeys.addAll(keys.pendingKeys());
        scriptKeys.add(keys.signal());
        return Calls.guarded("control", timeout, CONTROL.run(redis, scriptKeys, fields)).replaceWithVoid();
    }

    private static String text(Response value) {
        return value == null ? null : value.toString();
    }

    private static long number(Response value) {
        String text = text(value);
        return text == null || text.isEmpty() ? 0 : Long.parseLong(text);
    }
}
