package io.livequeue.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.livequeue.core.Ids;
import io.livequeue.core.JobEvent;
import io.livequeue.core.JobStatus;
import io.livequeue.core.JobTokens;
import io.livequeue.core.Priority;
import io.livequeue.core.rdb.ClaimedJob;
import io.livequeue.core.rdb.JobStore;
import io.livequeue.core.rdb.NewJob;
import io.livequeue.testing.RedisTestResource;
import io.livequeue.testing.TestSocket;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The client protocol of the gateway, over real sockets, with job events coming from a real Redis. */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
class GatewaySocketTest {

    @TestHTTPResource("/")
    URI root;

    @Inject
    JobStore store;

    @Inject
    JobTokens tokens;

    @Test
    void welcomeCarriesAFreshUnguessableInbox() {
        try (TestSocket a = connect("ws"); TestSocket b = connect("ws")) {
            JsonNode welcomeA = a.next();
            JsonNode welcomeB = b.next();
            assertThat(welcomeA.path("event").asText()).isEqualTo("welcome");
            assertThat(welcomeA.path("inbox").asText()).matches("[A-Za-z0-9_-]{22}");
            assertThat(welcomeB.path("inbox").asText()).isNotEqualTo(welcomeA.path("inbox").asText());
        }
    }

    @Test
    void seedSnippetHelloServerGetsWelcomeThenErrorAndStaysOpen() {
        try (TestSocket seed = connect("")) {
            assertThat(seed.next().path("event").asText()).isEqualTo("welcome");
            seed.send("Hello Server!");
            JsonNode error = seed.next();
            assertThat(error.path("event").asText()).isEqualTo("error");
            assertThat(error.path("code").asText()).isEqualTo("bad-frame");
            assertThat(error.path("message").asText()).contains("subscribe");
            seed.send("{\"op\":\"subscribe\",\"job\":\"nope\"}");
            assertThat(seed.next().path("code").asText()).isEqualTo("bad-request");
            assertThat(seed.isOpen()).isTrue();
        }
    }

    @Test
    void jobSubmittedWithReplyToReachesTheInboxWithNoFurtherStep() {
        try (TestSocket socket = connect("ws")) {
            String inbox = socket.next().path("inbox").asText();
            String id = enqueue(inbox);
            JsonNode queued = socket.next();
            assertJobEvent(queued, id, "queued", 0);
            finish(claim(id), JobStatus.COMPLETED, "{\"answer\":42}");
            JsonNode active = socket.next();
            assertJobEvent(active, id, "active", 1);
            JsonNode completed = socket.next();
            assertJobEvent(completed, id, "completed", 1);
            assertThat(completed.path("result").path("answer").asInt()).isEqualTo(42);
            assertThat(completed.path("error").isNull()).isTrue();
            // the job's version, appended by the scripts: one more with every change
            assertThat(List.of(queued, active, completed)).extracting(e -> e.path("v").asLong())
                    .containsExactly(1L, 2L, 3L);
        }
    }

    @Test
    void subscribeWithTokenGetsCurrentStateThenEveryChange() {
        String id = enqueue(null);
        try (TestSocket socket = connect("ws")) {
            socket.next();
            socket.send(subscribe(id, tokens.issue(id)));
            JsonNode subscribed = socket.next();
            assertThat(subscribed.path("event").asText()).isEqualTo("subscribed");
            assertThat(subscribed.path("job").asText()).isEqualTo(id);
            assertJobEvent(socket.next(), id, "queued", 0);
            finish(claim(id), JobStatus.COMPLETED, "\"done\"");
            assertJobEvent(socket.next(), id, "active", 1);
            assertThat(socket.next().path("result").asText()).isEqualTo("done");
        }
    }

    @Test
    void subscribingToAFinishedJobSendsItsFinalStateAtOnce() {
        String id = enqueue(null);
        finish(claim(id), JobStatus.DEAD, null);
        try (TestSocket socket = connect("ws")) {
            socket.next();
            socket.send(subscribe(id, tokens.issue(id)));
            assertThat(socket.next().path("event").asText()).isEqualTo("subscribed");
            JsonNode dead = socket.next();
            assertJobEvent(dead, id, "dead", 1);
            assertThat(dead.path("error").asText()).isEqualTo("test failure");
            assertThat(dead.path("v").asLong()).as("version of the snapshot").isEqualTo(3);
        }
    }

    @Test
    void wrongTokenGetsAnErrorAndNothingOfThatJob() {
        String id = enqueue(null);
        String otherId = enqueue(null);
        try (TestSocket intruder = connect("ws"); TestSocket owner = connect("ws")) {
            intruder.next();
            owner.next();
            owner.send(subscribe(id, tokens.issue(id)));
            owner.next();
            owner.next();
            intruder.send(subscribe(id, tokens.issue(otherId)));
            JsonNode error = intruder.next();
            assertThat(error.path("code").asText()).isEqualTo("forbidden");
            finish(claim(id), JobStatus.COMPLETED, "1");
            owner.nextMatching(e -> "completed".equals(e.path("status").asText()));
            intruder.send("{\"op\":\"dance\"}");
            assertThat(intruder.next().path("code").asText()).isEqualTo("unknown-op");
        }
    }

    @Test
    void unsubscribeStopsTheEventsOfThatJob() {
        String id = enqueue(null);
        try (TestSocket leaving = connect("ws"); TestSocket staying = connect("ws")) {
            for (TestSocket s : List.of(leaving, staying)) {
                s.next();
                s.send(subscribe(id, tokens.issue(id)));
                s.next();
                s.next();
            }
            leaving.send("{\"op\":\"unsubscribe\",\"job\":\"" + id + "\"}");
            assertThat(leaving.next().path("event").asText()).isEqualTo("unsubscribed");
            finish(claim(id), JobStatus.COMPLETED, "1");
            assertJobEvent(staying.next(), id, "active", 1);
            assertJobEvent(staying.next(), id, "completed", 1);
            leaving.send("{}");
            assertThat(leaving.next().path("code").asText()).isEqualTo("unknown-op");
        }
    }

    @Test
    void binaryFrameGetsAnErrorAndTheConnectionStaysOpen() {
        try (TestSocket socket = connect("ws")) {
            socket.next();
            socket.sendBinary(new byte[] {1, 2, 3});
            assertThat(socket.next().path("code").asText()).isEqualTo("unsupported-frame");
            socket.send("[1,2]");
            assertThat(socket.next().path("code").asText()).isEqualTo("bad-frame");
        }
    }

    @Test
    void subscriberOfAJobThatNoLongerExistsIsTold() {
        String id = Ids.newJobId();
        try (TestSocket socket = connect("ws")) {
            socket.next();
            socket.send(subscribe(id, tokens.issue(id)));
            assertThat(socket.next().path("event").asText()).isEqualTo("subscribed");
            assertThat(socket.next().path("code").asText()).isEqualTo("not-found");
        }
    }

    @Test
    void eventsReachEverySocketWatchingTheJobOnceEach() {
        String id = enqueue(null);
        try (TestSocket a = connect("ws"); TestSocket b = connect("")) {
            String inbox = a.next().path("inbox").asText();
            b.next();
            a.send(subscribe(id, tokens.issue(id)));
            b.send(subscribe(id, tokens.issue(id)));
            for (TestSocket s : List.of(a, b)) {
                assertThat(s.next().path("event").asText()).isEqualTo("subscribed");
                assertJobEvent(s.next(), id, "queued", 0);
            }
            finish(claim(id), JobStatus.COMPLETED, "7");
            for (TestSocket s : List.of(a, b)) {
                assertJobEvent(s.next(), id, "active", 1);
                assertJobEvent(s.next(), id, "completed", 1);
            }
            a.send("{\"op\":\"unsubscribe\",\"job\":\"" + id + "\"}");
            assertThat(a.next().path("event").asText()).as("no duplicate before this answer, inbox " + inbox)
                    .isEqualTo("unsubscribed");
        }
    }

    private TestSocket connect(String path) {
        return TestSocket.connect("ws://" + root.getHost() + ":" + root.getPort() + "/" + path);
    }

    private String enqueue(String replyTo) {
        NewJob job = new NewJob(Ids.newJobId(), "echo", Priority.HIGH, 3, "{\"n\":1}", replyTo);
        store.enqueue("default", List.of(job), 0).await().atMost(Duration.ofSeconds(5));
        return job.id();
    }

    /** Claims until it gets this job: other tests' jobs may be queued ahead of it and are finished on the way. */
    private ClaimedJob claim(String id) {
        while (true) {
            ClaimedJob job = store.claim("default", "test", Duration.ofMinutes(1), Duration.ZERO).await().atMost(Duration.ofSeconds(5));
            assertThat(job).as("job " + id + " should be waiting").isNotNull();
            if (job.id().equals(id)) {
                return job;
            }
            finish(job, JobStatus.COMPLETED, null);
        }
    }

    private void finish(ClaimedJob job, JobStatus status, String result) {
        String error = status == JobStatus.COMPLETED ? null : "test failure";
        String event = JobEvent.json(job.id(), job.type(), status, job.attempts(), result, error);
        assertThat(store.finish(job, status, result, error, event, Duration.ofHours(1), Duration.ZERO).await()
                .atMost(Duration.ofSeconds(5))).isTrue();
    }

    private static String subscribe(String id, String token) {
        return "{\"op\":\"subscribe\",\"job\":\"" + id + "\",\"token\":\"" + token + "\"}";
    }

    private static void assertJobEvent(JsonNode event, String id, String status, int attempts) {
        assertThat(event.path("event").asText()).as(event.toString()).isEqualTo("job");
        assertThat(event.path("id").asText()).isEqualTo(id);
        assertThat(event.path("type").asText()).isEqualTo("echo");
        assertThat(event.path("status").asText()).as(event.toString()).isEqualTo(status);
        assertThat(event.path("attempts").asInt()).isEqualTo(attempts);
    }
}
