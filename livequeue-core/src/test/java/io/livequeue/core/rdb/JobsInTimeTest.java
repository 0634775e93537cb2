package io.livequeue.core.rdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.livequeue.core.Ids;
import io.livequeue.core.Job;
import io.livequeue.core.JobEvent;
import io.livequeue.core.JobStatus;
import io.livequeue.core.Priority;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Jobs in time, in the storage protocol against a real redis-server: scheduled jobs wait in their set until due and are
 * then claimed (never before), deadlines end jobs that did not start, cancellation ends a waiting job at once and a
 * running one through its consumer, and progress reports grow the job's version while its attempt holds the claim.
 */
class JobsInTimeTest {

    private static final String QUEUE = "timed";
    private static final Duration LEASE = Duration.ofSeconds(30);
    private static final Duration RETENTION = Duration.ofHours(1);

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
    void aDelayedJobIsScheduledUntilItsTimeAndOnlyThenClaimed() {
        NewJob job = job().withRunAt(NewJob.When.after(Duration.ofMillis(300)));
        long createdAt = store.enqueue(QUEUE, List.of(job), 0).await().atMost(TestRedis.TIMEOUT);

        Job stored = find(job.id());
        assertThat(stored.status()).isEqualTo(JobStatus.SCHEDULED);
        assertThat(stored.runAt()).isEqualTo(createdAt + 300);
        assertThat(stored.eventJson()).contains("\"status\":\"scheduled\"").contains("\"runAt\":" + (createdAt + 300));

        Turn early = claim(1);
        assertThat(early.claimed()).as("not due yet").isEmpty();
        assertThat(early.nextDue()).as("the claim says when to look again").isEqualTo(createdAt + 300);

        Turn due = await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
                .until(() -> claim(1), turn -> !turn.claimed().isEmpty());
        assertThat(due.claimed().get(0).id()).isEqualTo(job.id());
        assertThat(due.now()).as("claimed at or after its time, never before").isGreaterThanOrEqualTo(createdAt + 300);
        assertThat(due.nextDue()).as("nothing else is scheduled").isZero();
    }

    @Test
    void aThousandScheduledJobsAreEachClaimedAtOrAfterTheirTime() {
        List<NewJob> jobs = new ArrayList<>();
        Map<String, Long> delays = new HashMap<>();
        for (int i = 0; i < 1000; i++) {
            long delay = i % 7 == 0 ? 0 : (i * 37L) % 1500;
            NewJob job = job().withRunAt(NewJob.When.after(Duration.ofMillis(delay)));
            jobs.add(job);
            delays.put(job.id(), delay);
        }
        long createdAt = store.enqueue(QUEUE, jobs, 0).await().atMost(TestRedis.TIMEOUT);
        Map<String, Long> claimedAt = new ConcurrentHashMap<>();

        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(5)).until(() -> {
            Turn turn = claim(50);
            turn.claimed().forEach(c -> assertThat(claimedAt.put(c.id(), turn.now())).as("claimed once").isNull());
            return claimedAt.size() == 1000;
        });

        claimedAt.forEach((id, at) -> assertThat(at).as("job %s due at +%d ms", id, delays.get(id))
                .isGreaterThanOrEqualTo(createdAt + delays.get(id)));
    }

    @Test
    void aHeartbeatMovesDueScheduledJobsToTheirLineAndSaysWhenTheNextIsDue() {
        NewJob soon = job().withRunAt(NewJob.When.after(Duration.ofMillis(50)));
        NewJob later = job().withRunAt(NewJob.When.after(Duration.ofHours(1)));
        long createdAt = store.enqueue(QUEUE, List.of(soon, later), 0).await().atMost(TestRedis.TIMEOUT);

        Heartbeat beat = await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
                .until(() -> store.heartbeat(QUEUE, "c1", List.of(), LEASE, Duration.ofMinutes(1), RETENTION)
                        .await().atMost(TestRedis.TIMEOUT), b -> b.forwarded() == 1);

        assertThat(find(soon.id()).status()).isEqualTo(JobStatus.QUEUED);
        assertThat(find(later.id()).status()).isEqualTo(JobStatus.SCHEDULED);
        assertThat(beat.nextDue()).isEqualTo(createdAt + 3_600_000);
    }

    @Test
    void aJobPastItsDeadlineNeverRunsAndIsDeadExpired() {
        NewJob expiring = job().withExpiresAt(NewJob.When.after(Duration.ofMillis(100)));
        NewJob scheduledPastDeadline = job().withRunAt(NewJob.When.after(Duration.ofMillis(150)))
                .withExpiresAt(NewJob.When.after(Duration.ofMillis(100)));
        long createdAt = store.enqueue(QUEUE, List.of(expiring, scheduledPastDeadline), 0)
                .await().atMost(TestRedis.TIMEOUT);
        assertThat(find(expiring.id()).expiresAt()).isEqualTo(createdAt + 100);

        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
                .until(() -> redisNow() > createdAt + 150);
        Turn turn = claim(10);

        assertThat(turn.claimed()).as("neither runs").isEmpty();
        for (NewJob job : List.of(expiring, scheduledPastDeadline)) {
            Job dead = find(job.id());
            assertThat(dead.status()).isEqualTo(JobStatus.DEAD);
            assertThat(dead.error()).isEqualTo("expired");
            assertThat(dead.startedAt()).isNull();
        }
        assertThat(redis.deadLetters.page(List.of(QUEUE), 0, 10).await().atMost(TestRedis.TIMEOUT).total())
                .isEqualTo(2);
    }

    @Test
    void anOperatorRetriesAnExpiredJobWithANewDeadline() {
        NewJob expiring = job().withExpiresAt(NewJob.When.after(Duration.ofMillis(20)));
        long createdAt = store.enqueue(QUEUE, List.of(expiring), 0).await().atMost(TestRedis.TIMEOUT);
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(10))
                .until(() -> redisNow() > createdAt + 20);
        assertThat(claim(1).claimed()).isEmpty();

        assertThat(redis.deadLetters.revive(expiring.id(), NewJob.When.after(Duration.ofMinutes(5)))
                .await().atMost(TestRedis.TIMEOUT)).isTrue();

        Job revived = find(expiring.id());
        assertThat(revived.status()).isEqualTo(JobStatus.QUEUED);
        assertThat(revived.expiresAt()).isGreaterThan(createdAt + 60_000);
        assertThat(claim(1).claimed()).extracting(ClaimedJob::id).containsExactly(expiring.id());
    }

    @Test
    void cancellingAWaitingJobEndsItAtOnceAndNoClaimTakesIt() {
        NewJob queued = job();
        NewJob scheduled = job().withRunAt(NewJob.When.after(Duration.ofMillis(1)));
        NewJob later = job().withRunAt(NewJob.When.after(Duration.ofHours(1)));
        store.enqueue(QUEUE, List.of(queued, scheduled, later), 0).await().atMost(TestRedis.TIMEOUT);

        for (NewJob job : List.of(queued, scheduled, later)) {
            assertThat(cancel(job.id())).isEqualTo(JobStore.Cancelled.CANCELLED);
            Job cancelled = find(job.id());
            assertThat(cancelled.status()).isEqualTo(JobStatus.CANCELLED);
            assertThat(cancelled.finishedAt()).isNotNull();
        }
        assertThat(claim(10).claimed()).isEmpty();
        assertThat(cancel(queued.id())).as("a second cancel finds it final").isEqualTo(JobStore.Cancelled.FINISHED);
        assertThat(cancel(Ids.newJobId(QUEUE))).isEqualTo(JobStore.Cancelled.NOT_FOUND);
    }

    @Test
    void cancellingAJobWaitingToRetryTakesItOutOfTheRetrySet() {
        NewJob job = job();
        store.enqueue(QUEUE, List.of(job), 0).await().atMost(TestRedis.TIMEOUT);
        ClaimedJob claimed = claim(1).claimed().get(0);
        finish(claimed, JobStatus.FAILED, Duration.ofMinutes(10));

        assertThat(cancel(job.id())).isEqualTo(JobStore.Cancelled.CANCELLED);
        assertThat(redis.inspector.retrying(List.of(QUEUE)).await().atMost(TestRedis.TIMEOUT).values())
                .allMatch(count -> count == 0);
    }

    @Test
    void aRunningJobIsToldAndEndsCancelledUnlessItCompletedFirst() {
        NewJob stopped = job();
        NewJob completes = job();
        store.enqueue(QUEUE, List.of(stopped, completes), 0).await().atMost(TestRedis.TIMEOUT);
        List<ClaimedJob> running = claim(2).claimed();

        assertThat(cancel(stopped.id())).isEqualTo(JobStore.Cancelled.REQUESTED);
        assertThat(cancel(completes.id())).isEqualTo(JobStore.Cancelled.REQUESTED);
        Heartbeat beat = store.heartbeat(QUEUE, "c1", running, LEASE, Duration.ofMinutes(1), RETENTION)
                .await().atMost(TestRedis.TIMEOUT);
        assertThat(beat.cancelled()).as("the heartbeat repeats what the channel said")
                .containsExactlyInAnyOrder(stopped.id(), completes.id());

        ClaimedJob first = running.stream().filter(c -> c.id().equals(stopped.id())).findFirst().orElseThrow();
        ClaimedJob second = running.stream().filter(c -> c.id().equals(completes.id())).findFirst().orElseThrow();
        finish(first, JobStatus.FAILED, Duration.ofSeconds(1)); // a handler that threw on its interrupt
        finish(second, JobStatus.COMPLETED, Duration.ZERO);

        assertThat(find(stopped.id()).status()).as("cancelled, not retried").isEqualTo(JobStatus.CANCELLED);
        assertThat(find(completes.id()).status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(redis.inspector.retrying(List.of(QUEUE)).await().atMost(TestRedis.TIMEOUT).values())
                .allMatch(count -> count == 0);
    }

    @Test
    void cancelRacingClaimLeavesEveryJobWithExactlyOneFinalState() {
        List<NewJob> jobs = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            jobs.add(job());
        }
        store.enqueue(QUEUE, jobs, 0).await().atMost(TestRedis.TIMEOUT);
        Map<String, ClaimedJob> claimed = new ConcurrentHashMap<>();
        Map<String, JobStore.Cancelled> cancels = new ConcurrentHashMap<>();

        // in waves of 10 cancels and 10 claims at once (the test client's pool holds 24 commands in flight)
        for (int wave = 0; wave < 1000; wave += 10) {
            List<Uni<Void>> race = new ArrayList<>();
            for (int i = wave; i < wave + 10; i++) {
                String id = jobs.get(i).id();
                race.add(store.cancel(id, RETENTION).invoke(result -> cancels.put(id, result)).replaceWithVoid());
                race.add(store.finishAndClaim(QUEUE, List.of(), "c1", LEASE, RETENTION, 1)
                        .invoke(turn -> turn.claimed().forEach(c -> claimed.put(c.id(), c))).replaceWithVoid());
            }
            Uni.join().all(race).andFailFast().await().atMost(Duration.ofSeconds(30));
        }
        // every claimed job's handler finishes (completes), as a worker would record it
        List<Finished> outcomes = claimed.values().stream().map(c -> new Finished(c, JobStatus.COMPLETED, null, null,
                JobEvent.json(c.id(), c.type(), JobStatus.COMPLETED, c.attempts(), null, null), Duration.ZERO)).toList();
        for (Finished outcome : outcomes) {
            store.finishAndClaim(QUEUE, List.of(outcome), "c1", LEASE, RETENTION, 0).await().atMost(TestRedis.TIMEOUT);
        }

        Set<JobStatus> finals = Set.of(JobStatus.COMPLETED, JobStatus.CANCELLED);
        for (NewJob job : jobs) {
            Job end = find(job.id());
            assertThat(end.status()).isIn(finals);
            JobStore.Cancelled cancel = cancels.get(job.id());
            if (cancel == JobStore.Cancelled.CANCELLED) {
                assertThat(claimed).as("a job cancelled while waiting never ran").doesNotContainKey(job.id());
                assertThat(end.status()).isEqualTo(JobStatus.CANCELLED);
            } else {
                assertThat(claimed).as("a job its cancel found running or finished had been claimed")
                        .containsKey(job.id());
                assertThat(end.status()).as("its handler finished first").isEqualTo(JobStatus.COMPLETED);
            }
        }
        assertThat(claim(10).claimed()).isEmpty();
    }

    @Test
    void progressGrowsTheVersionWhileTheAttemptHoldsItsClaimAndNotAfter() {
        NewJob job = job();
        store.enqueue(QUEUE, List.of(job), 0).await().atMost(TestRedis.TIMEOUT);
        ClaimedJob running = claim(1).claimed().get(0);
        long before = find(job.id()).version();

        String progress = "{\"percent\":40,\"data\":{\"sent\":4}}";
        assertThat(store.progress(running, progress, JobEvent.json(job.id(), "echo", "active", 1, null, null,
                progress, null, -1)).await().atMost(TestRedis.TIMEOUT)).isTrue();
        Job reported = find(job.id());
        assertThat(reported.version()).isEqualTo(before + 1);
        assertThat(reported.progress()).isEqualTo(progress);
        assertThat(reported.eventJson()).contains("\"progress\":" + progress);

        finish(running, JobStatus.COMPLETED, Duration.ZERO);
        assertThat(store.progress(running, progress, "{}").await().atMost(TestRedis.TIMEOUT))
                .as("after the outcome nothing is recorded").isFalse();
        assertThat(find(job.id()).status()).isEqualTo(JobStatus.COMPLETED);
    }

    @Test
    void scheduledJobsCountAsWaitingAndAreListedEarliestFirst() {
        NewJob later = job().withRunAt(NewJob.When.after(Duration.ofHours(2)));
        NewJob sooner = job().withRunAt(NewJob.When.at(Instant.now().plus(Duration.ofHours(1))));
        store.enqueue(QUEUE, List.of(later, sooner), 0).await().atMost(TestRedis.TIMEOUT);

        JobStore.ScheduledPage page = store.scheduled(QUEUE, 0, 10).await().atMost(TestRedis.TIMEOUT);
        assertThat(page.total()).isEqualTo(2);
        assertThat(page.jobs()).extracting(Job::id).containsExactly(sooner.id(), later.id());
        assertThat(store.enqueue(QUEUE, List.of(job()), 2).onFailure().recoverWithItem(e -> -1L)
                .await().atMost(TestRedis.TIMEOUT)).as("the queue is full: two wait already").isEqualTo(-1L);
    }

    private static NewJob job() {
        return new NewJob(Ids.newJobId(QUEUE), "echo", Priority.NORMAL, 3, null, null);
    }

    private static Turn claim(int count) {
        return store.finishAndClaim(QUEUE, List.of(), "c1", LEASE, RETENTION, count).await().atMost(TestRedis.TIMEOUT);
    }

    private static void finish(ClaimedJob job, JobStatus status, Duration retryDelay) {
        store.finish(job, status, null, status == JobStatus.FAILED ? "boom" : null,
                JobEvent.json(job.id(), job.type(), status, job.attempts(), null, null), RETENTION, retryDelay)
                .await().atMost(TestRedis.TIMEOUT);
    }

    private static JobStore.Cancelled cancel(String id) {
        return store.cancel(id, RETENTION).await().atMost(TestRedis.TIMEOUT);
    }

    private static Job find(String id) {
        return store.find(id).await().atMost(TestRedis.TIMEOUT).orElseThrow();
    }

    private static long redisNow() {
        return claim(0).now();
    }
}
