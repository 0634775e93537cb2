package io.livequeue.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.livequeue.core.Ids;
import io.livequeue.core.Priority;
import io.livequeue.core.rdb.JobStore;
import io.livequeue.core.rdb.NewJob;
import io.livequeue.core.rdb.Keyspace;
import io.livequeue.gateway.dashboard.StatsTicker;
import io.livequeue.testing.RedisTestResource;
import io.livequeue.testing.TestSocket;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The operator channel at /dashboard/ws: the token, the snapshot, the stats pushed every second. */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
class DashboardSocketTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @TestHTTPResource("/")
    URI root;

    @Inject
    RedisDataSource redis;

    @Inject
    Keyspace keyspace;

    @Inject
    JobStore store;

    @Inject
    StatsTicker ticker;

    private OperatorFixture fixture;

    @BeforeEach
    void emptyRedis() {
        fixture = new OperatorFixture(root, redis, keyspace.queue("default"));
        fixture.flush();
    }

    @Test
    void aWrongTokenIsRefusedAndTheSocketClosed() throws Exception {
        try (TestSocket socket = fixture.connect()) {
            socket.send("{\"type\":\"hello\",\"token\":\"guess\"}");

            JsonNode error = socket.next();
            assertThat(error.path("event").asText()).isEqualTo("error");
            assertThat(error.path("code").asText()).isEqualTo("unauthorized");
            assertThat(socket.closeCode().get(10, TimeUnit.SECONDS)).isEqualTo(1008);
        }
    }

    @Test
    void anythingButHelloFirstClosesTheSocket() throws Exception {
        for (String first : List.of("Hello Server!", "{\"type\":\"job\",\"id\":\"" + Ids.newJobId() + "\"}",
                "{\"type\":\"hello\"}")) {
            try (TestSocket socket = fixture.connect()) {
                socket.send(first);

                assertThat(socket.next().path("code").asText()).isEqualTo("unauthorized");
                assertThat(socket.closeCode().get(10, TimeUnit.SECONDS)).as(first).isEqualTo(1008);
            }
        }
    }

    @Test
    void theRightTokenGetsASnapshotAndThenStatsEverySecond() {
        try (TestSocket socket = fixture.operator()) {
            JsonNode snapshot = socket.next();
            assertThat(snapshot.path("event").asText()).isEqualTo("snapshot");
            assertThat(snapshot.path("queues").path("normal").path("waiting").asLong()).isZero();
            assertThat(snapshot.path("consumers").path("consumers").isArray()).isTrue();
            assertThat(snapshot.path("dead").path("total").asLong()).isZero();
            assertThat(snapshot.path("series")).as("five minutes of seconds").hasSize(300);

            JsonNode first = socket.next(Duration.ofSeconds(3));
            JsonNode second = socket.next(Duration.ofSeconds(3));
            assertThat(first.path("event").asText()).isEqualTo("stats");
            assertThat(second.path("at").asLong() - first.path("at").asLong()).isBetween(500L, 1800L);
            assertThat(second.path("series").size()).isBetween(1, 10);
            assertThat(second.has("dead")).as("the dead list is only sent when it changed").isFalse();
        }
    }

    @Test
    void countsFollowTheJobsInRedis() {
        List<NewJob> jobs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            jobs.add(new NewJob(Ids.newJobId(), "echo", Priority.NORMAL, 3, null, null));
        }
        jobs.add(new NewJob(Ids.newJobId(), "echo", Priority.HIGH, 3, null, null));
        store.enqueue("default", jobs, 0).await().atMost(WAIT);
        fixture.dead(Ids.newJobId(), Priority.LOW, System.currentTimeMillis(), "[\"e\"]", "e");

        try (TestSocket socket = fixture.operator()) {
            JsonNode queues = socket.next().path("queues");
            assertThat(queues.path("normal").path("waiting").asLong()).isEqualTo(3);
            assertThat(queues.path("high").path("waiting").asLong()).isEqualTo(1);
            assertThat(queues.path("low").path("dead").asLong()).isEqualTo(1);

            store.enqueue("default", List.of(new NewJob(Ids.newJobId(), "echo", Priority.LOW, 3, null, null)), 0)
                    .await().atMost(WAIT);
            socket.nextMatching(stats -> stats.path("queues").path("low").path("waiting").asLong() == 1);
        }
    }

    @Test
    void consumersAreShownWithTheirInFlightJobs() {
        long now = System.currentTimeMillis();
        String job = Ids.newJobId();
        fixture.heartbeat("consumer-a", now);
        fixture.heartbeat("consumer-b", now - 500);
        fixture.active(job, Priority.HIGH, "consumer-a", now - 200);

        try (TestSocket socket = fixture.operator()) {
            JsonNode consumers = socket.next().path("consumers");
            assertThat(consumers.path("now").asLong()).isPositive();
            JsonNode a = consumers.path("consumers").get(0);
            assertThat(a.path("id").asText()).isEqualTo("consumer-a");
            assertThat(a.path("lastHeartbeat").asLong()).isEqualTo(now);
            assertThat(a.path("jobs").get(0).path("id").asText()).isEqualTo(job);
            assertThat(a.path("jobs").get(0).path("startedAt").asLong()).isEqualTo(now - 200);
            assertThat(consumers.path("consumers").get(1).path("jobs")).isEmpty();
        }
    }

    @Test
    void completedAndActiveEventsMoveThroughputAndLatency() {
        try (TestSocket socket = fixture.operator()) {
            socket.next();
            long now = System.currentTimeMillis();
            String id = Ids.newJobId();
            fixture.publish(id, "active", now - 40, now - 10, 0);
            fixture.publish(id, "completed", now - 40, now - 10, now + 15);
            fixture.publish(Ids.newJobId(), "failed", now - 40, now - 10, now);

            // the three may fall into two seconds: look at the last seconds together
            JsonNode stats = socket.nextMatching(frame -> sum(frame, "completed") >= 1 && sum(frame, "failed") >= 1);
            List<Long> pickups = new ArrayList<>();
            long runMax = 0;
            for (JsonNode point : stats.path("series")) {
                if (!point.path("pickupAvg").isNull()) {
                    pickups.add(point.path("pickupAvg").asLong());
                }
                runMax = Math.max(runMax, point.path("runMax").asLong());
            }
            assertThat(pickups).contains(30L);
            assertThat(runMax).isEqualTo(25);
        }
    }

    @Test
    void theDeadListComesWithEveryErrorAndIsPushedAgainWhenItChanges() {
        String older = Ids.newJobId();
        String newer = Ids.newJobId();
        long now = System.currentTimeMillis();
        fixture.dead(older, Priority.NORMAL, now - 1000, "[\"first\",\"second\"]", "second");
        fixture.dead(newer, Priority.HIGH, now, "[\"only\"]", "only");

        try (TestSocket socket = fixture.operator()) {
            JsonNode dead = socket.next().path("dead");
            assertThat(dead.path("total").asLong()).isEqualTo(2);
            assertThat(dead.path("jobs").get(0).path("id").asText()).isEqualTo(newer);
            JsonNode job = dead.path("jobs").get(1);
            assertThat(job.path("errors").get(0).asText()).isEqualTo("first");
            assertThat(job.path("errors").get(1).asText()).isEqualTo("second");
            assertThat(job.path("priority").asText()).isEqualTo("normal");

            fixture.forgetDead(newer, Priority.HIGH);
            JsonNode changed = socket.nextMatching(stats -> stats.has("dead")).path("dead");
            assertThat(changed.path("total").asLong()).isEqualTo(1);
            assertThat(changed.path("jobs").get(0).path("id").asText()).isEqualTo(older);
        }
    }

    @Test
    void aJobIsLookedUpByIdWithItsWholeDocument() {
        String id = Ids.newJobId();
        fixture.dead(id, Priority.LOW, System.currentTimeMillis(), "[\"a\",\"b\"]", "b");
        try (TestSocket socket = fixture.operator()) {
            socket.next();

            socket.send("{\"type\":\"job\",\"id\":\"" + id + "\"}");
            JsonNode doc = socket.nextMatching(m -> m.path("event").asText().equals("job-doc"));
            assertThat(doc.path("found").asBoolean()).isTrue();
            assertThat(doc.path("job").path("status").asText()).isEqualTo("dead");
            assertThat(doc.path("job").path("errors").asText()).isEqualTo("[\"a\",\"b\"]");
            assertThat(doc.path("job").path("finishedAt").asText()).isNotEmpty();

            String unknown = Ids.newJobId();
            socket.send("{\"type\":\"job\",\"id\":\"" + unknown + "\"}");
            JsonNode missing = socket.nextMatching(m -> m.path("event").asText().equals("job-doc"));
            assertThat(missing.path("id").asText()).isEqualTo(unknown);
            assertThat(missing.path("found").asBoolean()).isFalse();
        }
    }

    @Test
    void badFramesAfterHelloAreAnsweredAndTheSocketStaysOpen() {
        try (TestSocket socket = fixture.operator()) {
            socket.next();
            socket.send("not json");
            assertThat(nextError(socket)).isEqualTo("bad-frame");
            socket.send("[1,2]");
            assertThat(nextError(socket)).isEqualTo("bad-frame");
            socket.send("{\"type\":\"teleport\"}");
            assertThat(nextError(socket)).isEqualTo("unknown-type");
            socket.send("{\"type\":\"job\",\"id\":\"../etc\"}");
            assertThat(nextError(socket)).isEqualTo("bad-request");
            socket.send("{\"type\":\"dead\",\"offset\":-1}");
            assertThat(nextError(socket)).isEqualTo("bad-request");
            socket.sendBinary(new byte[] {1, 2, 3});
            assertThat(nextError(socket)).isEqualTo("unsupported-frame");

            socket.send("{\"type\":\"dead\",\"offset\":0}");
            assertThat(socket.nextMatching(m -> m.path("event").asText().equals("dead-page")).path("dead")
                    .path("offset").asInt()).isZero();
            assertThat(socket.isOpen()).isTrue();
        }
    }

    @Test
    void statsAreComputedOnceASecondForAllOperatorsAndStopWithTheLast() {
        try (TestSocket one = fixture.operator(); TestSocket two = fixture.operator()) {
            one.next();
            two.next();
            long ticksBefore = ticker.ticks();
            List<JsonNode> fromOne = List.of(one.next(Duration.ofSeconds(3)), one.next(Duration.ofSeconds(3)),
                    one.next(Duration.ofSeconds(3)));
            List<JsonNode> fromTwo = List.of(two.next(Duration.ofSeconds(3)), two.next(Duration.ofSeconds(3)),
                    two.next(Duration.ofSeconds(3)));
            assertThat(ticker.ticks() - ticksBefore).as("one computation per second, not one per operator")
                    .isBetween(3L, 4L);
            assertThat(fromTwo.stream().map(f -> f.path("at").asLong()))
                    .containsAnyElementsOf(fromOne.stream().map(f -> f.path("at").asLong()).toList());
            assertThat(ticker.isRunning()).isTrue();
        }
        await().atMost(WAIT).until(() -> !ticker.isRunning());
    }

    private static String nextError(TestSocket socket) {
        return socket.nextMatching(m -> m.path("event").asText().equals("error")).path("code").asText();
    }

    /** The sum of one count over the chart points of a stats frame. */
    private static long sum(JsonNode stats, String field) {
        long total = 0;
        for (JsonNode point : stats.path("series")) {
            total += point.path(field).asLong();
        }
        return total;
    }
}
