package io.livequeue.core.rdb;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.livequeue.core.Ids;
import io.livequeue.core.QueueNames;
import io.livequeue.core.schedule.ScheduleSpec;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Recurring schedules in Redis, every key in the {@code {schedules}} hash tag ({@link Keyspace}): what operators do
 * with them (create, replace, pause, resume, delete, read) and the tick protocol every consumer's scheduler runs, with
 * no leader. A due tick is two steps: (1) its job is enqueued under an idempotency key derived from the schedule's
 * name, creation, generation and tick ({@link JobStore#enqueue} with {@link JobStore.Idempotency}), so schedulers
 * racing for the tick create one job and the others get its id back; (2) {@code schedule-advance.lua} moves the next
 * run on with a compare-and-set on the tick and generation read, which exactly one of them wins. A scheduler that dies
 * between the steps leaves the tick due; the next one's (1) is a replay and its (2) records the job. The job lives in
 * its queue's slot, the schedule in {@code {schedules}}: the steps are two calls on purpose, joined by the key.
 */
public class Schedules {

    /** How long a tick's idempotency key is kept: far longer than any scheduler takes from (1) to (2). */
    static final Duration TICK_MEMORY = Duration.ofHours(1);
    /** Statuses after which a job never changes again, by wire name ({@code cancelled} comes with issue 13). */
    static final Set<String> FINAL = Set.of("completed", "dead", "cancelled");
    private static final LuaScript PUT = LuaScript.load("schedule-put.lua", false);
    private static final LuaScript ADVANCE = LuaScript.load("schedule-advance.lua", false);
    private static final LuaScript CONTROL = LuaScript.load("schedule-control.lua", false);
    private static final LuaScript DUE = LuaScript.load("schedule-due.lua", false);
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false); // a newer release's fields
    private static final int RETRIES = 5;

    /** A schedule whose tick is due: what {@link #tick} needs; {@code spec} is null when it could not be read. */
    public record Due(String name, ScheduleSpec spec, long gen, long tick, long createdAt, String lastJob) {
    }

    /**
     * A scheduler's look at the schedules: the Redis clock's {@code now}, the earliest next run of any schedule (null:
     * none), and the schedules due by {@code now}, earliest first.
     */
    public record Round(long now, Long earliest, List<Due> due) {
    }

    private final Redis redis;
    private final JobStore store;
    private final Keyspace keyspace;
    private final Duration timeout;

    public Schedules(Redis redis, JobStore store, Duration timeout) {
        this.redis = redis;
        this.store = store;
        this.keyspace = store.keyspace();
        this.timeout = timeout;
    }

    /** Creates a schedule, its first run the first tick after now. @return false when the name is taken */
    public Uni<Boolean> create(ScheduleSpec spec) {
        return now().flatMap(now -> put(spec, now, now, "create")).map(reply -> reply == 1);
    }

    /**
     * Creates the schedule, or replaces the one of that name: its generation grows, its next run is recomputed from
     * now (an {@code every} keeps counting from the schedule's creation), paused stays as it was.
     *
     * @return true when it was created, false when replaced
     */
    public Uni<Boolean> put(ScheduleSpec spec) {
        return putOnce(spec, RETRIES);
    }

    private Uni<Boolean> putOnce(ScheduleSpec spec, int retries) {
        Request read = Request.cmd(Command.HGET).arg(keyspace.schedule(spec.name())).arg("createdAt");
        Uni<List<Response>> both = guarded("schedule", redis.batch(List.of(read, Request.cmd(Command.TIME))));
        return both.flatMap(replies -> {
            String createdAt = replies.get(0) == null ? "" : replies.get(0).toString();
            long now = clock(replies.get(1));
            long anchor = createdAt.isEmpty() ? now : Long.parseLong(createdAt);
            return put(spec, now, anchor, createdAt);
        }).flatMap(reply -> {
            if (reply == -1) {
                if (retries == 0) {
                    throw new IllegalStateException("schedule " + spec.name() + " kept changing while it was put");
                }
                return putOnce(spec, retries - 1);
            }
            return Uni.createFrom().item(reply == 1);
        });
    }

    private Uni<Integer> put(ScheduleSpec spec, long now, long anchor, String expect) {
        Instant next = spec.nextAfter(Instant.ofEpochMilli(now), Instant.ofEpochMilli(anchor));
        if (next == null) {
            throw new IllegalArgumentException("schedule " + spec.name() + " has no run left");
        }
        String name = spec.name();
        return guarded("schedule", PUT.run(redis, keys(name), List.of(name, json(spec),
                Long.toString(next.toEpochMilli()), Long.toString(now), expect)))
                .map(reply -> reply.get(0).toInteger());
    }

    /** One schedule, if there is one of that name. */
    public Uni<Optional<Schedule>> get(String name) {
        if (!QueueNames.isValid(name)) {
            return Uni.createFrom().item(Optional.empty());
        }
        return guarded("schedule", redis.send(Request.cmd(Command.HGETALL).arg(keyspace.schedule(name))))
                .map(reply -> Optional.ofNullable(schedule(Calls.toMap(reply))));
    }

    /**
     * Every schedule, oldest first, with its next run, paused, last run and last job: what {@code GET /api/schedules}
     * and the dashboard list. Two round trips: the names, then their hashes in one pipeline.
     */
    public Uni<List<Schedule>> list() {
        return guarded("schedules", redis.send(Request.cmd(Command.ZRANGE).arg(keyspace.scheduleNames()).arg(0)
                .arg(-1))).flatMap(names -> {
                    List<Request> reads = new ArrayList<>();
                    names.forEach(name -> {
                        if (QueueNames.isValid(name.toString())) {
                            reads.add(Request.cmd(Command.HGETALL).arg(keyspace.schedule(name.toString())));
                        }
                    });
                    if (reads.isEmpty()) {
                        return Uni.createFrom().item(List.<Schedule>of());
                    }
                    return guarded("schedules", redis.batch(reads)).map(replies -> replies.stream()
                            .map(reply -> schedule(Calls.toMap(reply))).filter(java.util.Objects::nonNull).toList());
                });
    }

    /** Deletes a schedule: no tick of it runs any more. @return false when there is none */
    public Uni<Boolean> delete(String name) {
        return control(name, "delete", "", "").map(reply -> reply == 1);
    }

    /** Pauses a schedule: it leaves the due set, no tick runs until it is resumed. @return false when there is none */
    public Uni<Boolean> pause(String name) {
        return control(name, "pause", "", "").map(reply -> reply == 1);
    }

    /**
     * Resumes a paused schedule from its first tick after now: the ticks it was paused for do not run (resuming a
     * running schedule changes nothing). @return false when there is none
     */
    public Uni<Boolean> resume(String name) {
        return resumeOnce(name, RETRIES);
    }

    private Uni<Boolean> resumeOnce(String name, int retries) {
        return get(name).flatMap(found -> {
            if (found.isEmpty()) {
                return Uni.createFrom().item(false);
            }
            Schedule schedule = found.get();
            return now().flatMap(now -> {
                Instant next = schedule.spec().nextAfter(Instant.ofEpochMilli(now),
                        Instant.ofEpochMilli(schedule.createdAt()));
                return control(name, "resume", next == null ? "" : Long.toString(next.toEpochMilli()),
                        Long.toString(schedule.gen()));
            }).flatMap(reply -> reply != -1 ? Uni.createFrom().item(reply == 1)
                    : retries == 0 ? Uni.createFrom().failure(new IllegalStateException("schedule " + name
                            + " kept changing while it was resumed")) : resumeOnce(name, retries - 1));
        });
    }

    private Uni<Integer> control(String name, String action, String next, String gen) {
        if (!QueueNames.isValid(name)) {
            return Uni.createFrom().item(0);
        }
        return guarded("schedule", CONTROL.run(redis, keys(name), List.of(name, action, next, gen)))
                .map(Response::toInteger);
    }

    /** The Redis clock, epoch ms. */
    public Uni<Long> now() {
        return guarded("time", redis.send(Request.cmd(Command.TIME))).map(Schedules::clock);
    }

    /** The Redis clock, the earliest next run and up to {@code max} due schedules, in one round trip. */
    public Uni<Round> due(int max) {
        return guarded("schedules", DUE.run(redis, List.of(keyspace.schedulesDue()),
                List.of(keyspace.schedule(""), Integer.toString(Math.max(1, max))))).map(reply -> {
                    long now = reply.get(0).toLong();
                    String earliest = reply.get(1).toString();
                    List<Due> due = new ArrayList<>();
                    for (int i = 2; i + 5 < reply.size(); i += 6) {
                        String name = reply.get(i).toString();
                        String gen = reply.get(i + 2).toString();
                        String next = reply.get(i + 3).toString();
                        ScheduleSpec spec = gen.isEmpty() || next.isEmpty() ? null : spec(reply.get(i + 1).toString());
                        due.add(spec == null ? new Due(name, null, 0, 0, 0, null)
                                : new Due(name, spec, Long.parseLong(gen), Long.parseLong(next),
                                        Long.parseLong(reply.get(i + 4).toString()),
                                        Calls.emptyToNull(reply.get(i + 5).toString())));
                    }
                    return new Round(now, earliest.isEmpty() ? null : (long) Double.parseDouble(earliest), due);
                });
    }

    /**
     * Handles one due tick (see the class comment), {@code now} on the Redis clock. A tick later than
     * {@code misfireThreshold} is missed: with {@code missed: skip} it makes no job, with {@code run-once} one job;
     * either way the next run is the first tick after now. Otherwise the next run is the tick after this one (a
     * scheduler a little behind catches up tick by tick). With {@code overlap: skip} a tick whose previous job is not
     * final makes no job.
     *
     * @throws QueueFullException (as the failure) when the job's queue is full: nothing changed, the tick stays due
     */
    public Uni<TickOutcome> tick(Due due, long now, Duration misfireThreshold, long maxWaiting) {
        ScheduleSpec spec = due.spec();
        boolean missed = now - due.tick() > misfireThreshold.toMillis();
        Instant next = spec.nextAfter(Instant.ofEpochMilli(missed ? Math.max(now, due.tick()) : due.tick()),
                Instant.ofEpochMilli(due.createdAt()));
        if (missed && spec.missed() == ScheduleSpec.Missed.SKIP) {
            return advance(due, next, "missed", null, missed);
        }
        return overlapping(due).flatMap(busy -> busy ? advance(due, next, "overlap", null, missed)
                : enqueue(due, maxWaiting).flatMap(jobId -> advance(due, next, "run", jobId, missed)));
    }

    /** Step (1): the tick's job, or the one a racing scheduler created for it. @return its id */
    private Uni<String> enqueue(Due due, long maxWaiting) {
        NewJob job = due.spec().job().newJob();
        return store.enqueue(due.spec().job().queue(), List.of(job), maxWaiting, "schedule:" + due.name(),
                new JobStore.Idempotency(tickDigest(due), TICK_MEMORY, "-"))
                .map(enqueued -> enqueued.replayed() ? enqueued.firstIds().get(0) : job.id());
    }

    /** Step (2): the compare-and-set of the next run. */
    private Uni<TickOutcome> advance(Due due, Instant next, String outcome, String jobId, boolean missed) {
        Long nextMillis = next == null ? null : next.toEpochMilli();
        return guarded("schedule", ADVANCE.run(redis, List.of(keyspace.schedule(due.name()), keyspace.schedulesDue()),
                List.of(due.name(), Long.toString(due.gen()), Long.toString(due.tick()),
                        nextMillis == null ? "" : Long.toString(nextMillis), outcome, jobId == null ? "" : jobId)))
                .map(reply -> new TickOutcome(due.name(), due.tick(), outcome, jobId, reply.toInteger() == 1, missed,
                        nextMillis));
    }

    /** Whether the schedule's previous job is still to finish (overlap skip only); a job gone from Redis is final. */
    private Uni<Boolean> overlapping(Due due) {
        if (due.spec().overlap() != ScheduleSpec.Overlap.SKIP || due.lastJob() == null
                || !Ids.isJobId(due.lastJob())) {
            return Uni.createFrom().item(false);
        }
        return store.find(due.lastJob()).map(job -> job.map(j -> !FINAL.contains(j.statusName())).orElse(false));
    }

    /**
     * The idempotency digest of a tick: one per schedule incarnation (its creation instant: a schedule deleted and
     * created again never replays the old one's jobs), generation and tick.
     */
    static String tickDigest(Due due) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(("schedule\n" + due.name() + "\n"
                    + due.createdAt() + "\n" + due.gen() + "\n" + due.tick()).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private List<String> keys(String name) {
        return List.of(keyspace.schedule(name), keyspace.schedulesDue(), keyspace.scheduleNames());
    }

    private static Schedule schedule(Map<String, String> hash) {
        ScheduleSpec spec = hash.isEmpty() ? null : spec(hash.get("spec"));
        if (spec == null) {
            return null;
        }
        boolean paused = "1".equals(hash.get("paused"));
        return new Schedule(spec, number(hash.get("gen")), paused ? null : boxed(hash.get("next")), paused,
                number(hash.get("createdAt")), number(hash.get("updatedAt")), boxed(hash.get("lastTick")),
                hash.get("lastOutcome"), boxed(hash.get("lastRun")), hash.get("lastJob"), number(hash.get("runs")),
                number(hash.get("skipped")));
    }

    /** A stored spec; null when it cannot be read (logged by whoever meets it, never fatal to the others). */
    static ScheduleSpec spec(String json) {
        try {
            return json == null || json.isEmpty() ? null : JSON.readValue(json, ScheduleSpec.class);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            return null;
        }
    }

    static String json(ScheduleSpec spec) {
        try {
            return JSON.writeValueAsString(spec);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long clock(Response time) {
        return time.get(0).toLong() * 1000 + time.get(1).toLong() / 1000;
    }

    private static long number(String value) {
        return value == null || value.isEmpty() ? 0 : Long.parseLong(value);
    }

    private static Long boxed(String value) {
        return value == null || value.isEmpty() ? null : Long.parseLong(value);
    }

    private <T> Uni<T> guarded(String operation, Uni<T> call) {
        return Calls.guarded(operation, timeout, call);
    }
}
