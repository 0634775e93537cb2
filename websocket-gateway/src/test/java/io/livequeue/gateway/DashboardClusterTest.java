package io.livequeue.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.livequeue.core.Ids;
import io.livequeue.core.Priority;
import io.livequeue.core.rdb.JobStore;
import io.livequeue.core.rdb.NewJob;
import io.livequeue.core.rdb.Keyspace;
import io.livequeue.testing.RedisClusterTestResource;
import io.livequeue.testing.TestSocket;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The operators' dashboard on a real Redis Cluster: every read behind it (counts, consumers and their in-flight jobs,
 * dead jobs, a job's document) is pipelined on the one {@code {jobs}} slot, and the Redis clock is asked apart.
 */
@QuarkusTest
@TestProfile(DashboardClusterTest.OnCluster.class)
class DashboardClusterTest {

    /** Its own application on its own cluster (see ClusterEventsTest). */
    public static class OnCluster implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(RedisClusterTestResource.class));
        }

        @Override
        public boolean disableGlobalTestResources() {
            return true;
        }
    }

    @TestHTTPResource("/")
    URI root;

    @Inject
    RedisDataSource redis;

    @Inject
    Keyspace keyspace;

    @Inject
    JobStore store;

    @Test
    void theSnapshotAndAJobLookUpWorkOnACluster() {
        OperatorFixture fixture = new OperatorFixture(root, redis, keyspace.queue("default"));
        store.enqueue("default", List.of(new NewJob(Ids.newJobId(), "echo", Priority.LOW, 3, null, null)), 0)
                .await().atMost(Duration.ofSeconds(10));
        long now = System.currentTimeMillis();
        String active = Ids.newJobId();
        String dead = Ids.newJobId();
        fixture.heartbeat("consumer-a", now);
        fixture.active(active, Priority.NORMAL, "consumer-a", now - 100);
        fixture.dead(dead, Priority.HIGH, now, "[\"boom\"]", "boom");

        try (TestSocket socket = fixture.operator()) {
            JsonNode snapshot = socket.next(Duration.ofSeconds(15));
            assertThat(snapshot.path("event").asText()).isEqualTo("snapshot");
            assertThat(snapshot.path("queues").path("low").path("waiting").asLong()).isEqualTo(1);
            assertThat(snapshot.path("queues").path("normal").path("active").asLong()).isEqualTo(1);
            assertThat(snapshot.path("consumers").path("now").asLong()).isPositive();
            assertThat(snapshot.path("consumers").path("consumers").get(0).path("jobs").get(0).path("id").asText())
                    .isEqualTo(active);
            assertThat(snapshot.path("dead").path("jobs").get(0).path("errors").get(0).asText()).isEqualTo("boom");
            assertThat(socket.next(Duration.ofSeconds(5)).path("event").asText()).isEqualTo("stats");

            socket.send("{\"type\":\"job\",\"id\":\"" + dead + "\"}");
            JsonNode doc = socket.nextMatching(m -> m.path("event").asText().equals("job-doc"));
            assertThat(doc.path("job").path("status").asText()).isEqualTo("dead");
        }
    }
}
