package io.livequeue.core.rdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.livequeue.core.Ids;
import io.livequeue.core.JobEvent;
import io.livequeue.core.JobStatus;
import io.livequeue.core.Priority;
import io.livequeue.core.QueueNames;
import io.vertx.mutiny.redis.client.Command;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A Redis at its maxmemory that evicts nothing (noeviction, as a queue must run) refuses writes that need memory: an
 * enqueue fails with {@link StorageFullException}, whose outcome is known, having stored nothing; the jobs Redis holds
 * are still handed out and completed, which is how a full Redis gets room again (finished jobs expire).
 */
class RedisFullTest {

    private static final Duration LEASE = Duration.ofSeconds(30);

    private static TestRedis redis;

    @BeforeAll
    static void startRedis() {
        redis = TestRedis.start();
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
    }

    @BeforeEach
    void emptyRedis() {
        redis.flushAll();
        redis.send(Command.CONFIG, "SET", "maxmemory-policy", "noeviction");
    }

    @AfterEach
    void roomAgain() {
        redis.send(Command.CONFIG, "SET", "maxmemory", "0");
    }

    @Test
    void anEnqueueRefusedForWantOfMemoryIsKnownToHaveStoredNothing() {
        full();

        assertThatThrownBy(() -> enqueue(Ids.newJobId(), Ids.newJobId()))
                .isInstanceOfSatisfying(StorageFullException.class, e -> assertThat(e.outcomeUnknown()).isFalse())
                .hasMessageContaining("maxmemory");
        assertThat(redis.keysMatching(TestRedis.PREFIX + ":*")).isEmpty();
    }

    @Test
    void aFullRedisStillHandsOutTheJobsItHoldsAndCompletesThem() {
        // Redis checks memory only at a script's first write: claim.lua's is an RPOP and finishing a completed job
        // starts with its PEXPIRE, neither of which needs memory, so consumers drain a full Redis instead of stalling
        String id = Ids.newJobId();
        enqueue(id);
        full();

        ClaimedJob claimed = redis.store.claim(QueueNames.DEFAULT, "consumer-1", LEASE, Duration.ZERO).await()
                .atMost(TestRedis.TIMEOUT);
        boolean recorded = redis.store.finish(claimed, JobStatus.COMPLETED, "{}", null,
                JobEvent.json(id, "echo", JobStatus.COMPLETED, 1, "{}", null), Duration.ofHours(1), Duration.ZERO)
                .await().atMost(TestRedis.TIMEOUT);

        assertThat(claimed.id()).isEqualTo(id);
        assertThat(recorded).isTrue();
        assertThat(redis.store.find(id).await().atMost(TestRedis.TIMEOUT)).get()
                .satisfies(job -> assertThat(job.status()).isEqualTo(JobStatus.COMPLETED));
    }

    /** Redis holds more than it may: every write that would need memory is refused from now on. */
    private static void full() {
        redis.send(Command.CONFIG, "SET", "maxmemory", "1");
    }

    private static void enqueue(String... ids) {
        List<NewJob> jobs = java.util.Arrays.stream(ids).map(id -> new NewJob(id, "echo", Priority.NORMAL, 3, "{}",
                null)).toList();
        redis.store.enqueue(QueueNames.DEFAULT, jobs, 0).await().atMost(TestRedis.TIMEOUT);
    }
}
