package io.livequeue.bench;

import io.livequeue.core.Priority;
import io.livequeue.core.rdb.JobStore;
import io.livequeue.core.rdb.Keyspace;
import io.livequeue.core.rdb.PubSub;
import io.livequeue.core.rdb.RedisKeys;
import io.vertx.core.Vertx;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import io.vertx.redis.client.RedisOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The direct modes' way into the stack's Redis, bypassing the producer: a {@link JobStore} (the very storage
 * protocol the producer speaks, so the consumers cannot tell the difference) on a small pool of its own, and the
 * queue-depth check both modes start with. The events subscription is not here: it needs a connection to itself
 * (see {@link EventTap}).
 */
final class DirectRedis implements AutoCloseable {

    /** Enough for the fill's batches in flight and a depth check beside them; more would only queue in Redis. */
    private static final int POOL_SIZE = 8;
    private static final Duration ANSWER_WITHIN = Duration.ofSeconds(5);

    private final io.vertx.redis.client.Redis client;
    private final Redis redis;
    private final RedisKeys keys;
    private final JobStore store;
    private final String where;
    private final String prefix;

    DirectRedis(Vertx vertx, BenchOptions options) {
        this.client = io.vertx.redis.client.Redis.createClient(vertx, connectOptions(options)
                .setMaxPoolSize(POOL_SIZE).setMaxPoolWaiting(256));
        this.redis = Redis.newInstance(client);
        this.keys = new RedisKeys(options.prefix());
        this.store = new JobStore(redis, new Keyspace(options.prefix()), Duration.ofSeconds(3), PubSub.PLAIN);
        this.where = options.redisWhere();
        this.prefix = options.prefix();
    }

    static RedisOptions connectOptions(BenchOptions options) {
        return new RedisOptions().setConnectionString(options.redis().toString());
    }

    JobStore store() {
        return store;
    }

    RedisKeys keys() {
        return keys;
    }

    /** Jobs waiting in the three pending lists, in one pipelined round trip. */
    long waiting() throws StackNotReady {
        List<Request> llen = new ArrayList<>();
        for (Priority p : Priority.values()) {
            llen.add(Request.cmd(Command.LLEN).arg(keys.pending(p)));
        }
        try {
            long sum = 0;
            for (Response count : redis.batch(llen).await().atMost(ANSWER_WITHIN)) {
                sum += count.toLong();
            }
            return sum;
        } catch (RuntimeException e) {
            throw new StackNotReady("cannot reach Redis at " + where + ": " + e.getMessage());
        }
    }

    /**
     * Returns once nothing is waiting, so the run measures its own jobs only. A queue that does not shrink for
     * {@code stall} means no consumer is working on it: saying so beats waiting out the whole time-out.
     */
    void awaitEmptyQueue(Duration stall, long deadlineNanos) throws StackNotReady, InterruptedException {
        long last = waiting();
        long changed = System.nanoTime();
        if (last > 0) {
            System.out.printf("waiting for the %d jobs already queued at %s to drain%n", last, where);
        }
        while (last > 0) {
            TimeUnit.MILLISECONDS.sleep(50);
            long now = waiting();
            if (now != last) {
                last = now;
                changed = System.nanoTime();
            } else if (System.nanoTime() - changed > stall.toNanos() || System.nanoTime() > deadlineNanos) {
                throw new StackNotReady(last + " jobs are waiting at " + where + " (prefix " + prefix
                        + ") and none was taken in " + stall.toSeconds()
                        + " s: is consumer-service running against this Redis and prefix?");
            }
        }
    }

    String where() {
        return where;
    }

    @Override
    public void close() {
        client.close();
    }
}
