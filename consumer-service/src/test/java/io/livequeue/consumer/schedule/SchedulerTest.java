package io.livequeue.consumer.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.livequeue.core.Priority;
import io.livequeue.core.rdb.JobStore;
import io.livequeue.core.rdb.Keyspace;
import io.livequeue.core.rdb.PubSub;
import io.livequeue.core.rdb.Schedule;
import io.livequeue.core.rdb.Schedules;
import io.livequeue.core.schedule.JobTemplate;
import io.livequeue.core.schedule.ScheduleSpec;
import io.livequeue.testing.RedisServer;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Schedulers as consumers run them, several against one real Redis (each a {@link Scheduler} with its own Redis
 * client, as separate consumers would have): an {@code every 1s} schedule makes one job per tick for 10 s on three
 * schedulers while one of them restarts, and on twenty at once; missed ticks after every scheduler was down make one
 * job or none by the policy, then the ticks are on time again; overlap skip, pause and resume, replace and delete.
 * The jobs go to queues no worker takes, so every job a tick made is still there to be counted.
 */
class SchedulerTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final String QUEUE = "ticks";

    private static RedisServer server;
    private static Vertx vertx;
    private static Redis admin;
    private final List<Scheduler> started = new ArrayList<>();
    private final List<Redis> clients = new ArrayList<>();
    private Schedules schedules;

    /** The settings of a scheduler under test: misfire threshold short enough for a downtime of a few seconds. */
    record Settings(boolean enabled, Duration poll, Duration misfireThreshold, long maxWaiting, int batch)
            implements SchedulerConfig {
    }

    private static final Settings SETTINGS = new Settings(true, Duration.ofMillis(250), Duration.ofMillis(1500),
            1_000_000, 100);

    @BeforeAll
    static void startRedis() {
        server = RedisServer.start();
        vertx = Vertx.vertx();
        admin = Redis.createClient(vertx, server.url());
    }

    @AfterAll
    static void stopRedis() {
        admin.close();
        vertx.closeAndAwait();
        server.close();
    }

    @BeforeEach
    void emptyRedis() {
        send(Command.FLUSHALL);
        schedules = schedules();
    }

    @AfterEach
    void stopSchedulers() {
        started.forEach(Scheduler::stop);
        clients.forEach(Redis::close);
    }

    @Test
    void everySecondOnThreeSchedulersOneRestartingMakesOneJobPerTickFor10Seconds() {
        create(every("tick", "PT1S", null, null));
        long createdAt = get("tick").createdAt();
        Scheduler a = start();
        start();
        Scheduler c = start();

        awaitClock(createdAt + 3_500);
        c.stop(); // a consumer going down mid-way...
        awaitClock(createdAt + 5_500);
        Scheduler restarted = start(); // ...and coming back
        awaitClock(createdAt + 10_500);
        started.forEach(Scheduler::stop);

        Schedule after = get("tick");
        List<String> jobs = pending(QUEUE);
        assertThat(jobs).as("one job per tick over 10 s").hasSizeBetween(9, 11);
        assertThat(new HashSet<>(jobs)).hasSameSizeAs(jobs);
        assertThat(after.runs()).as("every job is a tick's, no tick made two").isEqualTo(jobs.size());
        assertThat(after.skipped()).isZero();
        assertThat(after.lastRun()).as("ticks ran in order, each once").isEqualTo(createdAt + 1_000L * after.runs());
        assertThat(after.lastJob()).isEqualTo(jobs.get(0));
        assertThat(a).isNotSameAs(restarted);
    }

    @Test
    void twentySchedulersRacingTheSameTicksMakeOneJobEach() {
        create(every("race", "PT1S", null, null));
        long createdAt = get("race").createdAt();
        for (int i = 0; i < 20; i++) {
            start();
        }
        awaitClock(createdAt + 3_500);
        started.forEach(Scheduler::stop);

        Schedule after = get("race");
        assertThat(pending(QUEUE)).hasSize((int) after.runs()).hasSizeBetween(3, 4);
        assertThat(after.lastRun()).isEqualTo(createdAt + 1_000L * after.runs());
    }

    @Test
    void missedTicksWithRunOnceMakeOneJobAfterDowntimeThenRunOnTime() {
        long downtimeEnd = runThenStop(every("daily", "PT1S", null, ScheduleSpec.Missed.RUN_ONCE));
        Schedule before = get("daily");
        int jobsBefore = pending(QUEUE).size();

        start();
        Schedule caughtUp = await().atMost(TIMEOUT).until(() -> get("daily"), s -> s.runs() == before.runs() + 1);
        assertThat(caughtUp.lastOutcome()).isEqualTo("run");
        assertThat(caughtUp.lastRun()).as("the first missed tick's job").isEqualTo(before.next());
        assertThat(caughtUp.next()).as("then the first tick after now").isGreaterThan(downtimeEnd);
        assertThat(pending(QUEUE)).hasSize(jobsBefore + 1);

        Schedule onTime = await().atMost(TIMEOUT).until(() -> get("daily"), s -> s.runs() >= caughtUp.runs() + 2);
        assertThat(onTime.skipped()).isZero();
        assertThat(onTime.lastRun() - caughtUp.next()).as("on the grid again").isEqualTo(1_000L * (onTime.runs()
                - caughtUp.runs() - 1));
        assertThat(pending(QUEUE)).hasSize(jobsBefore + 1 + (int) (onTime.runs() - caughtUp.runs()));
    }

    @Test
    void missedTicksWithSkipMakeNoJobAfterDowntimeThenRunOnTime() {
        long downtimeEnd = runThenStop(every("lazy", "PT1S", null, ScheduleSpec.Missed.SKIP));
        Schedule before = get("lazy");
        int jobsBefore = pending(QUEUE).size();

        start();
        Schedule skipped = await().atMost(TIMEOUT).until(() -> get("lazy"), s -> s.skipped() == 1);
        assertThat(skipped.lastOutcome()).isEqualTo("missed");
        assertThat(skipped.runs()).isEqualTo(before.runs());
        assertThat(skipped.next()).isGreaterThan(downtimeEnd);
        assertThat(pending(QUEUE)).hasSize(jobsBefore);

        Schedule onTime = await().atMost(TIMEOUT).until(() -> get("lazy"), s -> s.runs() >= before.runs() + 2);
        assertThat(onTime.skipped()).isEqualTo(1);
        assertThat(pending(QUEUE)).hasSize(jobsBefore + (int) (onTime.runs() - before.runs()));
    }

    @Test
    void overlapSkipWaitsForThePreviousJobToBeFinal() {
        create(every("busy", "PT1S", ScheduleSpec.Overlap.SKIP, null));
        start();

        Schedule skipping = await().atMost(TIMEOUT).until(() -> get("busy"), s -> s.skipped() >= 2);
        assertThat(skipping.runs()).isEqualTo(1);
        assertThat(skipping.lastOutcome()).isEqualTo("overlap");
        List<String> jobs = pending(QUEUE);
        assertThat(jobs).containsExactly(skipping.lastJob());

        send(Command.HSET, new Keyspace("livequeue").queue(QUEUE).job(jobs.get(0)), "status", "completed");
        Schedule ran = await().atMost(TIMEOUT).until(() -> get("busy"), s -> s.runs() == 2);
        assertThat(pending(QUEUE)).hasSize(2).contains(ran.lastJob());
    }

    @Test
    void pausedSchedulesMakeNoJobUntilResumed() {
        create(every("pausable", "PT1S", null, null));
        start();
        await().atMost(TIMEOUT).until(() -> get("pausable").runs() >= 1);

        done(schedules.pause("pausable"));
        int jobs = pending(QUEUE).size();
        await().during(Duration.ofMillis(2_500)).atMost(Duration.ofSeconds(4)).until(() -> pending(QUEUE).size() == jobs);

        done(schedules.resume("pausable"));
        await().atMost(TIMEOUT).until(() -> pending(QUEUE).size() > jobs);
        assertThat(get("pausable").skipped()).as("paused ticks are not missed ticks: none ran, none skipped").isZero();
    }

    @Test
    void aReplaceBumpsTheGenerationAndTheNewSpecTicks() {
        create(every("moving", "PT1S", null, null));
        start();
        await().atMost(TIMEOUT).until(() -> get("moving").runs() >= 1);

        done(schedules.put(new ScheduleSpec("moving", null, "PT2S", null, template("other"), null, null)));
        assertThat(get("moving").gen()).isEqualTo(2);

        await().atMost(TIMEOUT).until(() -> pending("other").size() >= 2);
        Schedule after = get("moving");
        assertThat((after.lastRun() - after.createdAt()) % 2_000).as("every 2 s from the creation").isZero();
    }

    @Test
    void aDeletedScheduleTicksNoMore() {
        create(every("gone", "PT1S", null, null));
        start();
        start();
        await().atMost(TIMEOUT).until(() -> get("gone").runs() >= 1);

        done(schedules.delete("gone"));
        int jobs = pending(QUEUE).size();

        await().during(Duration.ofMillis(2_500)).atMost(Duration.ofSeconds(4)).until(() -> pending(QUEUE).size() == jobs);
        assertThat(done(schedules.get("gone"))).isEmpty();
    }

    /** Runs the schedule on one scheduler for two ticks, stops it, lets three ticks pass unrun: downtime. */
    private long runThenStop(ScheduleSpec spec) {
        create(spec);
        Scheduler only = start();
        await().atMost(TIMEOUT).until(() -> get(spec.name()).runs() >= 2);
        only.stop();
        started.remove(only);
        long next = get(spec.name()).next();
        return awaitClock(next + 3_200);
    }

    private Scheduler start() {
        Scheduler scheduler = new Scheduler(schedules(), SETTINGS);
        scheduler.start();
        started.add(scheduler);
        return scheduler;
    }

    /** A Schedules of a Redis client of its own, as another consumer process would have. */
    private Schedules schedules() {
        Redis client = Redis.createClient(vertx, server.url());
        clients.add(client);
        JobStore store = new JobStore(client, new Keyspace("livequeue"), Duration.ofSeconds(2), PubSub.PLAIN);
        return new Schedules(client, store, Duration.ofSeconds(2));
    }

    private void create(ScheduleSpec spec) {
        assertThat(done(schedules.create(spec))).isTrue();
    }

    private Schedule get(String name) {
        return done(schedules.get(name)).orElseThrow();
    }

    private static ScheduleSpec every(String name, String every, ScheduleSpec.Overlap overlap,
            ScheduleSpec.Missed missed) {
        return new ScheduleSpec(name, null, every, null, template(QUEUE), overlap, missed);
    }

    private static JobTemplate template(String queue) {
        return new JobTemplate("echo", queue, "normal", 1, "{\"hello\":\"world\"}", null, null);
    }

    /** Waits until the Redis clock reads {@code at} (ms): time passing, not a synchronisation. */
    private long awaitClock(long at) {
        return await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(20)).until(SchedulerTest::redisNow,
                now -> now >= at);
    }

    private static long redisNow() {
        Response time = send(Command.TIME);
        return time.get(0).toLong() * 1000 + time.get(1).toLong() / 1000;
    }

    private static List<String> pending(String queue) {
        List<String> ids = new ArrayList<>();
        send(Command.LRANGE, new Keyspace("livequeue").queue(queue).pending(Priority.NORMAL), 0, -1)
                .forEach(id -> ids.add(id.toString()));
        return ids;
    }

    private static Response send(Command command, Object... args) {
        Request request = Request.cmd(command);
        for (Object arg : args) {
            request.arg(String.valueOf(arg));
        }
        return admin.send(request).await().atMost(TIMEOUT);
    }

    private static <T> T done(io.smallrye.mutiny.Uni<T> call) {
        return call.await().atMost(TIMEOUT);
    }
}
