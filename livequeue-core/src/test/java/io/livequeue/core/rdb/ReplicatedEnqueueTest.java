package io.livequeue.core.rdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.livequeue.core.Ids;
import io.livequeue.core.Priority;
import io.livequeue.core.QueueNames;
import io.livequeue.testing.RedisServer;
import io.livequeue.testing.Resp;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code livequeue.redis.wait-for-replicas}: a submit succeeds only once a replica has the job (WAIT). */
class ReplicatedEnqueueTest {

    @Test
    void enqueueWaitsForTheReplicaAndFailsAsUnknownWithoutOne() {
        Vertx vertx = Vertx.vertx();
        try (RedisServer master = RedisServer.start("--repl-diskless-sync-delay", "0");
                RedisServer replica = RedisServer.start("--replicaof", "127.0.0.1",
                        Integer.toString(master.port()))) {
            Redis redis = Redis.createClient(vertx, master.url());
            JobStore store = new JobStore(redis, new Keyspace("test"), Duration.ofSeconds(2), PubSub.PLAIN).waitForReplicas(1);
            await().atMost(Duration.ofSeconds(20)).until(() -> Resp.tryCall(replica.port(), "ROLE") instanceof List<?> r
                    && "connected".equals(r.get(3)));

            NewJob job = new NewJob(Ids.newJobId(), "echo", Priority.NORMAL, 3, "{}", null);
            // NOSCRIPT on the first call: EVAL and WAIT again, in one batch
            store.enqueue(QueueNames.DEFAULT, List.of(job), 0).await().atMost(Duration.ofSeconds(5));
            assertThat(Resp.call(replica.port(), "HGET", "test:{jobs}:job:" + job.id(), "status")).isEqualTo("queued");
            NewJob second = new NewJob(Ids.newJobId(), "echo", Priority.NORMAL, 3, "{}", null);
            store.enqueue(QueueNames.DEFAULT, List.of(second), 0).await().atMost(Duration.ofSeconds(5)); // EVALSHA this time
            assertThat(Resp.call(replica.port(), "EXISTS", "test:{jobs}:job:" + second.id())).isEqualTo(1L);

            replica.stop();
            NewJob unconfirmed = new NewJob(Ids.newJobId(), "echo", Priority.NORMAL, 3, "{}", null);
            assertThatThrownBy(() -> store.enqueue(QueueNames.DEFAULT, List.of(unconfirmed), 0).await().atMost(Duration.ofSeconds(5)))
                    .isInstanceOf(StorageUnavailableException.class)
                    .hasMessageContaining("only 0 of 1 replicas acknowledged")
                    .satisfies(e -> assertThat(((StorageUnavailableException) e).outcomeUnknown()).isTrue());
            redis.close();
        } finally {
            vertx.closeAndAwait();
        }
    }
}
