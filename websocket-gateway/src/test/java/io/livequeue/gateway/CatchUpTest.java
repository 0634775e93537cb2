package io.livequeue.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.livequeue.core.Ids;
import io.livequeue.core.JobEvent;
import io.livequeue.core.JobStatus;
import io.livequeue.core.Priority;
import io.livequeue.core.rdb.ClaimedJob;
import io.livequeue.core.rdb.JobStore;
import io.livequeue.core.rdb.Keyspace;
import io.livequeue.core.rdb.NewJob;
import io.livequeue.core.rdb.PubSub;
import io.livequeue.core.rdb.Queues;
import io.livequeue.gateway.events.EventSubscriber;
import io.livequeue.testing.RedisServer;
import io.livequeue.testing.RedisTestResource;
import io.livequeue.testing.Resp;
import io.livequeue.testing.TestSocket;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Pub/sub keeps nothing for a subscriber that is away. A job created and finished entirely while the gateway is not
 * subscribed to its queue, sent to an inbox on this gateway, must still reach that inbox: the gateway catches up from
 * the queue's inbox log once it is subscribed again, or subscribed for the first time to a queue it did not follow.
 * The test locks the gateway out of Redis at a moment it chooses (the gateway logs in as Redis's {@code default} user,
 * which the test turns off and on again) and meanwhile runs jobs through Redis as an ACL user of its own.
 */
@QuarkusTest
@TestProfile(CatchUpTest.OwnRedis.class)
@QuarkusTestResource(RedisTestResource.class)
class CatchUpTest {

    /** Its own application and Redis: the test locks the gateway out of Redis. */
    public static class OwnRedis implements QuarkusTestProfile {
    }

    private static final Duration WAIT = Duration.ofSeconds(15);

    @TestHTTPResource("/")
    URI root;

    @Inject
    EventSubscriber subscriber;

    private static Vertx vertx;
    private static Redis redis;
    private static JobStore store;
    private static Queues queues;

    @BeforeAll
    static void ownClient() {
        RedisServer server = RedisTestResource.current();
        Resp.call(server.port(), "ACL", "SETUSER", "tester", "on", ">tester-secret", "~*", "&*", "+@all");
        vertx = Vertx.vertx();
        redis = Redis.createClient(vertx, "redis://tester:tester-secret@127.0.0.1:" + server.port()); // never locked out
        store = new JobStore(redis, new Keyspace("livequeue"), Duration.ofSeconds(3), PubSub.PLAIN);
        queues = new Queues(redis, new Keyspace("livequeue"), Duration.ofSeconds(3));
    }

    @AfterAll
    static void closeClient() {
        redis.close();
        vertx.closeAndAwait();
    }

    @Test
    void aJobCreatedAndFinishedWhileTheGatewayResubscribesReachesItsInbox() {
        await().atMost(WAIT).until(subscriber::isSubscribed);
        try (TestSocket socket = TestSocket.connect("ws://" + root.getHost() + ":" + root.getPort() + "/ws")) {
            String inbox = socket.next().path("inbox").asText();
            String before = enqueue("default", inbox);
            assertEvent(socket.next(), before, "queued"); // live delivery works

            long resubscriptions = subscriber.resubscriptions();
            send("ACL", "SETUSER", "default", "off");
            send("CLIENT", "KILL", "USER", "default");
            await().atMost(WAIT).until(() -> !subscriber.isSubscribed());

            // a job the socket already heard of, finished meanwhile
            finish(claim("default", before));
            // and the whole life of a job while the gateway cannot subscribe: no message of it can reach the gateway
            String missed = runToCompletion("default", inbox);

            send("ACL", "SETUSER", "default", "on");
            await().atMost(WAIT).until(() -> subscriber.isSubscribed()
                    && subscriber.resubscriptions() > resubscriptions);

            List<String> seen = events(socket, 2);
            assertThat(seen).contains(missed + " completed", before + " completed");
        }
    }

    @Test
    void aJobOfAQueueTheGatewayDidNotFollowYetReachesItsInbox() {
        await().atMost(WAIT).until(subscriber::isSubscribed);
        String queue = "fresh-" + Long.toString(System.nanoTime(), 36);
        try (TestSocket socket = TestSocket.connect("ws://" + root.getHost() + ":" + root.getPort() + "/ws")) {
            String inbox = socket.next().path("inbox").asText();
            // created and finished before the queue is in the registry, so before the gateway can follow it
            String id = runToCompletion(queue, inbox);
            assertThat(subscriber.queues()).doesNotContain(queue);

            assertThat(queues.register(queue, 100).await().atMost(WAIT)).isTrue();

            JsonNode event = socket.next();
            assertEvent(event, id, "completed");
            assertThat(subscriber.queues()).contains(queue);
        }
    }

    private static List<String> events(TestSocket socket, int count) {
        List<String> seen = new ArrayList<>();
        while (seen.size() < count) {
            JsonNode event = socket.next();
            assertThat(event.path("event").asText()).as(event.toString()).isEqualTo("job");
            seen.add(event.path("id").asText() + " " + event.path("status").asText());
        }
        return seen;
    }

    private static String runToCompletion(String queue, String inbox) {
        String id = enqueue(queue, inbox);
        finish(claim(queue, id));
        return id;
    }

    private static String enqueue(String queue, String inbox) {
        NewJob job = new NewJob(Ids.newJobId(queue), "echo", Priority.NORMAL, 3, "{\"n\":1}", inbox);
        store.enqueue(queue, List.of(job), 0).await().atMost(WAIT);
        return job.id();
    }

    private static ClaimedJob claim(String queue, String id) {
        ClaimedJob job = store.claim(queue, "test", Duration.ofMinutes(1), Duration.ZERO).await().atMost(WAIT);
        assertThat(job.id()).isEqualTo(id);
        return job;
    }

    private static void finish(ClaimedJob job) {
        String event = JobEvent.json(job.id(), job.type(), JobStatus.COMPLETED, job.attempts(), "{\"n\":1}", null);
        assertThat(store.finish(job, JobStatus.COMPLETED, "{\"n\":1}", null, event, Duration.ZERO, Duration.ZERO)
                .await().atMost(WAIT)).isTrue();
    }

    private static void send(String... command) {
        Request request = Request.cmd(io.vertx.mutiny.redis.client.Command.create(command[0]));
        for (int i = 1; i < command.length; i++) {
            request.arg(command[i]);
        }
        redis.send(request).await().atMost(WAIT);
    }

    private static void assertEvent(JsonNode event, String id, String status) {
        assertThat(event.path("event").asText()).as(event.toString()).isEqualTo("job");
        assertThat(event.path("id").asText()).isEqualTo(id);
        assertThat(event.path("status").asText()).as(event.toString()).isEqualTo(status);
    }
}
