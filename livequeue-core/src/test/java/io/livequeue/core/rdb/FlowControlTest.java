package io.livequeue.core.rdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.livequeue.core.Ids;
import io.livequeue.core.JobEvent;
import io.livequeue.core.JobStatus;
import io.livequeue.core.Priority;
import io.vertx.mutiny.redis.client.Command;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A queue's flow control as claim.lua enforces it across every consumer, and as operators set it through
 * {@link Queues} (control.lua): pause, a concurrency limit and a fixed-window rate limit.
 */
class FlowControlTest {

    private static final String QUEUE = "sms";
    private static final Duration LEASE = Duration.ofSeconds(30);

    private static TestRedis redis;
    private static JobStore store;
    private static Queues queues;
    private static RedisKeys keys;

    @BeforeAll
    static void startRedis() {
        redis = TestRedis.start();
        store = redis.store;
        queues = redis.queues;
        keys = redis.keys(QUEUE);
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
    }

    @BeforeEach
    void emptyRedis() {
        redis.flushAll();
    }

    @Test
    void aPausedQueueStartsNothingUntilItIsResumed() {
        List<String> ids = enqueue(2);
        queues.pause(QUEUE).await().atMost(TestRedis.TIMEOUT);

        Turn paused = claim("consumer-1", 2);
        QueueState whilePaused = state();
        queues.resume(QUEUE).await().atMost(TestRedis.TIMEOUT);
        List<String> markers = signal();
        Turn resumed = claim("consumer-1", 2);

        assertThat(paused.claimed()).isEmpty();
        assertThat(paused.throttle()).isEqualTo(Turn.PAUSED);
        assertThat(whilePaused.paused()).isTrue();
        assertThat(whilePaused.waiting()).isEqualTo(2);
        assertThat(markers).as("resume wakes a worker per waiting job").containsExactly("r", "r");
        assertThat(resumed.claimed()).extracting(ClaimedJob::id).containsExactlyElementsOf(ids);
        assertThat(resumed.throttle()).isZero();
        assertThat(state().paused()).isFalse();
    }

    @Test
    void aPausedQueueStillRecordsOutcomesAndAcceptsJobs() {
        enqueue(1);
        ClaimedJob running = claim("consumer-1", 1).claimed().get(0);
        queues.pause(QUEUE).await().atMost(TestRedis.TIMEOUT);

        boolean recorded = finish(running);
        enqueue(1);

        assertThat(recorded).isTrue();
        assertThat(state().active()).isZero();
        assertThat(state().waiting()).isEqualTo(1);
        assertThat(claim("consumer-1", 1).throttle()).isEqualTo(Turn.PAUSED);
    }

    @Test
    void atMostThreeJobsAreActiveAcrossConsumersWithAConcurrencyLimitOfThree() {
        enqueue(10);
        queues.limit(QUEUE, 3, 0, Duration.ZERO).await().atMost(TestRedis.TIMEOUT);

        Set<String> claimed = new HashSet<>();
        List<Long> throttles = new ArrayList<>();
        for (int round = 0; round < 4; round++) {
            for (String consumer : List.of("consumer-1", "consumer-2")) {
                Turn turn = claim(consumer, 2);
                turn.claimed().forEach(job -> claimed.add(job.id()));
                throttles.add(turn.throttle());
                assertThat(state().active()).as("active after %s's claim in round %d", consumer, round)
                        .isLessThanOrEqualTo(3);
            }
        }

        assertThat(claimed).hasSize(3);
        assertThat(state().active()).isEqualTo(3);
        assertThat(state().concurrency()).isEqualTo(3);
        assertThat(throttles.get(0)).as("the first claim fits").isZero();
        assertThat(throttles.subList(1, throttles.size())).containsOnly(Turn.AT_CONCURRENCY_LIMIT);
    }

    @Test
    void aFinishedJobFreesASlotAndLeavesAWakeUpMarkerWhenJobsWait() {
        enqueue(5);
        queues.limit(QUEUE, 3, 0, Duration.ZERO).await().atMost(TestRedis.TIMEOUT);
        List<ClaimedJob> running = claim("consumer-1", 3).claimed();
        assertThat(claim("consumer-2", 1).claimed()).isEmpty();
        redis.send(Command.DEL, keys.signal());

        boolean recorded = finish(running.get(0));
        List<String> markers = signal();
        Turn next = claim("consumer-2", 2);

        assertThat(recorded).isTrue();
        assertThat(markers).as("one slot freed, jobs waiting: one worker is woken").containsExactly("1");
        assertThat(next.claimed()).hasSize(1);
        assertThat(next.throttle()).isEqualTo(Turn.AT_CONCURRENCY_LIMIT);
        assertThat(state().active()).isEqualTo(3);
    }

    @Test
    void aFinishedJobLeavesNoMarkerWhenNothingWaits() {
        enqueue(2);
        queues.limit(QUEUE, 3, 0, Duration.ZERO).await().atMost(TestRedis.TIMEOUT);
        List<ClaimedJob> running = claim("consumer-1", 3).claimed();
        redis.send(Command.DEL, keys.signal());

        finish(running.get(0));

        assertThat(redis.send(Command.EXISTS, keys.signal()).toInteger()).isZero();
    }

    @Test
    void aRateOfFivePerSecondStartsExactlyFiveJobsInAWindowThenWaitsForTheNext() {
        enqueue(8);
        queues.limit(QUEUE, 0, 5, Duration.ofMillis(1000)).await().atMost(TestRedis.TIMEOUT);

        Turn batch = claim("consumer-1", 8);
        Turn refused = claim("consumer-2", 1);
        long startedInWindow = state().startedInWindow();
        AtomicReference<Turn> later = new AtomicReference<>();
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50)).until(() -> {
            later.set(claim("consumer-2", 1));
            return !later.get().claimed().isEmpty();
        });

        assertThat(batch.claimed()).hasSize(5);
        assertThat(batch.throttle()).as("the window is used up").isBetween(1L, 1000L);
        assertThat(refused.claimed()).isEmpty();
        assertThat(refused.throttle()).isBetween(1L, 1000L);
        assertThat(startedInWindow).isEqualTo(5);
        assertThat(state().rate()).isEqualTo(5);
        assertThat(state().periodMillis()).isEqualTo(1000);
        long windowStart = batch.claimed().get(0).startedAt();
        assertThat(later.get().claimed().get(0).startedAt()).as("the next start waits for the next window")
                .isGreaterThanOrEqualTo(windowStart + 1000);
    }

    @Test
    void oneAtATimeTheRateLimitAllowsFiveClaimsInAWindow() {
        enqueue(7);
        queues.limit(QUEUE, 0, 5, Duration.ofMillis(1000)).await().atMost(TestRedis.TIMEOUT);

        List<Turn> turns = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            turns.add(claim(i % 2 == 0 ? "consumer-1" : "consumer-2", 1));
        }

        assertThat(turns.subList(0, 5)).allSatisfy(turn -> assertThat(turn.claimed()).hasSize(1));
        assertThat(turns.subList(0, 4)).extracting(Turn::throttle).as("room is left in the window").containsOnly(0L);
        assertThat(turns.get(4).throttle()).as("the fifth start uses the window up").isBetween(1L, 1000L);
        assertThat(turns.subList(5, 7)).allSatisfy(turn -> {
            assertThat(turn.claimed()).isEmpty();
            assertThat(turn.throttle()).isBetween(1L, 1000L);
        });
    }

    @Test
    void aClaimThatEmptiesTheQueueBeforeTheRateIsReachedIsNotThrottled() {
        enqueue(2);
        queues.limit(QUEUE, 0, 5, Duration.ofMillis(60_000)).await().atMost(TestRedis.TIMEOUT);

        Turn first = claim("consumer-1", 5);
        enqueue(1);
        Turn second = claim("consumer-1", 5);

        assertThat(first.claimed()).hasSize(2);
        assertThat(first.throttle()).as("3 starts are left in the window").isZero();
        assertThat(second.claimed()).hasSize(1);
        assertThat(second.throttle()).as("2 starts are left in the window").isZero();
        assertThat(state().startedInWindow()).isEqualTo(3);
    }

    @Test
    void removingTheLimitsLetsEveryWaitingJobStart() {
        enqueue(6);
        queues.limit(QUEUE, 2, 0, Duration.ZERO).await().atMost(TestRedis.TIMEOUT);
        assertThat(claim("consumer-1", 6).claimed()).hasSize(2);

        queues.limit(QUEUE, 0, 0, Duration.ZERO).await().atMost(TestRedis.TIMEOUT);
        Turn unlimited = claim("consumer-1", 6);

        assertThat(unlimited.claimed()).hasSize(4);
        assertThat(unlimited.throttle()).isZero();
        assertThat(redis.send(Command.EXISTS, keys.meta()).toInteger()).as("no field left in the meta hash")
                .isZero();
    }

    @Test
    void changingFlowControlLeavesOneOperatorMarkerPerWaitingJob() {
        enqueue(3);
        redis.send(Command.DEL, keys.signal());

        queues.limit(QUEUE, 1, 10, Duration.ofSeconds(1)).await().atMost(TestRedis.TIMEOUT);

        assertThat(signal()).containsExactly("r", "r", "r");
    }

    @Test
    void operatorMarkersAreCappedAtSixtyFour() {
        enqueue(70);
        redis.send(Command.DEL, keys.signal());

        queues.pause(QUEUE).await().atMost(TestRedis.TIMEOUT);

        assertThat(signal()).hasSize(64).containsOnly("r");
    }

    @Test
    void changingFlowControlOfAnEmptyQueueLeavesNoMarker() {
        queues.pause(QUEUE).await().atMost(TestRedis.TIMEOUT);
        queues.resume(QUEUE).await().atMost(TestRedis.TIMEOUT);

        assertThat(redis.send(Command.EXISTS, keys.signal()).toInteger()).isZero();
        assertThat(redis.send(Command.HGET, keys.meta(), "paused").toString()).isEqualTo("0");
    }

    @Test
    void flowControlOfOneQueueDoesNotHoldBackAnother() {
        enqueue(1);
        String other = Ids.newJobId("mail");
        store.enqueue("mail", List.of(new NewJob(other, "echo", Priority.NORMAL, 3, null, null)), 0).await()
                .atMost(TestRedis.TIMEOUT);
        queues.pause(QUEUE).await().atMost(TestRedis.TIMEOUT);

        Turn mail = store.finishAndClaim("mail", List.of(), "consumer-1", LEASE, Duration.ZERO, 1).await()
                .atMost(TestRedis.TIMEOUT);

        assertThat(mail.claimed()).extracting(ClaimedJob::id).containsExactly(other);
        assertThat(mail.throttle()).isZero();
    }

    private static List<String> enqueue(int count) {
        List<NewJob> jobs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            jobs.add(new NewJob(Ids.newJobId(QUEUE), "sms", Priority.NORMAL, 3, null, null));
        }
        store.enqueue(QUEUE, jobs, 0).await().atMost(TestRedis.TIMEOUT);
        return jobs.stream().map(NewJob::id).toList();
    }

    private static Turn claim(String consumer, int count) {
        return store.finishAndClaim(QUEUE, List.of(), consumer, LEASE, Duration.ZERO, count).await()
                .atMost(TestRedis.TIMEOUT);
    }

    private static boolean finish(ClaimedJob job) {
        String event = JobEvent.json(job.id(), job.type(), JobStatus.COMPLETED, job.attempts(), "1", null);
        return store.finish(job, JobStatus.COMPLETED, "1", null, event, Duration.ZERO, Duration.ZERO).await()
                .atMost(TestRedis.TIMEOUT);
    }

    private static QueueState state() {
        return queues.state(QUEUE).await().atMost(TestRedis.TIMEOUT);
    }

    private static List<String> signal() {
        return redis.strings(Command.LRANGE, keys.signal(), 0, -1);
    }
}
