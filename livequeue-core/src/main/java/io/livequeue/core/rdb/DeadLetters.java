package io.livequeue.core.rdb;

import io.livequeue.core.Priority;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Operators' actions on dead jobs (as asynq's inspector and Sidekiq's morgue): a page of them newest death first,
 * across queues, and retrying or deleting one or all. Kept apart from {@link JobStore}, the protocol every job runs
 * through, since only operators come here. Reading a page is one pipelined round trip per queue (then one for the
 * documents); each action is one script on the job's own queue.
 */
public class DeadLetters {

    private static final LuaScript REVIVE = LuaScript.load("revive.lua", true);
    private static final LuaScript FORGET = LuaScript.load("forget.lua", false);
    private static final int CHUNK = 500;
    private static final Priority[] PRIORITIES = Priority.values();

    private final Redis redis;
    private final JobStore store;
    private final Keyspace keyspace;
    private final Duration timeout;

    public DeadLetters(Redis redis, JobStore store, Duration timeout) {
        this.redis = redis;
        this.store = store;
        this.keyspace = store.keyspace();
        this.timeout = timeout;
    }

    /** A page of the dead jobs of {@code queues}, newest death first, and how many there are in all. */
    public Uni<DeadPage> page(List<String> queues, int offset, int limit) {
        List<Uni<Ranked>> calls = queues.stream().map(queue -> ranked(queue, offset + limit)).toList();
        return Uni.join().all(calls).andFailFast().flatMap(ranked -> {
            long total = ranked.stream().mapToLong(Ranked::total).sum();
            List<Map.Entry<String, Double>> all = new ArrayList<>();
            ranked.forEach(r -> all.addAll(r.newest()));
            all.sort(Map.Entry.<String, Double>comparingByValue().reversed());
            List<String> ids = all.stream().skip(offset).limit(limit).map(Map.Entry::getKey).toList();
            return ids.isEmpty() ? Uni.createFrom().item(new DeadPage(total, List.of()))
                    : store.findAll(ids).map(jobs -> new DeadPage(total, jobs));
        });
    }

    /** The ids of the newest {@code limit} dead jobs of {@code queues}, newest death first. */
    public Uni<List<String>> newestIds(List<String> queues, int limit) {
        return Uni.join().all(queues.stream().map(queue -> ranked(queue, limit)).toList()).andFailFast()
                .map(ranked -> {
                    List<Map.Entry<String, Double>> all = new ArrayList<>();
                    ranked.forEach(r -> all.addAll(r.newest()));
                    all.sort(Map.Entry.<String, Double>comparingByValue().reversed());
                    return all.stream().limit(limit).map(Map.Entry::getKey).toList();
                });
    }

    private record Ranked(long total, List<Map.Entry<String, Double>> newest) {
    }

    /** How many jobs of one queue are dead, and its newest {@code count} deaths with their times. */
    private Uni<Ranked> ranked(String queue, int count) {
        RedisKeys keys = keyspace.queue(queue);
        List<Request> requests = new ArrayList<>();
        for (Priority p : PRIORITIES) {
            requests.add(Request.cmd(Command.ZCARD).arg(keys.dead(p)));
            requests.add(Request.cmd(Command.ZREVRANGE).arg(keys.dead(p)).arg(0).arg(Math.max(0, count - 1))
                    .arg("WITHSCORES"));
        }
        return Calls.guarded("deadJobs", timeout, redis.batch(requests)).map(replies -> {
            long total = 0;
            List<Map.Entry<String, Double>> newest = new ArrayList<>();
            for (int i = 0; i < PRIORITIES.length; i++) {
                total += replies.get(i * 2).toLong();
                if (count > 0) {
                    newest.addAll(Calls.scored(replies.get(i * 2 + 1)));
                }
            }
            return new Ranked(total, newest);
        });
    }

    /** Queues a dead job again with its attempts reset, without a deadline. @return false if the job is not dead */
    public Uni<Boolean> revive(String id) {
        return revive(id, NewJob.When.NONE);
    }

    /**
     * Queues a dead job again with its attempts reset and the deadline {@code expiresAt} ({@link NewJob.When#NONE}:
     * none; an expired job keeps no old deadline). @return false if the job is not dead
     */
    public Uni<Boolean> revive(String id, NewJob.When expiresAt) {
        RedisKeys keys = keyspace.ofJob(id);
        List<String> scriptKeys = new ArrayList<>(List.of(keys.job(id)));
        for (Priority p : PRIORITIES) {
            scriptKeys.add(keys.dead(p));
        }
        scriptKeys.addAll(keys.pendingKeys());
        scriptKeys.add(keys.signal());
        scriptKeys.add(keys.inboxes());
        return Calls.guarded("revive", timeout, REVIVE.run(redis, scriptKeys, List.of(keys.events(),
                store.pubsub().publishCommand(), id, store.inboxLogMillis(), expiresAt.arg())))
                .map(reply -> reply.toInteger() == 1);
    }

    /** Deletes a dead job. @return false if the job is not dead */
    public Uni<Boolean> forget(String id) {
        RedisKeys keys = keyspace.ofJob(id);
        List<String> scriptKeys = new ArrayList<>(List.of(keys.job(id)));
        for (Priority p : PRIORITIES) {
            scriptKeys.add(keys.dead(p));
        }
        return Calls.guarded("forget", timeout, FORGET.run(redis, scriptKeys, List.of(id)))
                .map(reply -> reply.toInteger() == 1);
    }

    /** Revives every dead job of {@code queues}, a chunk at a time. @return how many were queued again */
    public Uni<Long> reviveAll(List<String> queues) {
        return everyDead(queues, this::revive);
    }

    /** Deletes every dead job of {@code queues}, a chunk at a time. @return how many were deleted */
    public Uni<Long> forgetAll(List<String> queues) {
        return everyDead(queues, this::forget);
    }

    private Uni<Long> everyDead(List<String> queues, Function<String, Uni<Boolean>> action) {
        return newestIds(queues, CHUNK).flatMap(ids -> {
            if (ids.isEmpty()) {
                return Uni.createFrom().item(0L);
            }
            return Uni.join().all(ids.stream().map(action).toList()).andFailFast()
                    .map(done -> done.stream().filter(Boolean::booleanValue).count())
                    .flatMap(count -> count == 0 ? Uni.createFrom().item(0L)
                            : everyDead(queues, action).map(more -> count + more));
        });
    }
}
