package io.livequeue.gateway;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import io.livequeue.core.Ids;
import io.livequeue.core.JobTokens;
import io.livequeue.core.Priority;
import io.livequeue.core.rdb.JobStore;
import io.livequeue.core.rdb.NewJob;
import io.livequeue.core.rdb.PubSub;
import io.livequeue.gateway.events.EventSubscriber;
import io.livequeue.testing.RedisCluster;
import io.livequeue.testing.RedisClusterTestResource;
import io.livequeue.testing.RedisServer;
import io.livequeue.testing.TestSocket;
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
 * The gateway on a real three-master Redis Cluster: events arrive by sharded pub/sub (SSUBSCRIBE on the master that
 * owns the {@code {jobs}} slot), and when that slot moves to another master (Redis ends the subscription with an
 * {@code sunsubscribe}) the gateway subscribes again on the new owner, catches up, and events flow on the same socket.
 */
@QuarkusTest
@TestProfile(ClusterEventsTest.OnCluster.class)
class ClusterEventsTest {

    /**
     * Its own profile: its own application on its own cluster, and only that (the other classes' standalone
     * {@code RedisTestResource} is global and would set {@code quarkus.redis.hosts} too).
     */
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
    JobStore store;

    @Inject
    JobTokens tokens;

    @Inject
    PubSub pubsub;

    @Inject
    EventSubscriber subscriber;

    @Test
    void eventsArriveBySharedPubSubAndFollowTheSlotWhenItMoves() {
        assertThat(pubsub).as("cluster client type turns sharded pub/sub on").isEqualTo(PubSub.SHARDED);
        awaitReady();
        try (TestSocket socket = TestSocket.connect("ws://" + root.getHost() + ":" + root.getPort() + "/ws")) {
            String inbox = socket.next().path("inbox").asText();
            String first = enqueue(inbox);
            assertJobEvent(socket.next(), first);
            String watched = enqueue(null);
            socket.send("{\"op\":\"subscribe\",\"job\":\"" + watched + "\",\"token\":\"" + tokens.issue(watched)
                    + "\"}");
            assertThat(socket.next().path("event").asText()).isEqualTo("subscribed");
            assertJobEvent(socket.next(), watched);

            RedisCluster cluster = RedisClusterTestResource.current();
            RedisServer owner = cluster.nodeFor(store.keyspace().queue("default").events());
            RedisServer target = cluster.nodes().stream().filter(n -> n != owner).findFirst().orElseThrow();
            long before = subscriber.resubscriptions();
            cluster.moveSlotOf(store.keyspace().queue("default").events(), target);
            assertThat(cluster.nodeFor(store.keyspace().queue("default").events())).isSameAs(target);

            await("the gateway subscribed again on the slot's new master").atMost(Duration.ofSeconds(20))
                    .until(() -> subscriber.resubscriptions() > before && subscriber.isSubscribed());
            awaitReady();
            // the client library learns the new owner of the slot within its slot cache's TTL (1 s)
            String after = await().atMost(Duration.ofSeconds(10)).ignoreExceptions()
                    .until(() -> enqueue(inbox), id -> id != null);
            JsonNode event = socket.nextMatching(e -> after.equals(e.path("id").asText()));
            assertJobEvent(event, after);
            assertThat(socket.isOpen()).isTrue();
        }
    }

    private void awaitReady() {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> given()
                .when().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP")));
    }

    private String enqueue(String replyTo) {
        NewJob job = new NewJob(Ids.newJobId(), "echo", Priority.HIGH, 3, "{\"n\":1}", replyTo);
        store.enqueue("default", List.of(job), 0).await().atMost(Duration.ofSeconds(5));
        return job.id();
    }

    private static void assertJobEvent(JsonNode event, String id) {
        assertThat(event.path("event").asText()).as(event.toString()).isEqualTo("job");
        assertThat(event.path("id").asText()).isEqualTo(id);
        assertThat(event.path("status").asText()).as(event.toString()).isEqualTo("queued");
    }
}
