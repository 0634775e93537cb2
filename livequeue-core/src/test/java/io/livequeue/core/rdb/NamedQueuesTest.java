package io.livequeue.core.rdb;

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
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Named queues against a real redis-server: each queue's jobs live under its own hash tag ({@code {jobs}} for
 * default, {@code {q:<name>}} for the others), and nothing one queue does reaches another.
 */
class NamedQueuesTest {

    private static final String DEFAULT = QueueNames.DEFAULT;
    private static final Duration LEASE = Duration.ofSeconds(30);

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
    void aJobOfQueueSmsLandsUnderTheSmsHashTag() {
        String id = Ids.newJobId("sms");

        enqueue("sms", job(id, Priority.HIGH));

        assertThat(redis.keysMatching("*")).containsExactly("test:{q:sms}:job:" + id, "test:{q:sms}:pending:high",
                "test:{q:sms}:signal");
        assertThat(redis.send(Command.LRANGE, "test:{q:sms}:pending:high", 0, -1).get(0).toString()).isEqualTo(id);
        assertThat(redis.send(Command.HGET, "test:{q:sms}:job:" + id, "status").toString()).isEqualTo("queued");
    }

    @Test
    void aJobOfTheDefaultQueueStaysUnderTheJobsHashTag() {
        String id = Ids.newJobId();

        enqueue(DEFAULT, job(id, Priority.NORMAL));

        assertThat(redis.keysMatching("*")).containsExactly("test:{jobs}:job:" + id, "test:{jobs}:pending:normal",
                "test:{jobs}:signal");
    }

    @Test
    void aClaimedJobOfANamedQueueStaysUnderItsTagThroughItsLife() {
        String id = Ids.newJobId("sms");
        enqueue("sms", job(id, Priority.LOW));

        ClaimedJob claimed = claim("sms");
        assertThat(redis.send(Command.ZSCORE, "test:{q:sms}:active:low", id)).isNotNull();
        finish(claimed, JobStatus.DEAD, "no such number");

        assertThat(claimed.queue()).isEqualTo("sms");
        assertThat(redis.send(Command.ZSCORE, "test:{q:sms}:dead:low", id)).isNotNull();
        assertThat(redis.keysMatching("test:{jobs}:*")).isEmpty();
        assertThat(store.find(id).await().atMost(TestRedis.TIMEOUT).map(Job::status)).contains(JobStatus.DEAD);
    }

    @Test
    void claimingFromOneQueueNeverReturnsAnotherQueuesJob() {
        Set<String> smsIds = new HashSet<>();
        Set<String> defaultIds = new HashSet<>();
        for (int i = 0; i < 5; i++) {
            String sms = Ids.newJobId("sms");
            String plain = Ids.newJobId();
            enqueue("sms", job(sms, Priority.values()[i % 3]));
            enqueue(DEFAULT, job(plain, Priority.values()[i % 3]));
            smsIds.add(sms);
            defaultIds.add(plain);
        }

        List<String> fromSms = claimAll("sms");
        List<String> fromMail = claimAll("mail");
        List<String> fromDefault = claimAll(DEFAULT);

        assertThat(fromSms).containsExactlyInAnyOrderElementsOf(smsIds);
        assertThat(fromMail).isEmpty();
        assertThat(fromDefault).containsExactlyInAnyOrderElementsOf(defaultIds);
    }

    @Test
    void aQueueFullOfWaitingJobsDoesNotRefuseAnotherQueue() {
        enqueueWithLimit("sms", 2, job(Ids.newJobId("sms"), Priority.NORMAL), job(Ids.newJobId("sms"), Priority.LOW));

        assertThatThrownBy(() -> enqueueWithLimit("sms", 2, job(Ids.newJobId("sms"), Priority.HIGH)))
                .isInstanceOfSatisfying(QueueFullException.class, e -> assertThat(e.waiting()).isEqualTo(2));
        enqueueWithLimit("mail", 2, job(Ids.newJobId("mail"), Priority.NORMAL), job(Ids.newJobId("mail"),
                Priority.NORMAL));
        enqueueWithLimit(DEFAULT, 2, job(Ids.newJobId(), Priority.HIGH));

        assertThat(state("sms").waiting()).isEqualTo(2);
        assertThat(state("mail").waiting()).isEqualTo(2);
        assertThat(state(DEFAULT).waiting()).isEqualTo(1);
    }

    @Test
    void aJobMayOnlyBeEnqueuedInTheQueueItsIdNames() {
        assertThatThrownBy(() -> enqueue("mail", job(Ids.newJobId("sms"), Priority.NORMAL)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> enqueue("sms", job(Ids.newJobId(), Priority.NORMAL)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> enqueue(DEFAULT, job(Ids.newJobId("sms"), Priority.NORMAL)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(redis.send(Command.DBSIZE).toLong()).isZero();
    }

    @Test
    void aMalformedQueueNameNeverReachesAKey() {
        assertThatThrownBy(() -> store.enqueue("sms}:x", List.of(), 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> redis.queues.pause("a:b")).isInstanceOf(IllegalArgumentException.class);
        assertThat(redis.send(Command.DBSIZE).toLong()).isZero();
    }

    @Test
    void anOutcomeIsRecordedOnlyInTheQueueOfItsJob() {
        enqueue("sms", job(Ids.newJobId("sms"), Priority.NORMAL));
        ClaimedJob sms = claim("sms");
        Finished done = new Finished(sms, JobStatus.COMPLETED, "1", null, "{}", Duration.ZERO);

        assertThatThrownBy(() -> store.finishAndClaim(DEFAULT, List.of(done), "consumer-1", LEASE, Duration.ZERO, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is not of queue default");
        assertThat(state("sms").active()).isEqualTo(1);
    }

    @Test
    void findAllReadsJobsOfSeveralQueuesInTheOrderAsked() {
        String a = Ids.newJobId("sms");
        String b = Ids.newJobId();
        String c = Ids.newJobId("mail");
        String missing = Ids.newJobId("sms");
        enqueue("sms", job(a, Priority.NORMAL));
        enqueue(DEFAULT, job(b, Priority.NORMAL));
        enqueue("mail", job(c, Priority.NORMAL));

        List<Job> found = store.findAll(List.of(c, missing, a, b)).await().atMost(TestRedis.TIMEOUT);

        assertThat(found).extracting(Job::id).containsExactly(c, a, b);
        assertThat(found).extracting(Job::queue).containsExactly("mail", "sms", DEFAULT);
    }

    @Test
    void aHeartbeatTakesBackExpiredLeasesOfItsOwnQueueOnly() {
        String sms = Ids.newJobId("sms");
        String plain = Ids.newJobId();
        enqueue("sms", job(sms, Priority.HIGH));
        enqueue(DEFAULT, job(plain, Priority.HIGH));
        store.claim("sms", "crashed", Duration.ZERO, Duration.ZERO).await().atMost(TestRedis.TIMEOUT);
        store.claim(DEFAULT, "crashed", Duration.ZERO, Duration.ZERO).await().atMost(TestRedis.TIMEOUT);

        Heartbeat beat = heartbeat("sms");

        assertThat(beat.reclaimed()).containsExactly(new Heartbeat.Reclaimed("sms", "echo", Priority.HIGH));
        assertThat(state("sms").waiting()).isEqualTo(1);
        assertThat(state(DEFAULT).active()).as("default's lease is not sms's business").isEqualTo(1);
        assertThat(redis.send(Command.ZRANGE, "test:{q:sms}:consumers", 0, -1).get(0).toString())
                .isEqualTo("consumer-2");
        assertThat(redis.send(Command.EXISTS, "test:{jobs}:consumers").toInteger()).isZero();
    }

    @Test
    void aWorkerWaitingOnOneQueueIsWokenOnlyByThatQueuesWork() {
        enqueue("mail", job(Ids.newJobId("mail"), Priority.NORMAL));

        List<String> none = store.awaitWork(redis.redis, "sms", Duration.ofMillis(100), 10).await()
                .atMost(TestRedis.TIMEOUT);
        enqueue("sms", job(Ids.newJobId("sms"), Priority.NORMAL), job(Ids.newJobId("sms"), Priority.NORMAL));
        List<String> markers = store.awaitWork(redis.redis, "sms", Duration.ofSeconds(1), 10).await()
                .atMost(TestRedis.TIMEOUT);

        assertThat(none).as("mail's marker is on mail's list").isEmpty();
        assertThat(markers).containsExactly("1", "1");
        assertThat(redis.send(Command.LLEN, "test:{q:mail}:signal").toLong()).isEqualTo(1);
    }

    private static NewJob job(String id, Priority priority) {
        return new NewJob(id, "echo", priority, 3, "{}", null);
    }

    private static void enqueue(String queue, NewJob... jobs) {
        enqueueWithLimit(queue, 0, jobs);
    }

    private static void enqueueWithLimit(String queue, long maxWaiting, NewJob... jobs) {
        store.enqueue(queue, List.of(jobs), maxWaiting).await().atMost(TestRedis.TIMEOUT);
    }

    private static ClaimedJob claim(String queue) {
        return store.claim(queue, "consumer-1", LEASE, Duration.ZERO).await().atMost(TestRedis.TIMEOUT);
    }

    private static List<String> claimAll(String queue) {
        List<String> ids = new ArrayList<>();
        for (ClaimedJob job = claim(queue); job != null; job = claim(queue)) {
            ids.add(job.id());
        }
        return ids;
    }

    private static void finish(ClaimedJob job, JobStatus outcome, String error) {
        String event = JobEvent.json(job.id(), job.type(), outcome, job.attempts(), null, error);
        store.finish(job, outcome, null, error, event, Duration.ZERO, Duration.ZERO).await().atMost(TestRedis.TIMEOUT);
    }

    private static Heartbeat heartbeat(String queue) {
        return store.heartbeat(queue, "consumer-2", List.of(), LEASE, Duration.ofMinutes(1), Duration.ZERO).await()
                .atMost(TestRedis.TIMEOUT);
    }

    private static QueueState state(String queue) {
        return redis.queues.state(queue).await().atMost(TestRedis.TIMEOUT);
    }
}
