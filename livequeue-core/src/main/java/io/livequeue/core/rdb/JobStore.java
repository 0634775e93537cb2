package io.livequeue.core.rdb;

import io.livequeue.core.Ids;
import io.livequeue.core.Job;
import io.livequeue.core.JobStatus;
import io.livequeue.core.Priority;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The job protocol: every command that moves a job through its life goes through here (keys in {@link RedisKeys},
 * scripts next to this class), so the protocol can be read and reviewed as one thing; operators' actions on dead jobs
 * are in {@link DeadLetters}, queues and their flow control in {@link Queues}. Every call touches one queue, so one
 * Cluster slot. A job costs two round trips end to end: {@code enqueue.lua}, and the {@code claim.lua} call in which
 * a busy worker records the outcome of its previous job and claims this one (a third when the job is the last before
 * the queue empties: its outcome is then recorded alone). A consumer with nothing to do blocks in a BRPOP on each
 * queue's wake-up list (one connection per queue); it sends one {@code heartbeat.lua} per queue a second, which also puts due retries and
 * expired leases back in line. Every operation fails with {@link StorageUnavailableException} when Redis cannot
 * answer within the timeout.
 */
public class JobStore {

    private static final LuaScript ENQUEUE = LuaScript.load("enqueue.lua", true);
    private static final LuaScript CLAIM = LuaScript.load("claim.lua", true);
    private static final LuaScript HEARTBEAT = LuaScript.load("heartbeat.lua", true);
    private static final LuaScript CANCEL = LuaScript.load("cancel.lua", true);
    private static final LuaScript PROGRESS = LuaScript.load("progress.lua", true);
    private static final Priority[] PRIORITIES = Priority.values();

    private final Redis redis;
    private final Keyspace keyspace;
    private final Duration timeout;
    private final PubSub pubsub;
    private int waitForReplicas;
    private String inboxLogMillis = "30000";

    public JobStore(Redis redis, Keyspace keyspace, Duration timeout, PubSub pubsub) {
        this.redis = redis;
        this.keyspace = keyspace;
        this.timeout = timeout;
        this.pubsub = pubsub;
    }

    public Keyspace keyspace() {
        return keyspace;
    }

    /**
     * From now on {@link #enqueue} succeeds only once {@code replicas} replicas have the new jobs (WAIT, at most half
     * the timeout); see {@code livequeue.redis.wait-for-replicas}. 0: do not wait.
     */
    public JobStore waitForReplicas(int replicas) {
        this.waitForReplicas = Math.max(0, replicas);
        return this;
    }

    /** How long each queue's inbox log keeps an entry (see {@link InboxLog}); zero keeps none. */
    public JobStore inboxLog(Duration keep) {
        this.inboxLogMillis = Long.toString(Math.max(0, keep.toMillis()));
        return this;
    }

    String inboxLogMillis() {
        return inboxLogMillis;
    }

    public PubSub pubsub() {
        return pubsub;
    }

    /**
     * Stores the jobs in {@code queue} and queues them, all or none, in one round trip.
     *
     * @return the creation time (Redis clock, epoch ms) of the jobs
     * @throws QueueFullException (as the failure) when the jobs would take the queue's waiting count over
     *         {@code maxWaiting}
     */
    public Uni<Long> enqueue(String queue, List<NewJob> jobs, long maxWaiting) {
        return enqueue(queue, jobs, maxWaiting, null, Duration.ZERO).map(Enqueued::createdAt);
    }

    /**
     * Like {@link #enqueue(String, List, long)}, remembering {@code idempotencyDigest} (a digest of the request's
     * Idempotency-Key) in the queue for {@code ttl}: a later request with the same digest stores nothing and is told
     * the ids of the first one. The check and the store are one atomic step, so concurrent duplicates are safe.
     */
    public Uni<Enqueued> enqueue(String queue, List<NewJob> jobs, long maxWaiting, String idempotencyDigest,
            Duration ttl) {
        return enqueue(queue, jobs, maxWaiting, null, idempotencyDigest == null ? null
                : new Idempotency(idempotencyDigest, ttl, "-"));
    }

    /**
     * What an enqueue remembers of an idempotent request: under {@code digest} (of the owner, the endpoint and the
     * client's key) for {@code ttl}, with the request's {@code fingerprint} (a digest of its body, no spaces) so a
     * reuse of the key for another request can be told apart.
     */
    public record Idempotency(String digest, Duration ttl, String fingerprint) {
    }

    /**
     * Stores {@code jobs} as {@code owner}'s (null: the anonymous caller) in one atomic step, unless the queue's
     * waiting jobs (pending and waiting to retry) would exceed {@code maxWaiting} or {@code idempotency} names a
     * request seen before, whose receipt is then returned ({@link Enqueued#replayed}).
     *
     * @throws QueueFullException (as the failure) when the queue has no room for them
     */
    public Uni<Enqueued> enqueue(String queue, List<NewJob> jobs, long maxWaiting, String owner,
            Idempotency idempotency) {
        RedisKeys keys = keyspace.queue(queue);
        boolean idempotent = idempotency != null && !idempotency.ttl().isZero();
        List<String> scriptKeys = new ArrayList<>(10 + jobs.size());
        scriptKeys.addAll(keys.pendingKeys());
        scriptKeys.add(keys.signal());
        scriptKeys.add(keys.idempotency(idempotent ? idempotency.digest() : "none"));
        scriptKeys.add(keys.inboxes());
        for (Priority priority : Priority.values()) {
            scriptKeys.add(keys.retry(priority));
        }
        scriptKeys.add(keys.scheduled());
        List<String> args = new ArrayList<>(7 + jobs.size() * 8);
        args.add(keys.events());
        args.add(pubsub.publishCommand());
        args.add(Long.toString(Math.max(0, maxWaiting)));
        args.add(idempotent ? Long.toString(idempotency.ttl().toMillis()) : "0");
        args.add(inboxLogMillis);
        args.add(owner == null || Job.ANONYMOUS.equals(owner) ? "" : owner);
        args.add(idempotent ? idempotency.fingerprint() : "");
        for (NewJob job : jobs) {
            validate(job, queue);
            scriptKeys.add(keys.job(job.id()));
            args.add(job.id());
            args.add(job.type());
            args.add(Integer.toString(job.priority().ordinal() + 1));
            args.add(Integer.toString(job.maxAttempts()));
            args.add(job.payload() == null ? "" : job.payload());
            args.add(job.replyTo() == null ? "" : job.replyTo());
            args.add(job.runAt().arg());
            args.add(job.expiresAt().arg());
        }
        Uni<Response> stored = waitForReplicas == 0 ? ENQUEUE.run(redis, scriptKeys, args)
                : ENQUEUE.runReplicated(redis, scriptKeys, args, waitForReplicas, Math.max(1, timeout.toMillis() / 2));
        return guarded("enqueue", stored).map(reply -> switch (reply.get(0).toInteger()) {
            case 0 -> throw new QueueFullException(reply.get(1).toLong());
            case 2 -> Enqueued.replay(reply.get(1).toString());
            default -> new Enqueued(reply.get(1).toLong(), null);
        });
    }

    /**
     * Finds several jobs, one pipelined round trip per queue (the queues' batches run at once); absent ones are left
     * out, the others come in the order asked.
     */
    public Uni<List<Job>> findAll(List<String> ids) {
        Map<String, List<String>> byQueue = new LinkedHashMap<>();
        ids.forEach(id -> byQueue.computeIfAbsent(Ids.queueOf(id), q -> new ArrayList<>()).add(id));
        if (byQueue.size() == 1) {
            return findInQueue(ids);
        }
        List<Uni<List<Job>>> calls = byQueue.values().stream().map(this::findInQueue).toList();
        return Uni.join().all(calls).andFailFast().map(found -> {
            Map<String, Job> byId = new LinkedHashMap<>();
            found.forEach(jobs -> jobs.forEach(job -> byId.put(job.id(), job)));
            return ids.stream().map(byId::get).filter(java.util.Objects::nonNull).toList();
        });
    }

    private Uni<List<Job>> findInQueue(List<String> ids) {
        if (ids.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        List<Request> requests = ids.stream().map(id -> Request.cmd(Command.HGETALL).arg(keyspace.ofJob(id).job(id)))
                .toList();
        return guarded("findAll", redis.batch(requests)).map(replies -> replies.stream().map(Calls::toMap)
                .filter(hash -> !hash.isEmpty()).map(Job::fromHash).toList());
    }

    public Uni<Optional<Job>> find(String id) {
        return guarded("find", redis.send(Request.cmd(Command.HGETALL).arg(keyspace.ofJob(id).job(id))))
                .map(reply -> {
                    Map<String, String> hash = Calls.toMap(reply);
                    return hash.isEmpty() ? Optional.empty() : Optional.of(Job.fromHash(hash));
                });
    }

    /**
     * Takes the next job of {@code queue} in priority order and makes it active under a lease, publishing the change.
     *
     * @return the claimed job, or a null item when the queue is empty (or its flow control holds its jobs back)
     */
    public Uni<ClaimedJob> claim(String queue, String consumerId, Duration lease, Duration retention) {
        return finishAndClaim(queue, List.of(), consumerId, lease, retention, 1)
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
        return finishAndClaim(job.queue(), List.of(finished), "", Duration.ZERO, retention, 0)
                .map(turn -> turn.recorded().get(0));
    }

    /**
     * Records the outcomes of finished attempts of jobs of {@code queue} (see {@link #finish}) and claims up to
     * {@code claim} next jobs of it for {@code consumerId}, all in one round trip. The queue's flow control (pause,
     * concurrency and rate limits) decides how many it may claim; {@link Turn#throttle()} says why fewer came.
     */
    public Uni<Turn> finishAndClaim(String queue, List<Finished> outcomes, String consumerId, Duration lease,
            Duration retention, int claim) {
        RedisKeys keys = keyspace.queue(queue);
        List<String> scriptKeys = new ArrayList<>(keys.claimKeys().size() + outcomes.size());
        scriptKeys.addAll(keys.claimKeys());
        List<String> args = new ArrayList<>(7 + outcomes.size() * 6);
        args.addAll(List.of(keys.events(), pubsub.publishCommand(), keys.jobPrefix(), consumerId,
                Long.toString(lease.toMillis()), Long.toString(retention.toMillis()), Integer.toString(claim)));
        for (Finished done : outcomes) {
            if (!queue.equals(done.job().queue())) {
                throw new IllegalArgumentException("job " + done.job().id() + " is not of queue " + queue);
            }
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
            List<ClaimedJob> claimed = new ArrayList<>(reply.size() - 4);
            for (int i = 4; i < reply.size(); i++) {
                Response job = reply.get(i);
                claimed.add(new ClaimedJob(job.get(0).toString(), job.get(1).toString(),
                        PRIORITIES[job.get(2).toInteger() - 1], job.get(3).toInteger(), job.get(4).toInteger(),
                        Calls.emptyToNull(job.get(5).toString()), Calls.emptyToNull(job.get(6).toString()),
                        job.get(7).toString(), job.get(8).toLong(), now));
            }
            return new Turn(now, recorded, claimed, reply.get(2).toLong(), reply.get(3).toLong());
        });
    }

    /**
     * A consumer's heartbeat in one queue: marks it alive and extends the lease of each job of the queue it still
     * holds; then puts the queue's due retries and jobs whose lease ran out back in line (the latter dead if no
     * attempt is left, kept for {@code retention}).
     */
    public Uni<Heartbeat> heartbeat(String queue, String consumerId, List<ClaimedJob> running, Duration lease,
            Duration forgetAfter, Duration retention) {
        RedisKeys keys = keyspace.queue(queue);
        List<String> args = new ArrayList<>(7 + running.size() * 3);
        args.addAll(List.of(keys.events(), pubsub.publishCommand(), keys.jobPrefix(), consumerId,
                Long.toString(lease.toMillis()), Long.toString(forgetAfter.toMillis()),
                Long.toString(retention.toMillis())));
        for (ClaimedJob job : running) {
            if (queue.equals(job.queue())) {
                args.add(Integer.toString(job.priority().ordinal() + 1));
                args.add(job.id());
                args.add(job.claim());
            }
        }
        return guarded("heartbeat", HEARTBEAT.run(redis, keys.heartbeatKeys(), args)).map(reply -> {
            Response taken = reply.get(2);
            List<Heartbeat.Reclaimed> reclaimed = new ArrayList<>(taken.size() / 2);
            for (int i = 0; i + 1 < taken.size(); i += 2) {
                reclaimed.add(new Heartbeat.Reclaimed(queue, taken.get(i).toString(),
                        PRIORITIES[taken.get(i + 1).toInteger() - 1]));
            }
            List<String> cancelled = new ArrayList<>();
            reply.get(3).forEach(id -> cancelled.add(id.toString()));
            return new Heartbeat(reply.get(0).toInteger(), reply.get(1).toInteger(), reclaimed, cancelled,
                    reply.get(4).toLong());
        });
    }

    /** What {@link #cancel} did. */
    public enum Cancelled {
        /** There is no such job (or it expired). */
        NOT_FOUND,
        /** It was waiting (queued, scheduled, or waiting to retry) and is cancelled now: it never runs. */
        CANCELLED,
        /** It runs: its consumer was told; the attempt ends cancelled, or completed if it finished first. */
        REQUESTED,
        /** It had a final status already (or one this version does not know): nothing changed. */
        FINISHED
    }

    /**
     * Cancels a job (see {@code cancel.lua}): a waiting one at once, atomically; a running one by telling its consumer
     * over the queue's cancel channel (and its next heartbeat, should that message be missed).
     */
    public Uni<Cancelled> cancel(String id, Duration retention) {
        RedisKeys keys = keyspace.ofJob(id);
        List<String> scriptKeys = new ArrayList<>(8);
        scriptKeys.add(keys.job(id));
        scriptKeys.addAll(keys.pendingKeys());
        scriptKeys.add(keys.scheduled());
        for (Priority priority : PRIORITIES) {
            scriptKeys.add(keys.retry(priority));
        }
        return guarded("cancel", CANCEL.run(redis, scriptKeys, List.of(keys.events(), pubsub.publishCommand(), id,
                Long.toString(retention.toMillis()), keys.cancels()))).map(reply -> switch (reply.get(0).toInteger()) {
                    case 0 -> Cancelled.NOT_FOUND;
                    case 1 -> Cancelled.CANCELLED;
                    case 2 -> Cancelled.REQUESTED;
                    default -> Cancelled.FINISHED;
                });
    }

    /**
     * Records a running attempt's progress ({@code progressJson}: {@code {"percent":n,"data":…}}) and publishes
     * {@code eventJson} (the job event without {@code v}) with a version of its own.
     *
     * @return false when the claim was lost (the attempt has ended or was taken back): nothing was recorded
     */
    public Uni<Boolean> progress(ClaimedJob job, String progressJson, String eventJson) {
        RedisKeys keys = keyspace.ofJob(job.id());
        return guarded("progress", PROGRESS.run(redis, List.of(keys.job(job.id())), List.of(keys.events(),
                pubsub.publishCommand(), job.claim(), progressJson, eventJson))).map(reply -> reply.toInteger() == 1);
    }

    /**
     * The ids of {@code queue}'s scheduled jobs from the {@code offset}-th earliest, at most {@code limit}, with their due
     * times, and how many are scheduled in all.
     */
    public Uni<ScheduledPage> scheduled(String queue, int offset, int limit) {
        RedisKeys keys = keyspace.queue(queue);
        List<Request> requests = List.of(Request.cmd(Command.ZCARD).arg(keys.scheduled()),
                Request.cmd(Command.ZRANGE).arg(keys.scheduled()).arg(offset).arg(offset + Math.max(1, limit) - 1)
                        .arg("WITHSCORES"));
        return guarded("scheduled", redis.batch(requests)).flatMap(replies -> {
            List<Map.Entry<String, Double>> due = Calls.scored(replies.get(1));
            List<String> ids = due.stream().map(Map.Entry::getKey).toList();
            long total = replies.get(0).toLong();
            return ids.isEmpty() ? Uni.createFrom().item(new ScheduledPage(total, List.of()))
                    : findAll(ids).map(jobs -> new ScheduledPage(total, jobs));
        });
    }

    /** A page of scheduled jobs, earliest due first, and how many a queue has in all. */
    public record ScheduledPage(long total, List<Job> jobs) {
    }

    /**
     * Blocks until wake-up markers of {@code queue} arrive, or {@code wait} passes, and takes up to {@code max} of them
     * (BLMPOP). Runs on {@code blockingRedis}, a client whose pool holds one waiting connection per listened queue, so
     * waiting never starves other commands.
     *
     * @return the markers taken, none when the wait ended without one
     */
    public Uni<List<String>> awaitWork(Redis blockingRedis, String queue, Duration wait, int max) {
        Request pop = Request.cmd(Command.BLMPOP).arg(wait.toMillis() / 1000.0).arg(1)
                .arg(keyspace.queue(queue).signal()).arg("RIGHT").arg("COUNT").arg(Math.max(1, max));
        return blockingRedis.send(pop)
                .ifNoItem().after(wait.plus(timeout)).failWith(() -> Calls.unavailable("awaitWork", timeout, null))
                .onFailure(e -> !(e instanceof StorageUnavailableException))
                .transform(e -> Calls.unavailable("awaitWork", timeout, e))
                .map(reply -> {
                    List<String> markers = new ArrayList<>();
                    if (reply != null && reply.size() == 2 && reply.get(1) != null) {
                        reply.get(1).forEach(marker -> markers.add(marker.toString()));
                    }
                    return markers;
                });
    }

    private static void validate(NewJob job, String queue) {
        if (!Ids.isJobId(job.id()) || !queue.equals(Ids.queueOf(job.id())) || !Ids.isJobType(job.type())
                || (job.replyTo() != null && !Ids.isInboxId(job.replyTo()))) {
            throw new IllegalArgumentException("not a valid job of queue " + queue + ": " + job);
        }
    }

    private <T> Uni<T> guarded(String operation, Uni<T> call) {
        return Calls.guarded(operation, timeout, call);
    }
}
