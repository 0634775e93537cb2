package io.livequeue.core.rdb;

import io.livequeue.core.Priority;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import io.vertx.redis.client.ResponseType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Read-only views of the queues for operators (as asynq's inspector): who is alive and what each consumer is working
 * on, scheduled retries, the newest dead ids, a job's raw document. Nothing here changes Redis, so a dashboard can
 * call it every second without touching the job protocol in {@link JobStore}; every view is one or two pipelined
 * round trips (the Redis clock is asked apart, as a keyless command) and fails with
 * {@link StorageUnavailableException} when Redis does not answer in time.
 */
public class Inspector {

    private static final Priority[] PRIORITIES = Priority.values();
    private static final int MAX_CONSUMERS = 1000;

    private final Redis redis;
    private final RedisKeys keys;
    private final Duration timeout;

    public Inspector(Redis redis, RedisKeys keys, Duration timeout) {
        this.redis = redis;
        this.keys = keys;
        this.timeout = timeout;
    }

    /**
     * The consumers, most recent heartbeat first, each with the active jobs it holds (at most {@code maxJobs} active
     * jobs are looked at in all, oldest lease first per priority).
     */
    public Uni<ConsumersView> consumers(int maxJobs) {
        List<Request> requests = new ArrayList<>();
        requests.add(Request.cmd(Command.ZREVRANGE).arg(keys.consumers()).arg(0).arg(MAX_CONSUMERS - 1)
                .arg("WITHSCORES"));
        for (Priority p : PRIORITIES) {
            requests.add(Request.cmd(Command.ZRANGE).arg(keys.active(p)).arg(0).arg(Math.max(0, maxJobs - 1)));
        }
        // TIME has no key: on Redis Cluster it may not share a batch with the {jobs} slot, so it goes on its own
        Uni<Response> time = redis.send(Request.cmd(Command.TIME));
        return guarded("consumers", Uni.combine().all().unis(time, redis.batch(requests)).asTuple()).flatMap(both -> {
            Response clock = both.getItem1();
            List<Response> replies = both.getItem2();
            long now = clock.get(0).toLong() * 1000 + clock.get(1).toLong() / 1000;
            Map<String, Long> beats = new LinkedHashMap<>();
            scored(replies.get(0)).forEach(entry -> beats.put(entry.getKey(), entry.getValue().longValue()));
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
                return Uni.createFrom().item(view(now, beats, Map.of()));
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
                return view(now, beats, held);
            });
        });
    }

    /** Failed jobs waiting for their next attempt, per priority. */
    public Uni<Map<Priority, Long>> retrying() {
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

    /** The ids of the newest {@code limit} dead jobs across all priorities, newest death first. */
    public Uni<List<String>> deadIds(int limit) {
        List<Request> requests = new ArrayList<>();
        for (Priority p : PRIORITIES) {
            requests.add(Request.cmd(Command.ZREVRANGE).arg(keys.dead(p)).arg(0).arg(limit - 1).arg("WITHSCORES"));
        }
        return guarded("deadIds", redis.batch(requests)).map(replies -> {
            List<Map.Entry<String, Double>> all = new ArrayList<>();
            replies.forEach(range -> all.addAll(scored(range)));
            all.sort(Map.Entry.<String, Double>comparingByValue().reversed());
            return all.stream().limit(limit).map(Map.Entry::getKey).toList();
        });
    }

    /** A job's hash exactly as stored, every field included (also the ones the job API leaves out). */
    public Uni<Optional<Map<String, String>>> document(String id) {
        return guarded("document", redis.send(Request.cmd(Command.HGETALL).arg(keys.job(id)))).map(reply -> {
            Map<String, String> hash = JobStore.toMap(reply);
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

    /** A WITHSCORES reply as (member, score) pairs: RESP3 nests pairs, RESP2 alternates member and score. */
    private static List<Map.Entry<String, Double>> scored(Response range) {
        List<Map.Entry<String, Double>> entries = new ArrayList<>();
        for (int j = 0; j < range.size(); j++) {
            Response entry = range.get(j);
            if (entry.type() == ResponseType.MULTI) {
                entries.add(Map.entry(entry.get(0).toString(), entry.get(1).toDouble()));
            } else {
                entries.add(Map.entry(entry.toString(), range.get(++j).toDouble()));
            }
        }
        return entries;
    }

    private static String text(Response value) {
        return value == null ? null : value.toString();
    }

    private static long number(Response value) {
        String text = text(value);
        return text == null || text.isEmpty() ? 0 : Long.parseLong(text);
    }

    private <T> Uni<T> guarded(String operation, Uni<T> call) {
        return call.ifNoItem().after(timeout).failWith(() -> unavailable(operation, null))
                .onFailure(e -> !(e instanceof StorageUnavailableException)).transform(e -> unavailable(operation, e));
    }

    private StorageUnavailableException unavailable(String operation, Throwable cause) {
        String why = cause == null ? "no answer within " + timeout.toMillis() + " ms"
                : String.valueOf(cause.getMessage());
        return new StorageUnavailableException("Redis " + operation + " failed: " + why, cause, false);
    }
}
