package io.livequeue.core.rdb;

import static org.assertj.core.api.Assertions.assertThat;

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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An upgrade in place: jobs the previous version wrote (one queue, keys {@code <prefix>:{jobs}:…}, plain UUID ids) are
 * written here with raw commands, exactly as its scripts left them, and the new code must take every one of them
 * further: the waiting job is claimed, the job whose consumer died is reclaimed and claimed again, the due retry is
 * put back in line, the dead job is listed and revived. Nothing is lost and nothing needs migrating.
 */
class OldLayoutUpgradeTest {

    private static final String DEFAULT = QueueNames.DEFAULT;

    private static TestRedis redis;

    @BeforeAll
    static void startRedis() {
        redis = TestRedis.start();
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
    }

    @Test
    void jobsWrittenByThePreviousVersionAreClaimedReclaimedAndRevivedByTheNewOne() {
        long now = redis.now();
        String waiting = Ids.newJobId();
        String stalled = Ids.newJobId();
        String retrying = Ids.newJobId();
        String dead = Ids.newJobId();
        // as enqueue.lua wrote a job, then LPUSH on its pending list and a wake-up marker
        oldJob(waiting, "normal", "queued", 0, now - 5000, 1);
        redis.send(Command.LPUSH, "test:{jobs}:pending:normal", waiting);
        redis.send(Command.LPUSH, "test:{jobs}:signal", "1");
        // as claim.lua left a job whose consumer then died: active, lease ended a second ago
        oldJob(stalled, "high", "active", 1, now - 60_000, 2);
        redis.send(Command.HSET, "test:{jobs}:job:" + stalled, "startedAt", now - 31_000, "consumer", "old-consumer",
                "claim", 2);
        redis.send(Command.ZADD, "test:{jobs}:active:high", now - 1000, stalled);
        // as claim.lua left a failed attempt retried after a delay that has passed
        oldJob(retrying, "normal", "failed", 1, now - 60_000, 3);
        redis.send(Command.HSET, "test:{jobs}:job:" + retrying, "error", "boom", "errors", "[\"boom\"]", "claim", "");
        redis.send(Command.ZADD, "test:{jobs}:retry:normal", now - 1000, retrying);
        // as claim.lua left a job whose attempts were used up
        oldJob(dead, "low", "dead", 3, now - 120_000, 7);
        redis.send(Command.HSET, "test:{jobs}:job:" + dead, "error", "gave up", "errors", "[\"a\",\"b\",\"gave up\"]",
                "finishedAt", now - 100_000, "claim", "");
        redis.send(Command.ZADD, "test:{jobs}:dead:low", now - 100_000, dead);

        QueueState before = redis.queues.state(DEFAULT).await().atMost(TestRedis.TIMEOUT);
        DeadPage deadPage = redis.deadLetters.page(List.of(DEFAULT), 0, 10).await().atMost(TestRedis.TIMEOUT);
        Heartbeat beat = redis.store.heartbeat(DEFAULT, "new-consumer", List.of(), Duration.ofSeconds(30),
                Duration.ofMinutes(1), Duration.ZERO).await().atMost(TestRedis.TIMEOUT);
        List<ClaimedJob> firstRound = claimAll();
        boolean revived = redis.deadLetters.revive(dead).await().atMost(TestRedis.TIMEOUT);
        List<ClaimedJob> secondRound = claimAll();

        assertThat(before.waiting()).isEqualTo(1);
        assertThat(before.active()).isEqualTo(1);
        assertThat(before.retrying()).isEqualTo(1);
        assertThat(before.dead()).isEqualTo(1);
        assertThat(deadPage.total()).isEqualTo(1);
        assertThat(deadPage.jobs()).extracting(Job::id).containsExactly(dead);
        assertThat(beat.reclaimed()).containsExactly(new Heartbeat.Reclaimed(DEFAULT, "echo", Priority.HIGH));
        assertThat(beat.forwarded()).isEqualTo(1);
        assertThat(firstRound).extracting(ClaimedJob::id).containsExactly(stalled, waiting, retrying);
        assertThat(firstRound).extracting(ClaimedJob::attempts).containsExactly(2, 1, 2);
        assertThat(firstRound.get(0).payload()).isEqualTo("{\"old\":true}");
        assertThat(revived).isTrue();
        assertThat(secondRound).extracting(ClaimedJob::id).containsExactly(dead);
        assertThat(secondRound.get(0).attempts()).isEqualTo(1);
        assertThat(secondRound.get(0).claim()).isEqualTo("9");

        List<ClaimedJob> all = new ArrayList<>(firstRound);
        all.addAll(secondRound);
        for (ClaimedJob job : all) {
            String event = JobEvent.json(job.id(), job.type(), JobStatus.COMPLETED, job.attempts(), "1", null);
            assertThat(redis.store.finish(job, JobStatus.COMPLETED, "1", null, event, Duration.ZERO, Duration.ZERO)
                    .await().atMost(TestRedis.TIMEOUT)).as(job.id()).isTrue();
        }
        List<Job> done = redis.store.findAll(List.of(waiting, stalled, retrying, dead)).await()
                .atMost(TestRedis.TIMEOUT);
        assertThat(done).extracting(Job::status).containsOnly(JobStatus.COMPLETED).hasSize(4);
        assertThat(redis.keysMatching("*")).as("everything stayed under the old tag")
                .allMatch(key -> key.startsWith("test:{jobs}:"));
        QueueState after = redis.queues.state(DEFAULT).await().atMost(TestRedis.TIMEOUT);
        assertThat(List.of(after.waiting(), after.active(), after.retrying(), after.dead()))
                .containsExactly(0L, 0L, 0L, 0L);
    }

    private static void oldJob(String id, String priority, String status, int attempts, long createdAt, int version) {
        redis.send(Command.HSET, "test:{jobs}:job:" + id, "id", id, "type", "echo", "status", status, "priority",
                priority, "attempts", attempts, "maxAttempts", 3, "payload", "{\"old\":true}", "replyTo", "",
                "createdAt", createdAt, "v", version);
    }

    private static List<ClaimedJob> claimAll() {
        List<ClaimedJob> claimed = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            Turn turn = redis.store.finishAndClaim(DEFAULT, List.of(), "new-consumer", Duration.ofSeconds(30),
                    Duration.ZERO, 1).await().atMost(TestRedis.TIMEOUT);
            if (turn.claimed().isEmpty()) {
                return claimed;
            }
            claimed.addAll(turn.claimed());
        }
        return claimed;
    }
}
