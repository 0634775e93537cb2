package io.livequeue.core.rdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.livequeue.core.Ids;
import io.livequeue.core.Job;
import io.livequeue.core.Priority;
import io.livequeue.core.QueueNames;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What {@code enqueue.lua} keeps for "Safe to expose": each job's owner, an idempotent request's receipt (bound to
 * the request's fingerprint, readable after the jobs are gone) and a waiting limit that counts retries too.
 */
class OwnersAndReceiptsTest {

    private static final String DEFAULT = QueueNames.DEFAULT;
    private static final Duration DAY = Duration.ofDays(1);

    private static TestRedis redis;
    private static JobStore store;

    @BeforeAll
    static void startRedis() {
        redis = TestRedis.start();
        store = redis.store;
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
    void aJobRecordsItsOwnerAndAnAnonymousOneNone() {
        String mine = Ids.newJobId();
        String anonymous = Ids.newJobId();

        store.enqueue(DEFAULT, List.of(job(mine)), 0, "key:billing", (JobStore.Idempotency) null).await().atMost(TestRedis.TIMEOUT);
        store.enqueue(DEFAULT, List.of(job(anonymous)), 0, null, (JobStore.Idempotency) null).await().atMost(TestRedis.TIMEOUT);

        assertThat(find(mine).owner()).isEqualTo("key:billing");
        assertThat(find(anonymous).owner()).isEqualTo(Job.ANONYMOUS);
        assertThat(hfield(anonymous, "owner")).as("no field is written for the anonymous caller").isNull();
    }

    @Test
    void aReplayReturnsTheFirstRequestsReceiptEvenAfterItsJobsAreGone() {
        String a = Ids.newJobId();
        String b = Ids.newJobId();
        JobStore.Idempotency key = new JobStore.Idempotency("d1", DAY, "fp1");
        Enqueued first = store.enqueue(DEFAULT, List.of(job(a), new NewJob(b, "sms", Priority.LOW, 1, null, null)),
                0, "jwt:alice", key).await().atMost(TestRedis.TIMEOUT);
        redis.redis.send(Request.cmd(Command.DEL).arg(redis.keyspace.queue(DEFAULT).job(a))
                .arg(redis.keyspace.queue(DEFAULT).job(b))).await().atMost(TestRedis.TIMEOUT);

        Enqueued replay = store.enqueue(DEFAULT, List.of(job(Ids.newJobId())), 0, "jwt:alice", key).await()
                .atMost(TestRedis.TIMEOUT);

        assertThat(replay.replayed()).isTrue();
        assertThat(replay.fingerprint()).isEqualTo("fp1");
        assertThat(replay.createdAt()).isEqualTo(first.createdAt());
        assertThat(replay.firstJobs()).containsExactly(new Enqueued.Receipt(a, "echo", Priority.NORMAL),
                new Enqueued.Receipt(b, "sms", Priority.LOW));
    }

    @Test
    void aKeyStoredBeforeReceiptsExistedIsReadAsTheIdsItHolds() {
        String a = Ids.newJobId();
        String b = Ids.newJobId();
        redis.redis.send(Request.cmd(Command.SET).arg(redis.keyspace.queue(DEFAULT).idempotency("old"))
                .arg(a + "," + b)).await().atMost(TestRedis.TIMEOUT);

        Enqueued replay = store.enqueue(DEFAULT, List.of(job(Ids.newJobId())), 0, null,
                new JobStore.Idempotency("old", DAY, "fp")).await().atMost(TestRedis.TIMEOUT);

        assertThat(replay.firstIds()).containsExactly(a, b);
        assertThat(replay.fingerprint()).isNull();
        assertThat(replay.firstJobs()).isNull();
    }

    @Test
    void jobsWaitingToRetryCountAgainstTheWaitingLimit() {
        store.enqueue(DEFAULT, List.of(job(Ids.newJobId())), 2).await().atMost(TestRedis.TIMEOUT);
        redis.redis.send(Request.cmd(Command.ZADD).arg(redis.keyspace.queue(DEFAULT).retry(Priority.LOW))
                .arg(System.currentTimeMillis() + 60_000).arg(Ids.newJobId())).await().atMost(TestRedis.TIMEOUT);

        assertThatThrownBy(() -> store.enqueue(DEFAULT, List.of(job(Ids.newJobId())), 2).await()
                .atMost(TestRedis.TIMEOUT)).isInstanceOf(QueueFullException.class);
        store.enqueue(DEFAULT, List.of(job(Ids.newJobId())), 3).await().atMost(TestRedis.TIMEOUT);
    }

    private static NewJob job(String id) {
        return new NewJob(id, "echo", Priority.NORMAL, 3, null, null);
    }

    private static Job find(String id) {
        return store.find(id).await().atMost(TestRedis.TIMEOUT).orElseThrow();
    }

    private static String hfield(String id, String field) {
        var reply = redis.redis.send(Request.cmd(Command.HGET).arg(redis.keyspace.ofJob(id).job(id)).arg(field))
                .await().atMost(TestRedis.TIMEOUT);
        return reply == null ? null : reply.toString();
    }
}
