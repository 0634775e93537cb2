package io.livequeue.core.rdb;

import static org.assertj.core.api.Assertions.assertThat;

import io.livequeue.core.Priority;
import io.vertx.mutiny.redis.client.Command;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The operators' read-only views, against a real redis-server, with the keys laid out as the scripts write them. */
class InspectorTest {

    private static TestRedis redis;
    private static RedisKeys keys;
    private static Inspector inspector;

    @BeforeAll
    static void startRedis() {
        redis = TestRedis.start();
        keys = redis.store.keys();
        inspector = new Inspector(redis.redis, keys, Duration.ofSeconds(2));
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

        ConsumersView view = inspector.consumers(100).await().atMost(TestRedis.TIMEOUT);

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

        assertThat(inspector.consumers(3).await().atMost(TestRedis.TIMEOUT).consumers().get(0).jobs()).hasSize(3);
        assertThat(inspector.consumers(100).await().atMost(TestRedis.TIMEOUT).consumers().get(0).jobs()).hasSize(5);
    }

    @Test
    void retriesAreCountedPerPriority() {
        redis.send(Command.ZADD, keys.retry(Priority.LOW), 1, "a", 2, "b");

        assertThat(inspector.retrying().await().atMost(TestRedis.TIMEOUT))
                .isEqualTo(Map.of(Priority.HIGH, 0L, Priority.NORMAL, 0L, Priority.LOW, 2L));
    }

    @Test
    void deadIdsAreNewestFirstAcrossPriorities() {
        redis.send(Command.ZADD, keys.dead(Priority.HIGH), 10, "h1", 40, "h2");
        redis.send(Command.ZADD, keys.dead(Priority.LOW), 30, "l1");
        redis.send(Command.ZADD, keys.dead(Priority.NORMAL), 20, "n1");

        assertThat(inspector.deadIds(3).await().atMost(TestRedis.TIMEOUT)).isEqualTo(List.of("h2", "l1", "n1"));
        assertThat(inspector.deadIds(10).await().atMost(TestRedis.TIMEOUT)).hasSize(4);
    }

    @Test
    void documentIsTheWholeHash() {
        redis.send(Command.HSET, keys.job("j"), "id", "j", "status", "active", "consumer", "c", "claim", "7");

        assertThat(inspector.document("j").await().atMost(TestRedis.TIMEOUT)).contains(Map.of("id", "j",
                "status", "active", "consumer", "c", "claim", "7"));
        assertThat(inspector.document("absent").await().atMost(TestRedis.TIMEOUT)).isEmpty();
    }

    private static void active(Priority priority, String id, String consumer, String type, long startedAt) {
        redis.send(Command.ZADD, keys.active(priority), startedAt + 4000, id);
        redis.send(Command.HSET, keys.job(id), "id", id, "type", type, "status", "active", "attempts", 1,
                "startedAt", startedAt, "consumer", consumer, "claim", 3);
    }
}
