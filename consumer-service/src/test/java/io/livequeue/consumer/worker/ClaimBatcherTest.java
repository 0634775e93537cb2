package io.livequeue.consumer.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.livequeue.core.Ids;
import io.livequeue.core.JobEvent;
import io.livequeue.core.JobStatus;
import io.livequeue.core.Priority;
import io.livequeue.core.rdb.ClaimedJob;
import io.livequeue.core.rdb.Finished;
import io.livequeue.core.rdb.JobStore;
import io.livequeue.core.rdb.Keyspace;
import io.livequeue.core.rdb.NewJob;
import io.livequeue.core.rdb.PubSub;
import io.livequeue.testing.RedisServer;
import io.livequeue.testing.Resp;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The workers' shared round trips against a real Redis: what is handed in while a call is in flight goes out together,
 * every claimed job reaches exactly one worker, a queue that came back short sends the rest of the claims to the next
 * queue in the same round, and an outcome is recorded on its own job's queue.
 */
class ClaimBatcherTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private static RedisServer server;
    private static Vertx vertx;
    private static Redis redis;
    private static JobStore store;

    @BeforeAll
    static void startRedis() {
        server = RedisServer.start();
        vertx = Vertx.vertx();
        redis = Redis.createClient(vertx, server.url());
        store = new JobStore(redis, new Keyspace("test"), Duration.ofSeconds(3), PubSub.PLAIN);
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
        vertx.closeAndAwait();
        server.close();
    }

    @BeforeEach
    void empty() {
        Resp.call(server.port(), "FLUSHALL");
    }

    @Test
    void requestsHandedInWhileACallIsInFlightShareTheNextCall() {
        List<String> ids = enqueue("default", 32);
        ClaimBatcher batcher = batcher("default");
        long before = scriptCalls();

        // Redis holds the first call (a script may write) until every request is handed in (a request is handed in
        // when its Uni is subscribed to), however slow the machine
        Resp.call(server.port(), "CLIENT", "PAUSE", "30000", "WRITE");
        List<CompletableFuture<ClaimBatcher.Reply>> asked = new ArrayList<>();
        try {
            for (int i = 0; i < 32; i++) {
                asked.add(batcher.submit(null, true).subscribeAsCompletionStage());
            }
        } finally {
            Resp.call(server.port(), "CLIENT", "UNPAUSE");
        }
        List<ClaimBatcher.Reply> replies = asked.stream().map(reply -> reply.orTimeout(WAIT.toMillis(),
                TimeUnit.MILLISECONDS).join()).toList();

        List<String> got = replies.stream().map(ClaimBatcher.Reply::next).map(ClaimedJob::id).toList();
        assertThat(new HashSet<>(got)).as("every worker its own job").containsExactlyInAnyOrderElementsOf(ids);
        assertThat(scriptCalls() - before).as("claim.lua calls for 32 requests").isLessThanOrEqualTo(3);
    }

    @Test
    void everyClaimedJobReachesOneWorkerAndTheOthersGetNone() {
        enqueue("default", 3);
        ClaimBatcher batcher = batcher("default");

        List<Uni<ClaimBatcher.Reply>> asked = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            asked.add(batcher.submit(null, true));
        }
        List<ClaimBatcher.Reply> replies = Uni.join().all(asked).andFailFast().await().atMost(WAIT);

        assertThat(replies.stream().map(ClaimBatcher.Reply::next).filter(Objects::nonNull)).hasSize(3);
        assertThat(activeCount("default")).isEqualTo(3);
    }

    @Test
    void claimsAQueueCouldNotServeGoToTheNextQueueInTheSameRound() {
        List<String> low = enqueue("low-queue", 2);
        ClaimBatcher batcher = batcher("high-queue", "low-queue");

        ClaimBatcher.Reply first = batcher.submit(null, true).await().atMost(WAIT);
        ClaimBatcher.Reply second = batcher.submit(null, true).await().atMost(WAIT);
        ClaimBatcher.Reply third = batcher.submit(null, true).await().atMost(WAIT);

        assertThat(List.of(first.next().id(), second.next().id())).containsExactlyElementsOf(low);
        assertThat(third.next()).isNull();
    }

    @Test
    void anOutcomeIsRecordedOnItsJobsQueueWhileTheNextJobComesFromAnother() {
        String sms = enqueue("sms", 1).get(0);
        String other = enqueue("default", 1).get(0);
        ClaimBatcher batcher = batcher("sms", "default");
        ClaimedJob job = batcher.submit(null, true).await().atMost(WAIT).next();
        assertThat(job.id()).isEqualTo(sms);

        Finished done = new Finished(job, JobStatus.COMPLETED, "{\"ok\":true}", null,
                JobEvent.json(job.id(), job.type(), JobStatus.COMPLETED, 1, "{\"ok\":true}", null), Duration.ZERO);
        ClaimBatcher.Reply reply = batcher.submit(done, true).await().atMost(WAIT);

        assertThat(reply.recorded()).isTrue();
        assertThat(reply.outcomeFailure()).isNull();
        assertThat(reply.next().id()).isEqualTo(other);
        Optional<io.livequeue.core.Job> stored = store.find(sms).await().atMost(WAIT);
        assertThat(stored.orElseThrow().status()).isEqualTo(JobStatus.COMPLETED);
    }

    private static ClaimBatcher batcher(String... queues) {
        QueueSelector selector = QueueSelector.parse(List.of(queues));
        return new ClaimBatcher(store, new TestConfig(), selector, new WorkBoard(selector.queues()), "test-consumer");
    }

    private static List<String> enqueue(String queue, int count) {
        List<NewJob> jobs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            jobs.add(new NewJob(Ids.newJobId(queue), "echo", Priority.NORMAL, 3, "{}", null));
        }
        store.enqueue(queue, jobs, 0).await().atMost(WAIT);
        return jobs.stream().map(NewJob::id).toList();
    }

    private static long activeCount(String queue) {
        String tag = "default".equals(queue) ? "{jobs}" : "{q:" + queue + "}";
        return (Long) Resp.call(server.port(), "ZCARD", "test:" + tag + ":active:normal");
    }

    private static long scriptCalls() {
        String stats = (String) Resp.call(server.port(), "INFO", "commandstats");
        long calls = 0;
        for (String line : stats.split("\r\n")) {
            if (line.startsWith("cmdstat_evalsha:") || line.startsWith("cmdstat_eval:")) {
                calls += Long.parseLong(line.replaceAll("^[^:]*:calls=(\\d+),.*", "$1"));
            }
        }
        return calls;
    }

    /** The defaults of {@link ConsumerConfig} that the batcher reads. */
    private static final class TestConfig implements ConsumerConfig {
        public int workers() { return 4; }
        public List<String> queues() { return List.of("default"); }
        public Optional<List<String>> handlers() { return Optional.empty(); }
        public boolean requireRoutedHandlers() { return true; }
        public Optional<String> id() { return Optional.empty(); }
        public Duration lease() { return Duration.ofMinutes(1); }
        public Duration heartbeat() { return Duration.ofSeconds(1); }
        public Duration idleWait() { return Duration.ofSeconds(1); }
        public Duration retention() { return Duration.ofHours(1); }
        public Duration shutdownGrace() { return Duration.ofSeconds(1); }
        public Duration retryBaseDelay() { return Duration.ofSeconds(1); }
        public Duration retryMaxDelay() { return Duration.ofMinutes(1); }
        public Duration handlerTimeout() { return Duration.ofMinutes(1); }
        public Map<String, Duration> handlerTimeouts() { return Map.of(); }
        public Duration progressInterval() { return Duration.ofMillis(100); }
        public Duration sleepMax() { return Duration.ofSeconds(60); }
        public int smsMaxLength() { return 1600; }
    }
}
