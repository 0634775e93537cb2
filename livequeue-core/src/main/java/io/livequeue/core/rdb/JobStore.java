package io.livequeue.core.rdb;

import io.livequeue.core.Ids;
import io.livequeue.core.Job;
import io.livequeue.core.JobStatus;
import io.livequeue.core.Priority;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import io.vertx.mutiny.redis.client.Command;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The storage protocol: every command livequeue sends to Redis goes through here (keys in {@link RedisKeys}, scripts
 * next to this class), so the whole protocol can be read and reviewed as one thing. A job costs two round trips
 * end to end: {@code enqueue.lua}, and the {@code claim.lua} call in which a busy worker records the outcome of its
 * previous job and claims this one (a third when the job is the last before the queue empties: its outcome is then
 * recorded alone). A worker with nothing to do blocks in a BRPOP on the wake-up list; each consumer sends one
 * {@code heartbeat.lua} a second, which also puts due retries and expired leases back in line.
 * Every operation fails with {@link StorageUnavailableException} when Redis cannot answer within the timeout.
 */
public class JobStore {

    private static final LuaScript ENQUEUE = LuaScript.load("enqueue.lua", true);
    private static final LuaScript CLAIM = LuaScript.load("claim.lua", true);
    private static final LuaScript HEARTBEAT = LuaScript.load("heartbeat.lua", true);
    private static final LuaScript REVIVE = LuaScript.load("revive.lua", true);
    private static final LuaScript FORGET = LuaScript.load("forget.lua", false);
    private static final int DEAD_CHUNK = 500;
    private static final Priority[] PRIORITIES = Priority.values();

    private final Redis redis;
    private final RedisKeys keys;
    private final Duration timeout;
    private final PubSub pubsub;
    private final List<String> pendingKeys = new ArrayList<>();
    private final List<String> claimKeys = new ArrayList<>();
    private final List<String> heartbeatKeys = new ArrayList<>();
    private int waitForReplicas;

    public JobStore(Redis redis, RedisKeys keys, Duration timeout) {
        this(redis, keys, timeout, PubSub.PLAIN);
    }

    public JobStore(Redis redis, RedisKeys keys, Duration timeout, PubSub pubsub) {
        this.redis = redis;
        this.keys = keys;
        this.timeout = timeout;
        this.pubsub = pubsub;
        for (Priority p : PRIORITIES) {
            pendingKeys.add(keys.pending(p));
        }
        claimKeys.addAll(pendingKeys);
        for (Priority p : PRIORITIES) {
            claimKeys.add(keys.active(p));
        }
        for (Priority p : PRIORITIES) {
            claimKeys.add(keys.retry(p));
        }
        for (Priority p : PRIORITIES) {
            claimKeys.add(keys.dead(p));
        }
        claimKeys.add(keys.signal());
        heartbeatKeys.add(keys.consumers());
        heartbeatKeys.addAll(claimKeys);
    }

    public RedisKeys keys() {
        return keys;
    }

    /**
     * From now on {@link #enqueue} succeeds only once {@code replicas} replicas have the new jobs (WAIT, at most half
     * the timeout); see {@code livequeue.redis.wait-for-replicas}. 0: do not wait.
     */
    public JobStore waitForReplicas(int replicas) {
        this.waitForReplicas = Math.max(0, replicas);
        return this;
    }

    public PubSub pubsub() {
        return pubsub;
    }

    /**
     * Stores the jobs and queues them, all or none, in one round trip.
     *
     * @return the creation time (Redis clock, epoch ms) of the jobs
     * @throws QueueFullException (as the failure) when the jobs would take the waiting count over {@code maxWaiting}
     */
    public Uni<Long> enqueue(List<NewJob> jobs, long maxWaiting) {
        return enqueue(jobs, maxWaiting, null, Duration.ZERO).map(Enqueued::createdAt);
    }

    /**
     * Like {@link #enqueue(List, long)}, remembering {@code idempotencyKey} (a key name from
     * {@link RedisKeys#idempotency}) for {@code ttl}: a later request with the same key stores nothing and is told
     * the ids of the first one. The check and the store are one atomic step, so concurrent duplicates are safe.
     */
    public Uni<Enqueued> enqueue(List<NewJob> jobs, long maxWaiting, String idempotencyKey, Duration ttl) {
        boolean idempotent = idempotencyKey != null && !ttl.isZero();
        List<String> scriptKeys = new ArrayList<>(5 + jobs.size());
        scriptKeys.addAll(pendingKeys);
        scriptKeys.add(keys.signal());
        scriptKeys.add(idempotent ? idempotencyKey : keys.idempotency("none"));
        List<String> args = new ArrayList<>(4 + jobs.size() * 6);
        args.add(keys.events());
        args.add(pubsub.publishCommand());
        args.add(Long.toString(Math.max(0, maxWaiting)));
        args.add(idempotent ? Long.toString(ttl.toMillis()) : "0");
        for (NewJob job : jobs) {
            validate(job);
            scriptKeys.add(keys.job(job.id()));
            args.add(job.id());
            args.add(job.type());
            args.add(Integer.toString(job.priority().ordinal() + 1));
            args.add(Integer.toString(job.maxAttempts()));
            args.add(job.payload() == null ? "" : job.payload());
            args.add(job.replyTo() == null ? "" : job.replyTo());
        }
        Uni<Response> stored = waitForReplicas == 0 ? ENQUEUE.run(redis, scriptKeys, args)
                : ENQUEUE.runReplicated(redis, scriptKeys, args, waitForReplicas, Math.max(1, timeout.toMillis() / 2));
        return guarded("enqueue", stored).map(reply -> switch (reply.get(0).toInteger()) {
            case 0 -> throw new QueueFullException(reply.get(1).toLong());
            case 2 -> new Enqueued(0, List.of(reply.get(1).toString().split(",")));
            default -> new Enqueued(reply.get(1).toLong(), null);
        });
    }

    /** Finds several jobs in one pipelined round trip; absent ones are left out. */
    public Uni<List<Job>> findAll(List<String> ids) {
        List<Request> requests = ids.stream().map(id -> Request.cmd(Command.HGETALL).arg(keys.job(id))).toList();
        return guarded("findAll", redis.batch(requests)).map(replies -> replies.stream().map(JobStore::toMap)
                .filter(hash -> !hash.isEmpty()).map(Job::fromHash).toList());
    }

    public Uni<Optional<Job>> find(String id) {
        return guarded("find", redis.send(Request.cmd(Command.HGETALL).arg(keys.job(id))))
                .map(reply -> {
                    Map<String, String> hash = toMap(reply);
                    return hash.isEmpty() ? Optional.empty() : Optional.of(Job.fromHash(hash));
                });
    }

    /** Waiting, active and dead counts of every priority, in one pipelined round trip. */
    public Uni<Map<Priority, QueueCounts>> counts() {
        List<Request> requests = new ArrayList<>();
        for (Priority p : PRIORITIES) {
            requests.add(Request.cmd(Command.LLEN).arg(keys.pending(p)));
            requests.add(Request.cmd(Command.ZCARD).arg(keys.active(p)));
            requests.add(Request.cmd(Command.ZCARD).arg(keys.dead(p)));
        }
        return guarded("counts", redis.batch(requests)).map(replies -> {
            Map<Priority, QueueCounts> counts = new EnumMap<>(Priority.class);
            for (Priority p : PRIORITIES) {
                int i = p.ordinal() * 3;
                counts.put(p, new QueueCounts(replies.get(i).toLong(), replies.get(i + 1).toLong(),
                        replies.get(i + 2).toLong()));
            }
            return counts;
        });
    }

    /** A page of dead jobs, newest death first across all priorities, and how many there are in all. */
    public Uni<DeadPage> deadJobs(int offset, int limit) {
        List<Request> requests = new ArrayList<>();
        for (Priority p : PRIORITIES) {
            requests.add(Request.cmd(Command.ZCARD).arg(keys.dead(p)));
            requests.add(Request.cmd(Command.ZREVRANGE).arg(keys.dead(p)).arg(0).arg(offset + limit - 1)
                    .arg("WITHSCORES"));
        }
        return guarded("deadJobs", redis.batch(requests)).flatMap(replies -> {
            long total = 0;
            List<Map.Entry<String, Double>> all = new ArrayList<>();
            for (int i = 0; i < PRIORITIES.length; i++) {
                total += replies.get(i * 2).toLong();
                Response range = replies.get(i * 2 + 1);
                for (int j = 0; j < range.size(); j++) {
                    Response entry = range.get(j);
                    if (entry.size() == 2) { // RESP3: [member, score] pairs
                        all.add(Map.entry(entry.get(0).toString(), entry.get(1).toDouble()));
                    } else { // RESP2: member, score, member, score …
                        all.add(Map.entry(entry.toString(), range.get(++j).toDouble()));
                    }
                }
            }
            all.sort(Map.Entry.<String, Double>comparingByValue().reversed());
            List<String> ids = all.stream().skip(offset).limit(limit).map(Map.Entry::getKey).toList();
            long count = total;
            return ids.isEmpty() ? Uni.createFrom().item(new DeadPage(count, List.of()))
                    : findAll(ids).map(jobs -> new DeadPage(count, jobs));
        });
    }

    /** Queues a dead job again with its attempts reset. @return false if the job is not dead */
    public Uni<Boolean> revive(String id) {
        List<String> scriptKeys = new ArrayList<>(List.of(keys.job(id)));
        for (Priority p : PRIORITIES) {
            scriptKeys.add(keys.dead(p));
        }
        scriptKeys.addAll(pendingKeys);
        scriptKeys.add(keys.signal());
        return guarded("revive", REVIVE.run(redis, scriptKeys, List.of(keys.events(), pubsub.publishCommand(), id)))
                .map(reply -> reply.toInteger() == 1);
    }

    /** Deletes a dead job. @return false if the job is not dead */
    public Uni<Boolean> forget(String id) {
        List<String> scriptKeys = new ArrayList<>(List.of(keys.job(id)));
        for (Priority p : PRIORITIES) {
            scriptKeys.add(keys.dead(p));
        }
        return guarded("forget", FORGET.run(redis, scriptKeys, List.of(id))).map(reply -> reply.toInteger() == 1);
    }

    /** Revives every dead job, a chunk at a time. @return how many were queued again */
    public Uni<Long> reviveAll() {
        return everyDead(this::revive);
    }

    /** Deletes every dead job, a chunk at a time. @return how many were deleted */
    public Uni<Long> forgetAll() {
        return everyDead(this::forget);
    }

    private Uni<Long> everyDead(java.util.function.Function<String, Uni<Boolean>> action) {
        List<Request> requests = new ArrayList<>();
        for (Priority p : PRIORITIES) {
            requests.add(Request.cmd(Command.ZRANGE).arg(keys.dead(p)).arg(0).arg(DEAD_CHUNK - 1));
        }
        return guarded("deadIds", redis.batch(requests)).flatMap(replies -> {
            List<String> ids = new ArrayList<>();
            replies.forEach(range -> range.forEach(id -> ids.add(id.toString())));
            if (ids.isEmpty()) {
                return Uni.createFrom().item(0L);
            }
            return Uni.join().all(ids.stream().map(action).toList()).andFailFast()
                    .map(done -> done.stream().filter(Boolean::booleanValue).count())
                    .flatMap(count -> count == 0 ? Uni.createFrom().item(0L) : everyDead(action).map(more -> count + more));
        });
    }

    /**
     * Takes the next job in priority order and makes it active under a lease, publishing the change.
     *
     * @return the claimed job, or a null item when every queue is empty
     */
    public Uni<ClaimedJob> claim(String consumerId, Duration lease, Duration retention) {
        return finishAndClaim(List.of(), consumerId, lease, retention, 1)
                .map(turn -> turn.claimed().isEmpty() ? null : turn.claimed().get(0));
    }

    /**
     * Records the outcome of an attempt and publishes {@code eventJson}. {@code FAILED} queues the job again after
     * {@code retryDelay}; {@code QUEUED} hands the attempt back uncounted; finished jobs expire after
     * {@code retention}.
     *
     * @return false when the claim was lost (the job was reclaimed) and nothing was recorded
     */
    public Uni<Boolean> finish(ClaimedJob job, JobStatus outcome, String rawResult, String error, String eventJson,
            Duration retention, Duration retryDelay) {
        Finished finished = new Finished(job, outcome, rawResult, error, eventJson, retryDelay);
        return finishAndClaim(List.of(finished), "", Duration.ZERO, retention, 0)
                .map(turn -> turn.recorded().get(0));
    }

    /**
     * Records the outcomes of finished attempts (see {@link #finish}) and claims up to {@code claim} next jobs for
     * {@code consumerId}, all in one round trip.
     */
    public Uni<Turn> finishAndClaim(List<Finished> outcomes, String consumerId, Duration lease, Duration retention,
            int claim) {
        List<String> scriptKeys = new ArrayList<>(claimKeys.size() + outcomes.size());
        scriptKeys.addAll(claimKeys);
        List<String> args = new ArrayList<>(7 + outcomes.size() * 6);
        args.addAll(List.of(keys.events(), pubsub.publishCommand(), keys.jobPrefix(), consumerId,
                Long.toString(lease.toMillis()), Long.toString(retention.toMillis()), Integer.toString(claim)));
        for (Finished done : outcomes) {
            scriptKeys.add(keys.job(done.job().id()));
            args.add(done.job().claim());
            args.add(done.status().wireName());
            args.add(done.rawResult() == null ? "" : done.rawResult());
            args.add(done.error() == null ? "" : done.error());
            args.add(done.eventJson());
            args.add(Long.toString(done.retryDelay().toMillis()));
        }
        return guarded(outcomes.isEmpty() ? "claim" : "finish", CLAIM.run(redis, scriptKeys, args)).map(reply -> {
            long now = reply.get(0).toLong();
            List<Boolean> recorded = new ArrayList<>(outcomes.size());
            reply.get(1).forEach(flag -> recorded.add(flag.toInteger() == 1));
            List<ClaimedJob> claimed = new ArrayList<>(reply.size() - 2);
            for (int i = 2; i < reply.size(); i++) {
                Response job = reply.get(i);
                claimed.add(new ClaimedJob(job.get(0).toString(), job.get(1).toString(),
                        PRIORITIES[job.get(2).toInteger() - 1], job.get(3).toInteger(), job.get(4).toInteger(),
                        emptyToNull(job.get(5).toString()), emptyToNull(job.get(6).toString()),
                        job.get(7).toString(), job.get(8).toLong(), now));
            }
            return new Turn(now, recorded, claimed);
        });
    }

    /**
     * A consumer's heartbeat: marks it alive and extends the lease of each job it still holds; then puts due retries
     * and jobs whose lease ran out back in line (the latter dead if no attempt is left, kept for {@code retention}).
     */
    public Uni<Heartbeat> heartbeat(String consumerId, List<ClaimedJob> running, Duration lease, Duration forgetAfter,
            Duration retention) {
        List<String> args = new ArrayList<>(7 + running.size() * 3);
        args.addAll(List.of(keys.events(), pubsub.publishCommand(), keys.jobPrefix(), consumerId,
                Long.toString(lease.toMillis()), Long.toString(forgetAfter.toMillis()),
                Long.toString(retention.toMillis())));
        for (ClaimedJob job : running) {
            args.add(Integer.toString(job.priority().ordinal() + 1));
            args.add(job.id());
            args.add(job.claim());
        }
        return guarded("heartbeat", HEARTBEAT.run(redis, heartbeatKeys, args)).map(reply -> {
            Response taken = reply.get(2);
            List<Heartbeat.Reclaimed> reclaimed = new ArrayList<>(taken.size() / 2);
            for (int i = 0; i + 1 < taken.size(); i += 2) {
                reclaimed.add(new Heartbeat.Reclaimed(taken.get(i).toString(),
                        PRIORITIES[taken.get(i + 1).toInteger() - 1]));
            }
            return new Heartbeat(reply.get(0).toInteger(), reply.get(1).toInteger(), reclaimed);
        });
    }

    /**
     * Blocks until a new job is signalled or {@code wait} passes. Runs on {@code blockingRedis}, a client whose pool
     * is sized for one waiting connection per worker, so waiting never starves other commands.
     */
    public Uni<Void> awaitWork(Redis blockingRedis, Duration wait) {
        Request brpop = Request.cmd(Command.BRPOP).arg(keys.signal()).arg(wait.toMillis() / 1000.0);
        return blockingRedis.send(brpop)
                .ifNoItem().after(wait.plus(timeout)).failWith(() -> unavailable("awaitWork", null))
                .onFailure(e -> !(e instanceof StorageUnavailableException))
                .transform(e -> unavailable("awaitWork", e))
                .replaceWithVoid();
    }

    /** Appends to a capped list; used by the recording SMS provider. */
    public Uni<Void> record(String listKey, String entry, int keep) {
        return guarded("record", redis.batch(List.of(Request.cmd(Command.LPUSH).arg(listKey).arg(entry),
                Request.cmd(Command.LTRIM).arg(listKey).arg(0).arg(keep - 1)))).replaceWithVoid();
    }

    private static void validate(NewJob job) {
        if (!Ids.isJobId(job.id()) || !Ids.isJobType(job.type())
                || (job.replyTo() != null && !Ids.isInboxId(job.replyTo()))) {
            throw new IllegalArgumentException("not a valid job: " + job);
        }
    }

    private <T> Uni<T> guarded(String operation, Uni<T> call) {
        return call.ifNoItem().after(timeout).failWith(() -> unavailable(operation, null))
                .onFailure(e -> !(e instanceof StorageUnavailableException || e instanceof QueueFullException))
                .transform(e -> unavailable(operation, e));
    }

    private StorageUnavailableException unavailable(String operation, Throwable cause) {
        String why = cause == null ? "no answer within " + timeout.toMillis() + " ms" : String.valueOf(cause.getMessage());
        boolean neverSent = cause instanceof java.net.ConnectException
                || (cause != null && cause.getCause() instanceof java.net.ConnectException);
        return new StorageUnavailableException("Redis " + operation + " failed: " + why, cause, !neverSent);
    }

    static Map<String, String> toMap(Response reply) {
        Map<String, String> map = new HashMap<>();
        if (reply == null) {
            return map;
        }
        for (String key : reply.getKeys()) {
            Response value = reply.get(key);
            map.put(key, value == null ? null : value.toString());
        }
        return map;
    }

    private static String emptyToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }
}
