package io.livequeue.core.rdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.livequeue.core.schedule.JobTemplate;
import io.livequeue.core.schedule.ScheduleSpec;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The recurring schedules' storage and tick protocol against a real Redis, as the documented ACL user: operators'
 * actions keep the hash, the due set and the index in step; schedulers racing for one tick make one job; a scheduler
 * that died between its enqueue and its advance is repaired by the next; missed ticks, overlap, a full queue, a
 * replace and a delete each do what the README says.
 */
class SchedulesTest {

    private static final String QUEUE = "sched";
    private static final Duration THRESHOLD = Duration.ofSeconds(5);
    private static TestRedis redis;
    private static Schedules schedules;

    @BeforeAll
    static void startRedis() {
        redis = TestRedis.start();
        schedules = new Schedules(redis.redis, redis.store, TestRedis.COMMAND_TIMEOUT);
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
    }

    @BeforeEach
    void emptyRedis() {
        redis.flushAll();
        redis.send(Command.ACL, "LOG", "RESET");
    }

    @AfterEach
    void theDocumentedUserWasNeverDenied() {
        assertThat(redis.send(Command.ACL, "LOG")).as("ACL denials").isEmpty();
    }

    @Test
    void createGetListPauseResumeDeleteKeepTheDueSetInStep() {
        long before = redis.now();
        assertThat(done(schedules.create(every("digest", "PT1H", null)))).isTrue();
        assertThat(done(schedules.create(every("digest", "PT2H", null)))).as("the name is taken").isFalse();

        Schedule created = done(schedules.get("digest")).orElseThrow();
        assertThat(created.gen()).isEqualTo(1);
        assertThat(created.paused()).isFalse();
        assertThat(created.next()).isEqualTo(created.createdAt() + 3_600_000).isEqualTo(dueScore("digest"));
        assertThat(created.createdAt()).isBetween(before, redis.now());
        assertThat(created.spec().every()).isEqualTo("PT1H");

        assertThat(done(schedules.pause("digest"))).isTrue();
        assertThat(dueScore("digest")).as("a paused schedule is not due").isNull();
        assertThat(done(schedules.get("digest")).orElseThrow()).satisfies(s -> {
            assertThat(s.paused()).isTrue();
            assertThat(s.next()).isNull();
        });
        assertThat(done(schedules.resume("digest"))).isTrue();
        Schedule resumed = done(schedules.get("digest")).orElseThrow();
        assertThat(resumed.paused()).isFalse();
        assertThat(resumed.next()).isEqualTo(dueScore("digest")).isEqualTo(created.next());

        assertThat(done(schedules.create(cron("nightly", "0 3 * * *")))).isTrue();
        assertThat(done(schedules.list())).extracting(Schedule::name).containsExactly("digest", "nightly");

        assertThat(done(schedules.delete("digest"))).isTrue();
        assertThat(done(schedules.delete("digest"))).isFalse();
        assertThat(done(schedules.get("digest"))).isEmpty();
        assertThat(dueScore("digest")).isNull();
        assertThat(done(schedules.list())).extracting(Schedule::name).containsExactly("nightly");
        assertThat(done(schedules.pause("nope"))).isFalse();
        assertThat(done(schedules.resume("nope"))).isFalse();
        assertThat(redis.keysMatching("test:{schedules}:*")).allMatch(key -> key.startsWith("test:{schedules}:"));
    }

    @Test
    void aReplaceGrowsTheGenerationRecomputesTheNextRunAndKeepsPaused() {
        done(schedules.create(every("report", "PT1H", null)));
        Schedule first = done(schedules.get("report")).orElseThrow();
        done(schedules.pause("report"));

        assertThat(done(schedules.put(every("report", "PT10M", null)))).as("replaced, not created").isFalse();

        Schedule replaced = done(schedules.get("report")).orElseThrow();
        assertThat(replaced.gen()).isEqualTo(2);
        assertThat(replaced.paused()).isTrue();
        assertThat(replaced.createdAt()).isEqualTo(first.createdAt());
        done(schedules.resume("report"));
        long next = done(schedules.get("report")).orElseThrow().next();
        assertThat((next - first.createdAt()) % 600_000).as("every counts from the creation").isZero();
        assertThat(next).isLessThanOrEqualTo(first.createdAt() + 600_000 + 60_000);
        assertThat(done(schedules.put(every("fresh", "PT1M", null)))).as("a put of a new name creates").isTrue();
    }

    @Test
    void twentySchedulersRacingForOneDueTickMakeOneJob() {
        Schedules.Due due = dueNow("race", every("race", "PT1H", null));
        long now = redis.now();

        List<Uni<TickOutcome>> racing = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            Schedules scheduler = new Schedules(redis.redis, redis.store, TestRedis.COMMAND_TIMEOUT);
            racing.add(scheduler.tick(due, now, THRESHOLD, 0));
        }
        List<TickOutcome> outcomes = done(Uni.join().all(racing).andCollectFailures());

        assertThat(outcomes).extracting(TickOutcome::outcome).containsOnly("run");
        assertThat(outcomes.stream().map(TickOutcome::jobId).collect(Collectors.toSet())).hasSize(1);
        assertThat(outcomes).filteredOn(TickOutcome::advanced).hasSize(1);
        assertThat(pending()).containsExactly(outcomes.get(0).jobId());
        Schedule after = done(schedules.get("race")).orElseThrow();
        assertThat(after.lastJob()).isEqualTo(outcomes.get(0).jobId());
        assertThat(after.lastRun()).isEqualTo(due.tick());
        assertThat(after.runs()).isEqualTo(1);
        assertThat(after.next()).as("on the grid of the creation").isEqualTo(due.createdAt() + 3_600_000);
        assertThat(done(redis.store.find(after.lastJob())).orElseThrow().owner()).isEqualTo("schedule:race");
    }

    @Test
    void aSchedulerThatDiedBetweenEnqueueAndAdvanceIsRepairedByTheNext() {
        Schedules.Due due = dueNow("crash", every("crash", "PT1H", null));
        // step (1) of a scheduler that then died: its job is in the queue, the tick still due
        NewJob orphan = due.spec().job().newJob();
        done(redis.store.enqueue(QUEUE, List.of(orphan), 0, "schedule:crash",
                new JobStore.Idempotency(Schedules.tickDigest(due), Schedules.TICK_MEMORY, "-")));
        Schedules.Round round = done(schedules.due(10));
        assertThat(round.due()).extracting(Schedules.Due::name).containsExactly("crash");

        TickOutcome repaired = done(schedules.tick(round.due().get(0), round.now(), THRESHOLD, 0));

        assertThat(repaired.jobId()).isEqualTo(orphan.id());
        assertThat(repaired.advanced()).isTrue();
        assertThat(pending()).containsExactly(orphan.id());
        assertThat(done(schedules.due(10)).due()).isEmpty();
    }

    @Test
    void missedTicksWithRunOnceMakeOneJobThenContinueOnTheGridAfterNow() {
        Schedules.Due due = dueAt("late", every("late", "PT10S", ScheduleSpec.Missed.RUN_ONCE), -95_000);
        long now = done(schedules.due(10)).now();

        TickOutcome outcome = done(schedules.tick(due, now, THRESHOLD, 0));

        assertThat(outcome.missed()).isTrue();
        assertThat(outcome.outcome()).isEqualTo("run");
        assertThat(pending()).hasSize(1);
        assertThat(outcome.next()).isGreaterThan(now).isLessThanOrEqualTo(now + 10_000);
        assertThat((outcome.next() - due.createdAt()) % 10_000).isZero();
        assertThat(done(schedules.due(10)).due()).as("nothing else is due: one job for every missed tick").isEmpty();
    }

    @Test
    void missedTicksWithSkipMakeNoJobThenContinueAfterNow() {
        Schedules.Due due = dueAt("lazy", every("lazy", "PT10S", ScheduleSpec.Missed.SKIP), -95_000);
        long now = done(schedules.due(10)).now();

        TickOutcome outcome = done(schedules.tick(due, now, THRESHOLD, 0));

        assertThat(outcome.outcome()).isEqualTo("missed");
        assertThat(outcome.jobId()).isNull();
        assertThat(pending()).isEmpty();
        assertThat(outcome.next()).isGreaterThan(now);
        Schedule after = done(schedules.get("lazy")).orElseThrow();
        assertThat(after.lastOutcome()).isEqualTo("missed");
        assertThat(after.skipped()).isEqualTo(1);
        assertThat(after.lastJob()).isNull();
    }

    @Test
    void aTickWithinTheThresholdRunsAndNextIsTheFollowingTickNotAfterNow() {
        Schedules.Due due = dueAt("behind", cron("behind", "* * * * * *"), -3_000);
        TickOutcome outcome = done(schedules.tick(due, done(schedules.now()), THRESHOLD, 0));

        assertThat(outcome.missed()).isFalse();
        assertThat(outcome.next()).isGreaterThan(due.tick()).isLessThanOrEqualTo(due.tick() + 1_000);
        assertThat(done(schedules.due(10)).due()).as("caught up tick by tick").hasSize(1);
    }

    @Test
    void overlapSkipMakesNoJobWhileThePreviousOneIsNotFinal() {
        ScheduleSpec spec = new ScheduleSpec("busy", null, "PT1H", null, template(), ScheduleSpec.Overlap.SKIP, null);
        Schedules.Due first = dueNow("busy", spec);
        String job = done(schedules.tick(first, redis.now(), THRESHOLD, 0)).jobId();

        Schedules.Due second = dueAt("busy", null, 0);
        assertThat(second.lastJob()).isEqualTo(job);
        TickOutcome skipped = done(schedules.tick(second, redis.now(), THRESHOLD, 0));
        assertThat(skipped.outcome()).isEqualTo("overlap");
        assertThat(pending()).containsExactly(job);

        for (String status : List.of("completed", "cancelled")) {
            redis.send(Command.HSET, redis.keys(QUEUE).job(job), "status", status);
            Schedules.Due next = dueAt("busy", null, 0);
            TickOutcome ran = done(schedules.tick(next, redis.now(), THRESHOLD, 0));
            assertThat(ran.outcome()).as("after a " + status + " job").isEqualTo("run");
            job = ran.jobId();
        }
        assertThat(pending()).hasSize(3);
    }

    @Test
    void aFullQueueFailsTheTickAndLeavesItDue() {
        Schedules.Due due = dueNow("full", every("full", "PT1H", null));
        done(redis.store.enqueue(QUEUE, List.of(template().newJob()), 0));

        assertThatThrownBy(() -> done(schedules.tick(due, redis.now(), THRESHOLD, 1)))
                .isInstanceOf(QueueFullException.class);

        assertThat(done(schedules.due(10)).due()).extracting(Schedules.Due::tick).containsExactly(due.tick());
        assertThat(done(schedules.tick(due, redis.now(), THRESHOLD, 2)).advanced()).as("room again").isTrue();
    }

    @Test
    void aReplacedOrDeletedScheduleRefusesTheAdvanceOfATickReadBefore() {
        Schedules.Due stale = dueNow("moving", every("moving", "PT1H", null));
        done(schedules.put(every("moving", "PT2H", null)));

        TickOutcome outcome = done(schedules.tick(stale, redis.now(), THRESHOLD, 0));
        assertThat(outcome.advanced()).isFalse();
        assertThat(done(schedules.get("moving")).orElseThrow().gen()).isEqualTo(2);

        Schedules.Due gone = dueNow("moving", null);
        done(schedules.delete("moving"));
        assertThat(done(schedules.tick(gone, redis.now(), THRESHOLD, 0)).advanced()).isFalse();
        assertThat(done(schedules.get("moving"))).isEmpty();
        assertThat(done(schedules.due(10)).due()).isEmpty();
        assertThat(done(schedules.due(10)).earliest()).isNull();
    }

    @Test
    void theDueRoundSaysWhenTheEarliestScheduleIsDue() {
        done(schedules.create(every("later", "PT1H", null)));
        Schedules.Round round = done(schedules.due(10));

        assertThat(round.due()).isEmpty();
        assertThat(round.earliest()).isEqualTo(done(schedules.get("later")).orElseThrow().next());
        assertThat(round.now()).isLessThan(round.earliest());
    }

    private static ScheduleSpec every(String name, String every, ScheduleSpec.Missed missed) {
        return new ScheduleSpec(name, null, every, null, template(), null, missed);
    }

    private static ScheduleSpec cron(String name, String cron) {
        return new ScheduleSpec(name, cron, null, "Europe/Berlin", template(), null, null);
    }

    private static JobTemplate template() {
        return new JobTemplate("echo", QUEUE, "normal", 3, "{\"n\":1.10}", null, null);
    }

    /** Creates the schedule (if spec is given) and makes its next tick due now; returns what a scheduler reads. */
    private static Schedules.Due dueNow(String name, ScheduleSpec spec) {
        return dueAt(name, spec, 0);
    }

    /** Moves the schedule's next run to {@code offset} ms from now, as downtime or a scheduler's lag would leave it. */
    private static Schedules.Due dueAt(String name, ScheduleSpec spec, long offset) {
        if (spec != null) {
            done(schedules.create(spec));
        }
        long tick = redis.now() + offset;
        redis.send(Command.HSET, redis.keyspace.schedule(name), "next", tick);
        redis.send(Command.ZADD, redis.keyspace.schedulesDue(), tick, name);
        return await().atMost(TestRedis.TIMEOUT).until(() -> done(schedules.due(10)).due().stream()
                .filter(d -> d.name().equals(name)).findFirst(), Optional::isPresent).orElseThrow();
    }

    private static Long dueScore(String name) {
        var score = redis.send(Command.ZSCORE, redis.keyspace.schedulesDue(), name);
        return score == null ? null : score.toDouble().longValue();
    }

    private static List<String> pending() {
        return redis.strings(Command.LRANGE, redis.keys(QUEUE).pending(io.livequeue.core.Priority.NORMAL), 0, -1);
    }

    private static <T> T done(Uni<T> call) {
        return call.await().atMost(TestRedis.TIMEOUT);
    }
}
