package io.livequeue.core.rdb;

import static org.assertj.core.api.Assertions.assertThat;

import io.livequeue.core.Ids;
import io.livequeue.core.Priority;
import io.livequeue.core.QueueNames;
import io.vertx.mutiny.redis.client.Command;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The operators' read-only views, against a real redis-server, with the keys laid out as the scripts write them. */
class InspectorTest {

    private static final List<String> DEFAULT_ONLY = List.of(QueueNames.DEFAULT);

    private static TestRedis redis;
    private static RedisKeys keys;
    private static Inspector inspector;

    @BeforeAll
    static void startRedis() {
        redis = TestRedis.start();
        keys = redis.defaultKeys();
        inspector = redis.inspector;
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
    void consumersComeWithTheirInFlightJobsNewestHeartbeatFirst() {
        redis.send(Command.ZADD, keys.consumers(), 1000, "old-consumer");
        redis.send(Command.ZADD, keys.consumers(), 2000, "busy-consumer");
        active(Priority.HIGH, "job-1", "busy-consumer", "sleep", 1500);
        active(Priority.LOW, "job-2", "busy-consumer", "echo", 1600);
        active(Priority.NORMAL, "job-3", "gone-consumer", "echo", 1700);

        ConsumersView view = inspector.consumers(DEFAULT_ONLY, 100).await().atMost(TestRedis.TIMEOUT);

        assertThat(view.now()).isCloseTo(System.currentTimeMillis(), org.assertj.core.data.Offset.offset(60_000L));
        assertThat(view.consumers()).extracting(ConsumerInfo::id)
                .containsExactly("busy-consumer", "old-consumer", "gone-consumer");
        ConsumerInfo busy = view.consumers().get(0);
        assertThat(busy.lastHeartbeat()).isEqualTo(2000);
        assertThat(busy.jobs()).containsExactly(new InFlightJob("job-1", "sleep", Priority.HIGH, 1, 1500),
                new InFlightJob("job-2", "echo", Priority.LOW, 1, 1600));
        assertThat(view.consumers().get(1).jobs()).isEmpty();
        assertThat(view.consumers().get(2).lastHeartbeat()).as("holds a job but no longer beats").isZero();
    }

    @Test
    void inFlightJobsAreCappedAndFinishedOnesLeftOut() {
        redis.send(Command.ZADD, keys.consumers(), 1000, "c");
        for (int i = 0; i < 5; i++) {
            active(Priority.NORMAL, "job-" + i, "c", "echo", 1000 + i);
        }
        redis.send(Command.ZADD, keys.active(Priority.NORMAL), 999_999, "finished-meanwhile");

        assertThat(inspector.consumers(DEFAULT_ONLY, 3).await().atMost(TestRedis.TIMEOUT).consumers().get(0).jobs()).hasSize(3);
        assertThat(inspector.consumers(DEFAULT_ONLY, 100).await().atMost(TestRedis.TIMEOUT).consumers().get(0).jobs()).hasSize(5);
    }

    @Test
    void scheduledJobsAreCountedPerQueueInTheOrderAsked() {
        redis.send(Command.ZADD, keys.scheduled(), 5000, "a", 6000, "b");
        redis.send(Command.ZADD, redis.keyspace.queue("mail").scheduled(), 7000, "c");

        assertThat(inspector.scheduled(List.of("mail", QueueNames.DEFAULT, "quiet")).await().atMost(TestRedis.TIMEOUT))
                .containsExactly(Map.entry("mail", 1L), Map.entry(QueueNames.DEFAULT, 2L), Map.entry("quiet", 0L));
        assertThat(inspector.scheduled(List.of()).await().atMost(TestRedis.TIMEOUT)).isEmpty();
    }

    @Test
    void retriesAreCountedPerPriority() {
        redis.send(Command.ZADD, keys.retry(Priority.LOW), 1, "a", 2, "b");

        assertThat(inspector.retrying(DEFAULT_ONLY).await().atMost(TestRedis.TIMEOUT))
                .isEqualTo(Map.of(Priority.HIGH, 0L, Priority.NORMAL, 0L, Priority.LOW, 2L));
    }

    @Test
    void documentIsTheWholeHash() {
        redis.send(Command.HSET, keys.job("j"), "id", "j", "status", "active", "consumer", "c", "claim", "7");

        assertThat(inspector.document("j").await().atMost(TestRedis.TIMEOUT)).contains(Map.of("id", "j",
                "status", "active", "consumer", "c", "claim", "7"));
        assertThat(inspector.document("absent").await().atMost(TestRedis.TIMEOUT)).isEmpty();
    }

    @Test
    void consumersOfSeveralQueuesAreMergedWithTheirJobsOfEveryQueueAndTheirLatestHeartbeat() {
        RedisKeys sms = redis.keys("sms");
        redis.send(Command.ZADD, keys.consumers(), 1000, "both");
        redis.send(Command.ZADD, sms.consumers(), 3000, "both");
        redis.send(Command.ZADD, sms.consumers(), 2000, "sms-only");
        String defaultJob = Ids.newJobId();
        String smsJob = Ids.newJobId("sms");
        active(keys, Priority.NORMAL, defaultJob, "both", "echo", 1500);
        active(sms, Priority.HIGH, smsJob, "both", "sms", 2500);

        ConsumersView view = inspector.consumers(List.of(QueueNames.DEFAULT, "sms"), 100).await()
                .atMost(TestRedis.TIMEOUT);
        ConsumersView defaultOnly = inspector.consumers(DEFAULT_ONLY, 100).await().atMost(TestRedis.TIMEOUT);

        assertThat(view.consumers()).extracting(ConsumerInfo::id).containsExactly("both", "sms-only");
        assertThat(view.consumers().get(0).lastHeartbeat()).isEqualTo(3000);
        assertThat(view.consumers().get(0).jobs()).containsExactlyInAnyOrder(
                new InFlightJob(defaultJob, "echo", Priority.NORMAL, 1, 1500),
                new InFlightJob(smsJob, "sms", Priority.HIGH, 1, 2500));
        assertThat(defaultOnly.consumers()).extracting(ConsumerInfo::id).containsExactly("both");
        assertThat(defaultOnly.consumers().get(0).jobs()).extracting(InFlightJob::id).containsExactly(defaultJob);
    }

    @Test
    void retriesOfSeveralQueuesAreAddedUpPerPriority() {
        redis.send(Command.ZADD, keys.retry(Priority.LOW), 1, "a");
        redis.send(Command.ZADD, redis.keys("sms").retry(Priority.LOW), 1, "b", 2, "c");
        redis.send(Command.ZADD, redis.keys("mail").retry(Priority.HIGH), 1, "d");

        assertThat(inspector.retrying(List.of(QueueNames.DEFAULT, "sms")).await().atMost(TestRedis.TIMEOUT))
                .isEqualTo(Map.of(Priority.HIGH, 0L, Priority.NORMAL, 0L, Priority.LOW, 3L));
    }

    @Test
    void documentOfAJobOfANamedQueueIsReadFromThatQueuesKeys() {
        String id = Ids.newJobId("sms");
        redis.send(Command.HSET, redis.keys("sms").job(id), "id", id, "status", "queued");

        assertThat(inspector.document(id).await().atMost(TestRedis.TIMEOUT)).contains(Map.of("id", id,
                "status", "queued"));
        assertThat(redis.keysMatching("*")).containsExactly("test:{q:sms}:job:" + id);
    }

    private static void active(Priority priority, String id, String consumer, String type, long startedAt) {
        active(keys, priority, id, consumer, type, startedAt);
    }

    private static void active(RedisKeys keys, Priority priority, String id, String consumer, String type,
            long startedAt) {
        redis.send(Command.ZADD, keys.active(priority), startedAt + 4000, id);
        redis.send(Command.HSET, keys.job(id), "id", id, "type", type, "status", "active", "attempts", 1,
                "startedAt", startedAt, "consumer", consumer, "claim", 3);
    }
}
