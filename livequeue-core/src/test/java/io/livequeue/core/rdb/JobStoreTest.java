package io.livequeue.core.rdb;

import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.livequeue.core.Ids;
import io.livequeue.core.Job;
import io.livequeue.core.JobEvent;
import io.livequeue.core.JobStatus;
import io.livequeue.core.Priority;
import io.livequeue.core.QueueNames;
import io.vertx.mutiny.redis.client.Command;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.assertj.core.data.Offset;

/** The Redis storage protocol (enqueue/claim/finish Lua scripts, counts) against a real redis-server. */
class JobStoreTest {

    private static final String DEFAULT = QueueNames.DEFAULT;
    private static final Duration LEASE = Duration.ofSeconds(30);
    private static final String INBOX = "AAAAAAAAAAAAAAAAAAAAAA-inbox_1";

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
    void enqueuedJobIsFoundQueuedWithAllItsFields() {
        String id = Ids.newJobId();

        long createdAt = enqueue(new NewJob(id, "echo", Priority.HIGH, 5, "{\"a\":[1,2]}", INBOX));
        Job job = find(id);

        assertThat(job).isEqualTo(new Job(id, "echo", JobStatus.QUEUED, Priority.HIGH, 0, 5, "{\"a\":[1,2]}", null,
                null, null, INBOX, createdAt, null, null, 1, Job.ANONYMOUS));
        assertThat(createdAt).isCloseTo(System.currentTimeMillis(), Offset.offset(60_000L));
        assertThat(counts(Priority.HIGH)).isEqualTo(new QueueCounts(1, 0, 0));
    }

    @Test
    void jobWithoutPayloadOrReplyToIsStoredWithNulls() {
        String id = Ids.newJobId();

        enqueue(new NewJob(id, "echo", Priority.LOW, 1, null, null));
        Job job = find(id);

        assertThat(job.payload()).isNull();
        assertThat(job.replyTo()).isNull();
        assertThat(job.priority()).isEqualTo(Priority.LOW);
    }

    @Test
    void findOfAnUnknownIdIsEmpty() {
        assertThat(store.find(Ids.newJobId()).await().atMost(TestRedis.TIMEOUT)).isEmpty();
    }

    @Test
    void claimTakesHighBeforeNormalBeforeLow() {
        String low = Ids.newJobId();
        String normal = Ids.newJobId();
        String high = Ids.newJobId();
        enqueue(job(low, Priority.LOW));
        enqueue(job(normal, Priority.NORMAL));
        enqueue(job(high, Priority.HIGH));

        assertThat(List.of(claim().id(), claim().id(), claim().id())).containsExactly(high, normal, low);
    }

    @Test
    void claimIsFifoWithinOnePriority() {
        String first = Ids.newJobId();
        String second = Ids.newJobId();
        String third = Ids.newJobId();
        enqueue(job(first, Priority.NORMAL));
        enqueue(job(second, Priority.NORMAL), job(third, Priority.NORMAL));

        assertThat(List.of(claim().id(), claim().id(), claim().id())).containsExactly(first, second, third);
    }

    @Test
    void claimReturnsTheJobAndMakesItActive() {
        String id = Ids.newJobId();
        enqueue(new NewJob(id, "sms", Priority.NORMAL, 4, "{\"to\":\"+1555\"}", INBOX));

        ClaimedJob claimed = claim();
        Job job = find(id);

        assertThat(claimed).isEqualTo(new ClaimedJob(id, "sms", Priority.NORMAL, 1, 4, "{\"to\":\"+1555\"}", INBOX, "2",
                job.createdAt(), job.startedAt()));
        assertThat(job.status()).isEqualTo(JobStatus.ACTIVE);
        assertThat(job.attempts()).isEqualTo(1);
        assertThat(job.version()).isEqualTo(2);
        assertThat(job.startedAt()).isGreaterThanOrEqualTo(job.createdAt());
        assertThat(redis.send(Command.HGET, redis.defaultKeys().job(id), "consumer").toString()).isEqualTo("consumer-1");
        assertThat(counts(Priority.NORMAL)).isEqualTo(new QueueCounts(0, 1, 0));
    }

    @Test
    void claimOnEmptyQueuesReturnsNullAndClearsStaleWakeUpMarkers() {
        redis.send(Command.LPUSH, redis.defaultKeys().signal(), "1");

        ClaimedJob claimed = claim();

        assertThat(claimed).isNull();
        assertThat(redis.send(Command.EXISTS, redis.defaultKeys().signal()).toInteger()).isZero();
    }

    @Test
    void claimSkipsAnIdWhoseJobHashIsGone() {
        String gone = Ids.newJobId();
        String present = Ids.newJobId();
        enqueue(job(gone, Priority.NORMAL), job(present, Priority.NORMAL));
        redis.send(Command.DEL, redis.defaultKeys().job(gone));

        assertThat(claim().id()).isEqualTo(present);
        assertThat(claim()).isNull();
    }

    @Test
    void finishCompletedStoresResultAndFinishedAtAndLeavesTheActiveSet() {
        String id = Ids.newJobId();
        enqueue(job(id, Priority.NORMAL));
        ClaimedJob claimed = claim();

        boolean recorded = finish(claimed, JobStatus.COMPLETED, "{\"ok\":true}", null, Duration.ZERO);
        Job job = find(id);

        assertThat(recorded).isTrue();
        assertThat(job.status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(job.result()).isEqualTo("{\"ok\":true}");
        assertThat(job.error()).isNull();
        assertThat(job.finishedAt()).isNotNull().isGreaterThanOrEqualTo(job.startedAt());
        assertThat(job.version()).isEqualTo(3);
        assertThat(counts(Priority.NORMAL)).isEqualTo(new QueueCounts(0, 0, 0));
        assertThat(redis.send(Command.HGET, redis.defaultKeys().job(id), "claim").toString()).as("claim released").isEmpty();
    }

    @Test
    void finishFailedQueuesTheJobAgainForAnotherAttempt() {
        String id = Ids.newJobId();
        enqueue(job(id, Priority.LOW));
        ClaimedJob first = claim();

        boolean recorded = finish(first, JobStatus.FAILED, null, "boom", Duration.ZERO);
        Job failed = find(id);
        ClaimedJob second = claim();

        assertThat(recorded).isTrue();
        assertThat(failed.status()).isEqualTo(JobStatus.FAILED);
        assertThat(failed.error()).isEqualTo("boom");
        assertThat(failed.finishedAt()).isNull();
        assertThat(second.id()).isEqualTo(id);
        assertThat(second.attempts()).isEqualTo(2);
        assertThat(second.claim()).isNotEqualTo(first.claim());
        assertThat(counts(Priority.LOW)).isEqualTo(new QueueCounts(0, 1, 0));
    }

    @Test
    void finishDeadMovesTheJobToTheDeadSet() {
        String id = Ids.newJobId();
        enqueue(job(id, Priority.HIGH));
        ClaimedJob claimed = claim();

        boolean recorded = finish(claimed, JobStatus.DEAD, null, "attempts used up", Duration.ZERO);
        Job job = find(id);

        assertThat(recorded).isTrue();
        assertThat(job.status()).isEqualTo(JobStatus.DEAD);
        assertThat(job.error()).isEqualTo("attempts used up");
        assertThat(job.finishedAt()).isNotNull();
        assertThat(counts(Priority.HIGH)).isEqualTo(new QueueCounts(0, 0, 1));
        assertThat(redis.send(Command.ZSCORE, redis.defaultKeys().dead(Priority.HIGH), id)).isNotNull();
    }

    @Test
    void finishWithAStaleClaimIsRefusedAndChangesNothing() {
        String id = Ids.newJobId();
        enqueue(job(id, Priority.NORMAL));
        ClaimedJob stale = claim();
        finish(stale, JobStatus.FAILED, null, "first attempt failed", Duration.ZERO);
        ClaimedJob current = claim();
        Job before = find(id);

        boolean recorded = finish(stale, JobStatus.COMPLETED, "{\"late\":true}", null, Duration.ZERO);

        assertThat(recorded).isFalse();
        assertThat(find(id)).isEqualTo(before);
        assertThat(before.status()).isEqualTo(JobStatus.ACTIVE);
        assertThat(before.attempts()).isEqualTo(2);
        assertThat(counts(Priority.NORMAL)).isEqualTo(new QueueCounts(0, 1, 0));
        assertThat(finish(current, JobStatus.COMPLETED, "{\"late\":false}", null, Duration.ZERO)).isTrue();
    }

    @Test
    void finishedJobHashExpiresAfterTheRetention() {
        String id = Ids.newJobId();
        enqueue(job(id, Priority.NORMAL));

        finish(claim(), JobStatus.COMPLETED, "1", null, Duration.ofMinutes(5));
        long pttl = redis.send(Command.PTTL, redis.defaultKeys().job(id)).toLong();

        assertThat(pttl).isPositive().isLessThanOrEqualTo(Duration.ofMinutes(5).toMillis());
    }

    @Test
    void finishedJobHashIsKeptForeverWithoutRetention() {
        String id = Ids.newJobId();
        enqueue(job(id, Priority.NORMAL));

        finish(claim(), JobStatus.DEAD, null, "gone", Duration.ZERO);

        assertThat(redis.send(Command.PTTL, redis.defaultKeys().job(id)).toLong()).isEqualTo(-1);
    }

    @Test
    void enqueueBeyondMaxWaitingFailsAndStoresNothing() {
        enqueueWithLimit(2, job(Ids.newJobId(), Priority.NORMAL), job(Ids.newJobId(), Priority.LOW));
        String refused = Ids.newJobId();

        assertThatThrownBy(() -> enqueueWithLimit(2, job(refused, Priority.HIGH)))
                .isInstanceOfSatisfying(QueueFullException.class, e -> assertThat(e.waiting()).isEqualTo(2));
        assertThat(store.find(refused).await().atMost(TestRedis.TIMEOUT)).isEmpty();
        assertThat(counts(Priority.HIGH)).isEqualTo(new QueueCounts(0, 0, 0));
    }

    @Test
    void batchThatWouldExceedMaxWaitingIsRefusedAsAWhole() {
        List<NewJob> batch = List.of(job(Ids.newJobId(), Priority.NORMAL), job(Ids.newJobId(), Priority.NORMAL),
                job(Ids.newJobId(), Priority.NORMAL));

        assertThatThrownBy(() -> enqueueWithLimit(2, batch.toArray(NewJob[]::new)))
                .isInstanceOfSatisfying(QueueFullException.class, e -> assertThat(e.waiting()).isZero());
        assertThat(counts(Priority.NORMAL)).isEqualTo(new QueueCounts(0, 0, 0));
        assertThat(redis.send(Command.DBSIZE).toLong()).isZero();
    }

    @Test
    void batchOfAThousandJobsIsStoredInOneCall() {
        List<NewJob> batch = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            batch.add(new NewJob(Ids.newJobId(), "echo", Priority.values()[i % 3], 3, "{\"i\":" + i + "}", null));
        }

        long createdAt = store.enqueue(DEFAULT, batch, 1000).await().atMost(TestRedis.TIMEOUT);

        Map<Priority, QueueCounts> counts = redis.queues.state(DEFAULT).await().atMost(TestRedis.TIMEOUT).counts();
        assertThat(counts.get(Priority.HIGH).waiting()).isEqualTo(334);
        assertThat(counts.get(Priority.NORMAL).waiting()).isEqualTo(333);
        assertThat(counts.get(Priority.LOW).waiting()).isEqualTo(333);
        // 1000 job hashes + 3 pending lists + the wake-up list (capped at 64 markers)
        assertThat(redis.send(Command.DBSIZE).toLong()).isEqualTo(1004);
        assertThat(redis.send(Command.LLEN, redis.defaultKeys().signal()).toLong()).isEqualTo(64);
        Job last = find(batch.get(999).id());
        assertThat(last.payload()).isEqualTo("{\"i\":999}");
        assertThat(last.createdAt()).isEqualTo(createdAt);
        assertThat(claim().id()).isEqualTo(batch.get(0).id());
    }

    @Test
    void operationsFailWithStorageUnavailableWhenRedisIsDown() {
        try (TestRedis downed = TestRedis.start()) {
            String id = Ids.newJobId();
            downed.store.enqueue(DEFAULT, List.of(job(id, Priority.NORMAL)), 0).await().atMost(TestRedis.TIMEOUT);

            downed.server.kill();

            assertThatThrownBy(() -> downed.store.find(id).await().atMost(TestRedis.TIMEOUT))
                    .isInstanceOf(StorageUnavailableException.class)
                    .hasMessageStartingWith("Redis find failed: ");
            assertThatThrownBy(() -> downed.store.enqueue(DEFAULT, List.of(job(Ids.newJobId(), Priority.NORMAL)), 0)
                    .await().atMost(TestRedis.TIMEOUT))
                    .isInstanceOf(StorageUnavailableException.class)
                    .hasMessageStartingWith("Redis enqueue failed: ");
            assertThatThrownBy(() -> downed.store.claim(DEFAULT, "consumer-1", LEASE, Duration.ZERO).await()
                    .atMost(TestRedis.TIMEOUT))
                    .isInstanceOf(StorageUnavailableException.class);
            assertThatThrownBy(() -> downed.queues.state(DEFAULT).await().atMost(TestRedis.TIMEOUT))
                    .isInstanceOf(StorageUnavailableException.class);
        }
    }

    @Test
    void scriptsRunAgainAfterRedisRestartedEmpty() {
        try (TestRedis restarted = TestRedis.start()) {
            restarted.store.enqueue(DEFAULT, List.of(job(Ids.newJobId(), Priority.NORMAL)), 0).await().atMost(TestRedis.TIMEOUT);

            restarted.server.restart(); // no persistence: the server comes back without data or cached scripts
            String id = Ids.newJobId();
            restarted.store.enqueue(DEFAULT, List.of(job(id, Priority.NORMAL)), 0).await().atMost(TestRedis.TIMEOUT);

            assertThat(restarted.store.claim(DEFAULT, "consumer-1", LEASE, Duration.ZERO).await().atMost(TestRedis.TIMEOUT).id())
                    .isEqualTo(id);
        }
    }

    @Test
    void jobWhoseLeaseRanOutIsTakenBackByAHeartbeatAndClaimedAgain() {
        String id = Ids.newJobId();
        enqueue(job(id, Priority.NORMAL));
        store.claim(DEFAULT, "crashed-consumer", Duration.ZERO, Duration.ZERO).await().atMost(TestRedis.TIMEOUT); // lease ends now

        Heartbeat beat = heartbeat();
        ClaimedJob retried = claim();

        assertThat(beat).isEqualTo(new Heartbeat(0, 0, List.of(new Heartbeat.Reclaimed(DEFAULT, "echo", Priority.NORMAL)), List.of(), 0));
        assertThat(retried).isNotNull();
        assertThat(retried.id()).isEqualTo(id);
        assertThat(retried.attempts()).isEqualTo(2);
        assertThat(find(id).errors()).isEqualTo("[\"lease expired: consumer crashed-consumer stopped during attempt 1\"]");
    }

    @Test
    void heartbeatExtendsTheLeasesOfItsOwnJobsSoTheyAreNotTakenBack() {
        String id = Ids.newJobId();
        enqueue(job(id, Priority.HIGH));
        ClaimedJob mine = store.claim(DEFAULT, "consumer-1", Duration.ZERO, Duration.ZERO).await().atMost(TestRedis.TIMEOUT);

        Heartbeat beat = store.heartbeat(DEFAULT, "consumer-1", List.of(mine), LEASE, Duration.ofMinutes(1), Duration.ZERO)
                .await().atMost(TestRedis.TIMEOUT);

        assertThat(beat).isEqualTo(new Heartbeat(1, 0, List.of(), List.of(), 0));
        assertThat(find(id).status()).isEqualTo(JobStatus.ACTIVE);
    }

    @Test
    void heartbeatPutsDueRetriesBackInLine() {
        String id = Ids.newJobId();
        enqueue(job(id, Priority.LOW));
        ClaimedJob claimed = claim();
        String event = JobEvent.json(id, "echo", JobStatus.FAILED, 1, null, "boom");
        store.finish(claimed, JobStatus.FAILED, null, "boom", event, Duration.ZERO, Duration.ofMillis(1)).await()
                .atMost(TestRedis.TIMEOUT);

        await().atMost(TestRedis.TIMEOUT).until(() -> heartbeat().forwarded() == 1);

        assertThat(counts(Priority.LOW)).isEqualTo(new QueueCounts(1, 0, 0));
        assertThat(claim().attempts()).isEqualTo(2);
    }

    @Test
    void finishAndClaimRecordsOutcomesAndTakesTheNextJobsInOneCall() {
        String a = Ids.newJobId(), b = Ids.newJobId(), c = Ids.newJobId(), d = Ids.newJobId();
        enqueue(job(a, Priority.NORMAL), job(b, Priority.NORMAL), job(c, Priority.LOW), job(d, Priority.LOW));
        ClaimedJob first = claim();
        ClaimedJob second = claim();
        List<Finished> outcomes = List.of(
                new Finished(first, JobStatus.COMPLETED, "{\"ok\":true}", null,
                        JobEvent.json(a, "echo", JobStatus.COMPLETED, 1, "{\"ok\":true}", null), Duration.ZERO),
                new Finished(second, JobStatus.DEAD, null, "bad", JobEvent.json(b, "echo", JobStatus.DEAD, 1, null,
                        "bad"), Duration.ZERO));

        Turn turn = store.finishAndClaim(DEFAULT, outcomes, "consumer-1", LEASE, Duration.ofMinutes(5), 3).await()
                .atMost(TestRedis.TIMEOUT);

        assertThat(turn.recorded()).containsExactly(true, true);
        assertThat(turn.throttle()).as("no flow control on the queue").isZero();
        assertThat(turn.now()).isEqualTo(find(a).finishedAt());
        assertThat(find(a).result()).isEqualTo("{\"ok\":true}");
        assertThat(find(b).status()).isEqualTo(JobStatus.DEAD);
        assertThat(turn.claimed()).extracting(ClaimedJob::id).containsExactly(c, d);
        assertThat(counts(Priority.LOW)).isEqualTo(new QueueCounts(0, 2, 0));
    }

    @Test
    void finishAndClaimWithALostClaimRecordsNothingButStillClaims() {
        String first = Ids.newJobId();
        String second = Ids.newJobId();
        enqueue(job(first, Priority.NORMAL), job(second, Priority.NORMAL));
        ClaimedJob stale = claim();
        ClaimedJob forged = new ClaimedJob(stale.id(), stale.type(), stale.priority(), stale.attempts(),
                stale.maxAttempts(), stale.payload(), stale.replyTo(), "999", stale.createdAt(), stale.startedAt());

        Turn turn = store.finishAndClaim(DEFAULT, List.of(new Finished(forged, JobStatus.COMPLETED, null, null, "{}",
                Duration.ZERO)), "consumer-1", LEASE, Duration.ZERO, 1).await().atMost(TestRedis.TIMEOUT);

        assertThat(turn.recorded()).containsExactly(false);
        assertThat(find(first).status()).isEqualTo(JobStatus.ACTIVE);
        assertThat(turn.claimed()).extracting(ClaimedJob::id).containsExactly(second);
    }

    private static NewJob job(String id, Priority priority) {
        return new NewJob(id, "echo", priority, 3, "{\"id\":\"" + id + "\"}", null);
    }

    private static long enqueue(NewJob... jobs) {
        return enqueueWithLimit(0, jobs);
    }

    private static long enqueueWithLimit(long maxWaiting, NewJob... jobs) {
        return store.enqueue(DEFAULT, List.of(jobs), maxWaiting).await().atMost(TestRedis.TIMEOUT);
    }

    private static Job find(String id) {
        Optional<Job> job = store.find(id).await().atMost(TestRedis.TIMEOUT);
        assertThat(job).as("job " + id).isPresent();
        return job.get();
    }

    private static Heartbeat heartbeat() {
        return store.heartbeat(DEFAULT, "consumer-2", List.of(), LEASE, Duration.ofMinutes(1), Duration.ZERO).await()
                .atMost(TestRedis.TIMEOUT);
    }

    private static ClaimedJob claim() {
        return store.claim(DEFAULT, "consumer-1", LEASE, Duration.ZERO).await().atMost(TestRedis.TIMEOUT);
    }

    private static boolean finish(ClaimedJob job, JobStatus outcome, String result, String error, Duration retention) {
        String event = JobEvent.json(job.id(), job.type(), outcome, job.attempts(), result, error);
        return store.finish(job, outcome, result, error, event, retention, Duration.ZERO).await()
                .atMost(TestRedis.TIMEOUT);
    }

    private static QueueCounts counts(Priority priority) {
        return redis.queues.state(DEFAULT).await().atMost(TestRedis.TIMEOUT).counts().get(priority);
    }
}
