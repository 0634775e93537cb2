package io.livequeue.core.rdb;

import io.livequeue.core.Priority;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Read-only views of the queues for operators (as asynq's inspector): who is alive and what each consumer is working
 * on, scheduled retries, jobs scheduled for later, a job's raw document (dead jobs are read through
 * {@link DeadLetters}). Nothing here changes Redis, so a dashboard can call it every second without touching the job protocol in {@link JobStore}; every view
 * is one or two pipelined round trips per queue, the queues' at once (the Redis clock is asked apart, as a keyless
 * command), and fails with {@link StorageUnavailableException} when Redis does not answer in time.
 */
public class Inspector {

    private static final Priority[] PRIORITIES = Priority.values();
    private static final int MAX_CONSUMERS = 1000;

    private final Redis redis;
    private final Keyspace keyspace;
    private final Duration timeout;

    public Inspector(Redis redis, Keyspace keyspace, Duration timeout) {
        this.redis = redis;
        this.keyspace = keyspace;
        this.timeout = timeout;
    }

    /**
     * The consumers of {@code queues}, most recent heartbeat first, each with the active jobs it holds (at most
     * {@code maxJobs} active jobs are looked at per queue, oldest lease first per priority).
     */
    public Uni<ConsumersView> consumers(List<String> queues, int maxJobs) {
        // TIME has no key: on Redis Cluster it may not share a batch with a queue's slot, so it goes on its own
        Uni<Response> time = guarded("time", redis.send(Request.cmd(Command.TIME)));
        Uni<List<QueueConsumers>> perQueue = Uni.join().all(queues.stream().map(q -> consumers(q, maxJobs)).toList())
                .andFailFast();
        return Uni.combine().all().unis(time, perQueue).asTuple().map(both -> {
            Response clock = both.getItem1();
            long now = clock.get(0).toLong() * 1000 + clock.get(1).toLong() / 1000;
            Map<String, Long> beats = new LinkedHashMap<>();
            Map<String, List<InFlightJob>> held = new LinkedHashMap<>();
            for (QueueConsumers queue : both.getItem2()) {
                queue.beats().forEach((id, beat) -> beats.merge(id, beat, Math::max));
                queue.held().forEach((id, jobs) -> held.computeIfAbsent(id, c -> new ArrayList<>()).addAll(jobs));
            }
            List<Map.Entry<String, Long>> sorted = new ArrayList<>(beats.entrySet());
            sorted.sort(Map.Entry.<String, Long>comparingByValue().reversed());
            Map<String, Long> ordered = new LinkedHashMap<>();
            sorted.forEach(e -> ordered.put(e.getKey(), e.getValue()));
            return view(now, ordered, held);
        });
    }

    private record QueueConsumers(Map<String, Long> beats, Map<String, List<InFlightJob>> held) {
    }

    private Uni<QueueConsumers> consumers(String queue, int maxJobs) {
        RedisKeys keys = keyspace.queue(queue);
        List<Request> requests = new ArrayList<>();
        requests.add(Request.cmd(Command.ZREVRANGE).arg(keys.consumers()).arg(0).arg(MAX_CONSUMERS - 1)
                .arg("WITHSCORES"));
        for (Priority p : PRIORITIES) {
            requests.add(Request.cmd(Command.ZRANGE).arg(keys.active(p)).arg(0).arg(Math.max(0, maxJobs - 1)));
        }
        return guarded("consumers", redis.batch(requests)).flatMap(replies -> {
            Map<String, Long> beats = new LinkedHashMap<>();
            Calls.scored(replies.get(0)).forEach(entry -> beats.put(entry.getKey(), entry.getValue().longValue()));
            List<String> ids = new ArrayList<>();
            List<Priority> priorities = new ArrayList<>();
            for (int i = 0; i < PRIORITIES.length; i++) {
                for (Response id : replies.get(1 + i)) {
                    if (ids.size() < maxJobs) {
                        ids.add(id.toString());
                        priorities.add(PRIORITIES[i]);
                    }
                }
            }
            if (ids.isEmpty()) {
                return Uni.createFrom().item(new QueueConsumers(beats, Map.of()));
            }
            List<Request> lookups = ids.stream().map(id -> Request.cmd(Command.HMGET).arg(keys.job(id))
                    .arg("consumer").arg("type").arg("attempts").arg("startedAt")).toList();
            return guarded("inFlight", redis.batch(lookups)).map(fields -> {
                Map<String, List<InFlightJob>> held = new LinkedHashMap<>();
                for (int i = 0; i < ids.size(); i++) {
                    Response f = fields.get(i);
                    if (f == null || f.get(0) == null) {
                        continue; // finished or taken back between the two round trips
                    }
                    held.computeIfAbsent(f.get(0).toString(), c -> new ArrayList<>()).add(new InFlightJob(ids.get(i),
                            text(f.get(1)), priorities.get(i), (int) number(f.get(2)), number(f.get(3))));
                }
                return new QueueConsumers(beats, held);
            });
        });
    }

    /** Failed jobs of {@code queues} waiting for their next attempt, per priority. */
    public Uni<Map<Priority, Long>> retrying(List<String> queues) {
        return Uni.join().all(queues.stream().map(this::retrying).toList()).andFailFast().map(all -> {
            Map<Priority, Long> counts = new EnumMap<>(Priority.class);
            for (Priority p : PRIORITIES) {
                counts.put(p, all.stream().mapToLong(perQueue -> perQueue.get(p)).sum());
            }
            return counts;
        });
    }

    private Uni<Map<Priority, Long>> retrying(String queue) {
        RedisKeys keys = keyspace.queue(queue);
        List<Request> requests = new ArrayList<>();
        for (Priority p : PRIORITIES) {
            requests.add(Request.cmd(Command.ZCARD).arg(keys.retry(p)));
        }
        return guarded("retrying", redis.batch(requests)).map(replies -> {
            Map<Priority, Long> counts = new EnumMap<>(Priority.class);
            for (Priority p : PRIORITIES) {
                counts.put(p, replies.get(p.ordinal()).toLong());
            }
            return counts;
        });
    }

    /**
     * Jobs of each of {@code queues} waiting for their due time (status {@code scheduled}: the size of the queue's
     * {@code scheduled} set), in the order of {@code queues}. One ZCARD per queue, all sent at once: queues may live
     * on different Cluster nodes, so they do not share a pipeline.
     */
    public Uni<Map<String, Long>> scheduled(List<String> queues) {
        if (queues.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        List<Uni<Response>> counts = queues.stream().map(q -> guarded("scheduled",
                redis.send(Request.cmd(Command.ZCARD).arg(keyspace.queue(q).scheduled())))).toList();
        return Uni.join().all(counts).andFailFast().map(replies -> {
            Map<String, Long> byQueue = new LinkedHashMap<>();
            for (int i = 0; i < queues.size(); i++) {
                Response reply = replies.get(i);
                byQueue.put(queues.get(i), reply == null ? 0 : reply.toLong());
            }
            return byQueue;
        });
    }

    /** A job's hash exactly as stored, every field included (also the ones the job API leaves out). */
    public Uni<Optional<Map<String, String>>> document(String id) {
        return guarded("document", redis.send(Request.cmd(Command.HGETALL).arg(keyspace.ofJob(id).job(id))))
                .map(reply -> {
            Map<String, String> hash = Calls.toMap(reply);
            return hash.isEmpty() ? Optional.empty() : Optional.of(hash);
        });
    }

    private static ConsumersView view(long now, Map<String, Long> beats, Map<String, List<InFlightJob>> held) {
        List<ConsumerInfo> consumers = new ArrayList<>();
        beats.forEach((id, beat) -> consumers.add(new ConsumerInfo(id, beat, held.getOrDefault(id, List.of()))));
        held.forEach((id, jobs) -> {
            if (!beats.containsKey(id)) {
                consumers.add(new ConsumerInfo(id, 0, jobs));
            }
        });
        return new ConsumersView(now, consumers);
    }

    private static String text(Response value) {
        return value == null ? null : value.toString();
    }

    private static long number(Response value) {
        String text = text(value);
        return text == null || text.isEmpty() ? 0 : Long.parseLong(text);
    }

    private <T> Uni<T> guarded(String operation, Uni<T> call) {
        return Calls.guarded(operation, timeout, call);
    }
}
