package io.livequeue.core.rdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.livequeue.core.Ids;
import io.livequeue.core.JobEvent;
import io.livequeue.core.JobStatus;
import io.livequeue.core.Priority;
import io.livequeue.core.QueueNames;
import io.vertx.mutiny.redis.client.Command;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The registry of queues (bounded, default always first) and each queue's state, against a real redis-server. */
class QueuesTest {

    private static TestRedis redis;
    private static Queues queues;

    @BeforeAll
    static void startRedis() {
        redis = TestRedis.start();
        queues = redis.queues;
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
    void aCapOfThreeQueuesLeavesRoomForTwoBesideDefault() {
        boolean sms = registerInTurn("sms", 3);
        boolean mail = registerInTurn("mail", 3);
        boolean third = registerInTurn("reports", 3);

        assertThat(sms).isTrue();
        assertThat(mail).isTrue();
        assertThat(third).as("default counts: a third new queue is one too many").isFalse();
        assertThat(names()).containsExactly(QueueNames.DEFAULT, "sms", "mail");
        assertThat(redis.send(Command.ZCARD, "test:{queues}:registry").toLong()).isEqualTo(2);
    }

    @Test
    void aKnownQueueIsStillAcceptedWhenTheRegistryIsFull() {
        registerInTurn("sms", 3);
        registerInTurn("mail", 3);

        assertThat(register("sms", 3)).isTrue();
        assertThat(register("mail", 3)).isTrue();
        assertThat(register(QueueNames.DEFAULT, 3)).as("default is never registered and always there").isTrue();
        assertThat(names()).containsExactly(QueueNames.DEFAULT, "sms", "mail");
    }

    @Test
    void aCapOfOneLeavesOnlyTheDefaultQueue() {
        assertThat(register("sms", 1)).isFalse();
        assertThat(register(QueueNames.DEFAULT, 1)).isTrue();
        assertThat(names()).containsExactly(QueueNames.DEFAULT);
    }

    @Test
    void namesStartWithDefaultThenTheQueuesInTheOrderOfTheirFirstJob() {
        assertThat(names()).as("default exists before any job").containsExactly(QueueNames.DEFAULT);

        registerInTurn("zeta", 100);
        registerInTurn("alpha", 100);
        registerInTurn("mid", 100);

        assertThat(names()).containsExactly(QueueNames.DEFAULT, "zeta", "alpha", "mid");
    }

    @Test
    void namesLeaveOutWhatIsNotAQueueName() {
        register("sms", 100);
        redis.send(Command.ZADD, "test:{queues}:registry", 1, "bad:name", 2, "default");

        assertThat(names()).containsExactly(QueueNames.DEFAULT, "sms");
    }

    @Test
    void stateCountsEachPriorityRetriesAndFlowControl() {
        RedisKeys keys = redis.keys("sms");
        String dead = Ids.newJobId("sms");
        redis.store.enqueue("sms", List.of(job(Priority.HIGH), job(Priority.HIGH), job(Priority.LOW),
                new NewJob(dead, "sms", Priority.NORMAL, 1, null, null)), 0).await().atMost(TestRedis.TIMEOUT);
        ClaimedJob first = redis.store.claim("sms", "c", Duration.ofSeconds(30), Duration.ZERO).await()
                .atMost(TestRedis.TIMEOUT);
        ClaimedJob second = redis.store.claim("sms", "c", Duration.ofSeconds(30), Duration.ZERO).await()
                .atMost(TestRedis.TIMEOUT);
        ClaimedJob third = redis.store.claim("sms", "c", Duration.ofSeconds(30), Duration.ZERO).await()
                .atMost(TestRedis.TIMEOUT);
        assertThat(third.id()).isEqualTo(dead);
        finish(third, JobStatus.DEAD, Duration.ZERO);
        finish(second, JobStatus.FAILED, Duration.ofMinutes(5));
        queues.pause("sms").await().atMost(TestRedis.TIMEOUT);
        queues.limit("sms", 4, 10, Duration.ofSeconds(2)).await().atMost(TestRedis.TIMEOUT);

        QueueState state = queues.state("sms").await().atMost(TestRedis.TIMEOUT);

        assertThat(first.priority()).isEqualTo(Priority.HIGH);
        assertThat(state.name()).isEqualTo("sms");
        assertThat(state.counts()).isEqualTo(Map.of(Priority.HIGH, new QueueCounts(0, 1, 0),
                Priority.NORMAL, new QueueCounts(0, 0, 1), Priority.LOW, new QueueCounts(1, 0, 0)));
        assertThat(state.retrying()).isEqualTo(1);
        assertThat(state.waiting()).isEqualTo(1);
        assertThat(state.active()).isEqualTo(1);
        assertThat(state.dead()).isEqualTo(1);
        assertThat(state.paused()).isTrue();
        assertThat(state.concurrency()).isEqualTo(4);
        assertThat(state.rate()).isEqualTo(10);
        assertThat(state.periodMillis()).isEqualTo(2000);
        assertThat(state.startedInWindow()).as("the claims came before the rate limit").isZero();
        assertThat(redis.keysMatching("*")).allMatch(key -> key.startsWith("test:{q:sms}:"));
        assertThat(keys.meta()).isEqualTo("test:{q:sms}:meta");
    }

    @Test
    void statesListEveryRegisteredQueueDefaultFirst() {
        register("sms", 100);
        redis.store.enqueue("sms", List.of(job(Priority.NORMAL)), 0).await().atMost(TestRedis.TIMEOUT);

        List<QueueState> states = queues.states().await().atMost(TestRedis.TIMEOUT);

        assertThat(states).extracting(QueueState::name).containsExactly(QueueNames.DEFAULT, "sms");
        assertThat(states).extracting(QueueState::waiting).containsExactly(0L, 1L);
        assertThat(states.get(0).paused()).isFalse();
        assertThat(states.get(0).concurrency()).isZero();
        assertThat(states.get(0).rate()).isZero();
    }

    private static NewJob job(Priority priority) {
        return new NewJob(Ids.newJobId("sms"), "sms", priority, 3, null, null);
    }

    private static void finish(ClaimedJob job, JobStatus outcome, Duration retryDelay) {
        String event = JobEvent.json(job.id(), job.type(), outcome, job.attempts(), null, "x");
        redis.store.finish(job, outcome, null, "x", event, Duration.ZERO, retryDelay).await().atMost(TestRedis.TIMEOUT);
    }

    private static boolean register(String queue, int max) {
        return queues.register(queue, max).await().atMost(TestRedis.TIMEOUT);
    }

    /** Registers {@code queue} in a millisecond of its own, so that the registry's order is the order of calls. */
    private static boolean registerInTurn(String queue, int max) {
        long before = redis.now();
        await().atMost(TestRedis.TIMEOUT).until(() -> redis.now() > before);
        return register(queue, max);
    }

    private static List<String> names() {
        return queues.names().await().atMost(TestRedis.TIMEOUT);
    }
}
