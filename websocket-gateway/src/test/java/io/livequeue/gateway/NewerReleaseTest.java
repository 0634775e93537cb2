package io.livequeue.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.livequeue.core.Ids;
import io.livequeue.core.JobEvent;
import io.livequeue.core.JobStatus;
import io.livequeue.core.JobTokens;
import io.livequeue.core.rdb.Keyspace;
import io.livequeue.gateway.events.EventSubscriber;
import io.livequeue.testing.RedisTestResource;
import io.livequeue.testing.TestSocket;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * During a rolling upgrade the gateways, upgraded first, are the older version: what newer consumers and producers
 * publish and store may carry a status this gateway does not know (a future {@code archived} or {@code superseded}).
 * The test plays the newer release by writing to Redis directly, as its scripts would.
 */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
class NewerReleaseTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Every logger; the subscription's at debug for the test, so that its debug line can be seen. */
    private static final Logger ROOT_LOG = Logger.getLogger("");
    private static final Logger SUBSCRIBER_LOG = Logger.getLogger(EventSubscriber.class.getName());

    @TestHTTPResource("/")
    URI root;

    @Inject
    JobTokens tokens;

    @Inject
    Redis redis;

    @Inject
    Keyspace keyspace;

    @Inject
    EventSubscriber subscriber;

    private final List<LogRecord> records = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            records.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private Level subscriberLevel;

    @BeforeEach
    void capture() {
        subscriberLevel = SUBSCRIBER_LOG.getLevel();
        SUBSCRIBER_LOG.setLevel(Level.FINE);
        ROOT_LOG.addHandler(capture);
    }

    @AfterEach
    void release() {
        ROOT_LOG.removeHandler(capture);
        SUBSCRIBER_LOG.setLevel(subscriberLevel);
    }

    /**
     * One message, two events for two watched jobs: {@code archived} (unknown to this version) and
     * {@code completed}. The completed one reaches its socket; the archived one is forwarded as it came to the socket
     * watching that job (its fields this version does not know included); both sockets stay open, and it costs a
     * debug line, no warning or error.
     */
    @Test
    void anEventOfAStatusItDoesNotKnowCostsNoOtherEventOfItsMessageAndIsForwardedAsItIs() throws Exception {
        await().atMost(WAIT).until(subscriber::isSubscribed);
        String archivedId = storeJob("queued", 1);
        String completedId = storeJob("queued", 1);
        try (TestSocket archivedWatcher = connect(); TestSocket completedWatcher = connect()) {
            watch(archivedWatcher, archivedId, "queued");
            watch(completedWatcher, completedId, "queued");

            String archivedEvent = "{\"event\":\"job\",\"id\":\"" + archivedId + "\",\"type\":\"echo\","
                    + "\"status\":\"archived\",\"attempts\":0,\"result\":null,\"error\":null,\"archivedAt\":1764100009000,"
                    + "\"v\":2}";
            String completedEvent = JobEvent.json(completedId, "echo", JobStatus.COMPLETED, 1, "{\"n\":1}", null, 2);
            publish("[" + envelope(archivedId, "archived", archivedEvent) + ","
                    + envelope(completedId, "completed", completedEvent) + "]");

            JsonNode completed = completedWatcher.next();
            assertThat(completed.path("status").asText()).as(completed.toString()).isEqualTo("completed");
            assertThat(completed.path("id").asText()).isEqualTo(completedId);
            assertThat(completed.path("v").asLong()).isEqualTo(2);
            assertThat(completed.path("result").path("n").asInt()).isEqualTo(1);
            JsonNode archived = archivedWatcher.next();
            assertThat(archived).as("forwarded as it came").isEqualTo(JSON.readTree(archivedEvent));

            // both sockets still open and served: a frame is answered
            for (TestSocket socket : List.of(archivedWatcher, completedWatcher)) {
                socket.send("{}");
                assertThat(socket.next().path("code").asText()).isEqualTo("unknown-op");
                assertThat(socket.isOpen()).isTrue();
            }
            await().atMost(WAIT).until(() -> records.stream().anyMatch(r -> r.getLevel().intValue()
                    <= Level.FINE.intValue() && formatted(r).contains(archivedId)));
            assertThat(records).as("no warning, no error").noneMatch(NewerReleaseTest::warningOrWorse);
        }
    }

    /**
     * Subscribing to a job a newer release stored in a status this version does not know gets the job's state with
     * that status, as stored (before, reading the job failed and the socket was told its state was unavailable).
     */
    @Test
    void theSnapshotOfAJobInAStatusItDoesNotKnowShowsThatStatus() {
        String id = storeJob("superseded", 3);
        try (TestSocket socket = connect()) {
            JsonNode snapshot = watch(socket, id, "superseded");

            assertThat(snapshot.path("event").asText()).isEqualTo("job");
            assertThat(snapshot.path("v").asLong()).isEqualTo(3);
            assertThat(socket.isOpen()).isTrue();
        }
        assertThat(records).as("no warning, no error").noneMatch(NewerReleaseTest::warningOrWorse);
    }

    private TestSocket connect() {
        TestSocket socket = TestSocket.connect("ws://" + root.getHost() + ":" + root.getPort() + "/ws");
        assertThat(socket.next().path("event").asText()).isEqualTo("welcome");
        return socket;
    }

    /** Subscribes and returns the snapshot, which must show {@code status}. */
    private JsonNode watch(TestSocket socket, String id, String status) {
        socket.send("{\"op\":\"subscribe\",\"job\":\"" + id + "\",\"token\":\"" + tokens.issue(id) + "\"}");
        assertThat(socket.next().path("event").asText()).isEqualTo("subscribed");
        JsonNode snapshot = socket.next();
        assertThat(snapshot.path("status").asText()).as(snapshot.toString()).isEqualTo(status);
        assertThat(snapshot.path("id").asText()).isEqualTo(id);
        return snapshot;
    }

    /** A job hash as a newer release would store it (a field this version does not know included); not queued. */
    private String storeJob(String status, long version) {
        String id = Ids.newJobId();
        send(Request.cmd(Command.HSET).arg(keyspace.ofJob(id).job(id)).arg("id").arg(id).arg("type").arg("echo")
                .arg("status").arg(status).arg("priority").arg("normal").arg("attempts").arg("0")
                .arg("maxAttempts").arg("3").arg("createdAt").arg(System.currentTimeMillis()).arg("v").arg(version)
                .arg("archivedAt").arg(System.currentTimeMillis() + 60_000));
        return id;
    }

    /** An envelope as prelude.lua writes it. */
    private static String envelope(String id, String status, String event) {
        return "{\"v\":2,\"id\":\"" + id + "\",\"status\":\"" + status + "\",\"replyTo\":null,\"createdAt\":"
                + "1764100000001,\"startedAt\":0,\"finishedAt\":0,\"event\":" + event + "}";
    }

    private void publish(String message) {
        send(Request.cmd(Command.PUBLISH).arg(keyspace.queue("default").events()).arg(message));
    }

    private void send(Request request) {
        redis.send(request).await().atMost(WAIT);
    }

    private static boolean warningOrWorse(LogRecord record) {
        return record.getLevel().intValue() >= Level.WARNING.intValue();
    }

    private static String formatted(LogRecord record) {
        return record instanceof org.jboss.logmanager.ExtLogRecord ext ? ext.getFormattedMessage()
                : record.getMessage();
    }
}
