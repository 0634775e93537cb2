package io.livequeue.core.rdb;

import static org.assertj.core.api.Assertions.assertThat;

import io.livequeue.core.Ids;
import io.livequeue.core.Job;
import io.livequeue.core.JobEvent;
import io.livequeue.core.JobStatus;
import io.livequeue.core.Priority;
import io.livequeue.core.QueueNames;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Operators' actions on dead jobs, over one queue or several, against a real redis-server. */
class DeadLettersTest {

    private static final String DEFAULT = QueueNames.DEFAULT;
    private static final List<String> BOTH = List.of(DEFAULT, "sms");

    private static TestRedis redis;
    private static DeadLetters deadLetters;

    @BeforeAll
    static void startRedis() {
        redis = TestRedis.start();
        deadLetters = redis.deadLetters;
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
    void deadIdsAreNewestFirstAcrossPriorities() {
        RedisKeys keys = redis.defaultKeys();
        redis.send(Command.ZADD, keys.dead(Priority.HIGH), 10, "h1", 40, "h2");
        redis.send(Command.ZADD, keys.dead(Priority.LOW), 30, "l1");
        redis.send(Command.ZADD, keys.dead(Priority.NORMAL), 20, "n1");

        assertThat(newestIds(List.of(DEFAULT), 3)).isEqualTo(List.of("h2", "l1", "n1"));
        assertThat(newestIds(List.of(DEFAULT), 10)).hasSize(4);
    }

    @Test
    void deadIdsAreNewestFirstAcrossQueuesOfTheListOnly() {
        redis.send(Command.ZADD, redis.defaultKeys().dead(Priority.NORMAL), 10, "d1", 30, "d2");
        redis.send(Command.ZADD, redis.keys("sms").dead(Priority.HIGH), 20, "s1", 40, "s2");
        redis.send(Command.ZADD, redis.keys("mail").dead(Priority.HIGH), 50, "m1");

        assertThat(newestIds(BOTH, 3)).containsExactly("s2", "d2", "s1");
        assertThat(newestIds(List.of("sms"), 10)).containsExactly("s2", "s1");
    }

    @Test
    void aPageHoldsTheDocumentsOfTheNewestDeathsOfEveryQueueAndTheTotal() {
        String first = dead(DEFAULT);
        String second = dead("sms");
        String third = dead("sms");
        String fourth = dead(DEFAULT);
        dead("mail");

        DeadPage page = deadLetters.page(BOTH, 0, 3).await().atMost(TestRedis.TIMEOUT);
        DeadPage rest = deadLetters.page(BOTH, 3, 3).await().atMost(TestRedis.TIMEOUT);

        assertThat(page.total()).isEqualTo(4);
        assertThat(page.jobs()).extracting(Job::id).containsExactly(fourth, third, second);
        assertThat(page.jobs()).extracting(Job::status).containsOnly(JobStatus.DEAD);
        assertThat(rest.total()).isEqualTo(4);
        assertThat(rest.jobs()).extracting(Job::id).containsExactly(first);
    }

    @Test
    void aRevivedJobOfANamedQueueIsQueuedAgainInItsQueue() {
        String id = dead("sms");

        boolean revived = deadLetters.revive(id).await().atMost(TestRedis.TIMEOUT);
        boolean again = deadLetters.revive(id).await().atMost(TestRedis.TIMEOUT);
        ClaimedJob claimed = redis.store.claim("sms", "c", Duration.ofSeconds(30), Duration.ZERO).await()
                .atMost(TestRedis.TIMEOUT);

        assertThat(revived).isTrue();
        assertThat(again).as("no longer dead").isFalse();
        assertThat(claimed.id()).isEqualTo(id);
        assertThat(claimed.attempts()).isEqualTo(1);
        assertThat(redis.send(Command.ZCARD, "test:{q:sms}:dead:normal").toLong()).isZero();
        assertThat(redis.keysMatching("test:{jobs}:*")).isEmpty();
    }

    @Test
    void aForgottenJobOfANamedQueueIsDeleted() {
        String id = dead("sms");
        String other = dead(DEFAULT);

        boolean forgotten = deadLetters.forget(id).await().atMost(TestRedis.TIMEOUT);

        assertThat(forgotten).isTrue();
        assertThat(redis.send(Command.EXISTS, "test:{q:sms}:job:" + id).toInteger()).isZero();
        assertThat(deadLetters.forget(id).await().atMost(TestRedis.TIMEOUT)).isFalse();
        assertThat(newestIds(BOTH, 10)).containsExactly(other);
    }

    @Test
    void reviveAllAndForgetAllActOnTheListedQueuesOnly() {
        List<String> defaultDead = new ArrayList<>();
        List<String> smsDead = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            defaultDead.add(dead(DEFAULT));
            smsDead.add(dead("sms"));
        }
        String mail = dead("mail");

        long revived = deadLetters.reviveAll(List.of("sms")).await().atMost(TestRedis.TIMEOUT);
        long forgotten = deadLetters.forgetAll(List.of(DEFAULT)).await().atMost(TestRedis.TIMEOUT);

        assertThat(revived).isEqualTo(3);
        assertThat(forgotten).isEqualTo(3);
        assertThat(redis.queues.state("sms").await().atMost(TestRedis.TIMEOUT).waiting()).isEqualTo(3);
        assertThat(redis.store.findAll(defaultDead).await().atMost(TestRedis.TIMEOUT)).isEmpty();
        assertThat(newestIds(List.of(DEFAULT, "sms", "mail"), 10)).containsExactly(mail);
    }

    @Test
    void reviveAllGoesOnPastOneChunk() {
        List<NewJob> jobs = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            jobs.add(new NewJob(Ids.newJobId("sms"), "sms", Priority.LOW, 1, null, null));
        }
        redis.store.enqueue("sms", jobs, 0).await().atMost(TestRedis.TIMEOUT);
        Turn turn = redis.store.finishAndClaim("sms", List.of(), "c", Duration.ofSeconds(30), Duration.ZERO, 600)
                .await().atMost(TestRedis.TIMEOUT);
        List<Finished> outcomes = turn.claimed().stream().map(job -> new Finished(job, JobStatus.DEAD, null, "x",
                JobEvent.json(job.id(), job.type(), JobStatus.DEAD, 1, null, "x"), Duration.ZERO)).toList();
        redis.store.finishAndClaim("sms", outcomes, "c", Duration.ZERO, Duration.ZERO, 0).await()
                .atMost(TestRedis.TIMEOUT);

        // reviveAll sends a chunk of 500 scripts at once: the client needs the pool the producer configures
        // (max-pool-size 32, max-pool-waiting 2048); Vert.x's default (6 + 24 waiting) refuses most of them
        Redis producerLike = Redis.createClient(redis.vertx, new RedisOptions()
                .setConnectionString(redis.url()).setMaxPoolSize(32).setMaxPoolWaiting(2048));
        long revived;
        try {
            JobStore store = new JobStore(producerLike, redis.keyspace, TestRedis.COMMAND_TIMEOUT, PubSub.PLAIN);
            revived = new DeadLetters(producerLike, store, TestRedis.COMMAND_TIMEOUT).reviveAll(List.of("sms"))
                    .await().atMost(TestRedis.TIMEOUT);
        } finally {
            producerLike.close();
        }

        assertThat(revived).isEqualTo(600);
        assertThat(redis.queues.state("sms").await().atMost(TestRedis.TIMEOUT).waiting()).isEqualTo(600);
    }

    /** A job of {@code queue} that died just now (one attempt, failed). */
    private static String dead(String queue) {
        String id = Ids.newJobId(queue);
        redis.store.enqueue(queue, List.of(new NewJob(id, "echo", Priority.NORMAL, 1, null, null)), 0).await()
                .atMost(TestRedis.TIMEOUT);
        ClaimedJob claimed = redis.store.claim(queue, "c", Duration.ofSeconds(30), Duration.ZERO).await()
                .atMost(TestRedis.TIMEOUT);
        String event = JobEvent.json(id, "echo", JobStatus.DEAD, 1, null, "gave up");
        redis.store.finish(claimed, JobStatus.DEAD, null, "gave up", event, Duration.ZERO, Duration.ZERO).await()
                .atMost(TestRedis.TIMEOUT);
        // deaths in the same millisecond would tie: make each death's time distinct
        long diedAt = redis.send(Command.ZSCORE, redis.keyspace.ofJob(id).dead(Priority.NORMAL), id).toLong();
        org.awaitility.Awaitility.await().atMost(TestRedis.TIMEOUT).until(() -> redis.now() > diedAt);
        return id;
    }

    private static List<String> newestIds(List<String> queues, int limit) {
        return deadLetters.newestIds(queues, limit).await().atMost(TestRedis.TIMEOUT);
    }
}
