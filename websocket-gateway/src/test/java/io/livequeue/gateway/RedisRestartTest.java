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
import io.livequeue.testing.RedisServer;
import io.livequeue.testing.RedisTestResource;
import io.livequeue.testing.TestSocket;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** A Redis crash and restart under a live socket: readiness follows Redis, the socket stays open, events flow again. */
@QuarkusTest
@TestProfile(RedisRestartTest.OwnRedis.class)
@QuarkusTestResource(RedisTestResource.class)
class RedisRestartTest {

    /** Its own profile: its own application and its own Redis, so killing Redis disturbs no other test class. */
    public static class OwnRedis implements QuarkusTestProfile {
    }

    private static final Duration OUTAGE_NOTICED = Duration.ofSeconds(15);
    private static final Duration RECOVERED = Duration.ofSeconds(15);

    @TestHTTPResource("/")
    URI root;

    @ConfigProperty(name = "quarkus.redis.hosts")
    String redisHosts;

    @Inject
    JobStore store;

    @Inject
    JobTokens tokens;

    @Test
        void afterRedisRestartsANewJobsEventsReachTheSameSocketAgain() {
        RedisServer redis = RedisTestResource.current();
        assertThat(redisHosts).as("this app talks to the Redis the test kills").isEqualTo(redis.url());
        awaitReadiness(200, "UP", RECOVERED);
        try (TestSocket socket = connect()) {
            String inbox = socket.next().path("inbox").asText();
            String before = enqueue(null);
            socket.send(subscribe(before, tokens.issue(before)));
            assertThat(socket.next().path("event").asText()).isEqualTo("subscribed");
            assertJobEvent(socket.next(), before, "queued");
            String beforeInbox = enqueue(inbox);
            assertJobEvent(socket.next(), beforeInbox, "queued"); // pub/sub works before the outage

            redis.kill();
            awaitReadiness(503, "DOWN", OUTAGE_NOTICED);
            assertThat(socket.isOpen()).isTrue();
            socket.send("{\"op\":\"unsubscribe\",\"job\":\"" + before + "\"}");
            assertThat(socket.next().path("event").asText()).isEqualTo("unsubscribed");

            redis.restart();
            awaitReadiness(200, "UP", RECOVERED);
            assertThat(socket.isOpen()).isTrue();

            String after = enqueue(null); // Redis lost everything: a new job
            socket.send(subscribe(after, tokens.issue(after)));
            JsonNode subscribed = socket.next();
            assertThat(subscribed.path("event").asText()).as(subscribed.toString()).isEqualTo("subscribed");
            assertThat(subscribed.path("job").asText()).isEqualTo(after);
            assertJobEvent(socket.next(), after, "queued"); // the snapshot, read directly from Redis

            String afterInbox = enqueue(inbox);
            assertJobEvent(socket.next(), afterInbox, "queued"); // only the Redis subscription can deliver this
            assertThat(socket.isOpen()).isTrue();
        }
    }

    private static void awaitReadiness(int httpStatus, String status, Duration within) {
        await().atMost(within).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> given()
                .when().get("/q/health/ready")
                .then().statusCode(httpStatus).body("status", equalTo(status)));
    }

    private TestSocket connect() {
        return TestSocket.connect("ws://" + root.getHost() + ":" + root.getPort() + "/ws");
    }

    private String enqueue(String replyTo) {
        NewJob job = new NewJob(Ids.newJobId(), "echo", Priority.HIGH, 3, "{\"n\":1}", replyTo);
        store.enqueue("default", List.of(job), 0).await().atMost(Duration.ofSeconds(5));
        return job.id();
    }

    private static String subscribe(String id, String token) {
        return "{\"op\":\"subscribe\",\"job\":\"" + id + "\",\"token\":\"" + token + "\"}";
    }

    private static void assertJobEvent(JsonNode event, String id, String status) {
        assertThat(event.path("event").asText()).as(event.toString()).isEqualTo("job");
        assertThat(event.path("id").asText()).isEqualTo(id);
        assertThat(event.path("type").asText()).isEqualTo("echo");
        assertThat(event.path("status").asText()).as(event.toString()).isEqualTo(status);
        assertThat(event.path("attempts").asInt()).isZero();
    }
}
