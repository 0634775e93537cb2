package io.livequeue.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.livequeue.core.Ids;
import io.livequeue.core.JobEvent;
import io.livequeue.core.JobStatus;
import io.livequeue.core.JobTokens;
import io.livequeue.core.Priority;
import io.livequeue.core.rdb.ClaimedJob;
import io.livequeue.core.rdb.JobStore;
import io.livequeue.core.rdb.NewJob;
import io.livequeue.core.rdb.NewJob.When;
import io.livequeue.gateway.socket.ClientRegistry;
import io.livequeue.testing.RedisTestResource;
import io.livequeue.testing.TestSocket;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 13's statuses and progress reports through the gateway, with real scripts on a real Redis (enqueue with a due
 * time, claim, progress.lua, cancel.lua) and real sockets: progress reports reach the inbox and the watchers once and
 * in order, snapshots carry the latest progress and a scheduled job's due time, and {@code cancelled} is final to
 * the gateway.
 */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
class JobsInTimeEventsTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @TestHTTPResource("/")
    URI root;

    @Inject
    JobStore store;

    @Inject
    JobTokens tokens;

    @Inject
    ClientRegistry registry;

    /**
     * queued → active → progress 40 → progress 80 → completed, each once and in order with a growing {@code v}, to the
     * job's inbox; a watcher that subscribes after the first report gets it in its snapshot, then the rest.
     */
    @Test
    void progressReportsReachTheInboxAndWatchersOnceAndInOrder() {
        try (TestSocket inbox = connect(); TestSocket watcher = connect()) {
            String inboxId = inbox.next().path("inbox").asText();
            watcher.next();
            String id = enqueue(inboxId, When.NONE);
            ClaimedJob job = claim(id);
            progress(job, 40, "{\"sent\":4}");

            watcher.send(subscribe(id));
            assertThat(watcher.next().path("event").asText()).isEqualTo("subscribed");
            JsonNode snapshot = watcher.next();
            assertThat(snapshot.path("status").asText()).isEqualTo("active");
            assertThat(snapshot.path("progress").path("percent").asInt()).as("snapshot: " + snapshot).isEqualTo(40);
            assertThat(snapshot.path("progress").path("data").path("sent").asInt()).isEqualTo(4);

            progress(job, 80, "{\"sent\":8}");
            finish(job);

            List<JsonNode> received = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                received.add(inbox.next());
            }
            assertThat(received).extracting(e -> e.path("status").asText())
                    .containsExactly("queued", "active", "active", "active", "completed");
            assertThat(received).extracting(e -> e.path("v").asLong()).containsExactly(1L, 2L, 3L, 4L, 5L);
            assertThat(received).extracting(e -> e.path("progress").path("percent").asInt(-1))
                    .containsExactly(-1, -1, 40, 80, -1);
            assertThat(received.get(3).path("progress").path("data").path("sent").asInt()).isEqualTo(8);

            JsonNode eighty = watcher.next();
            assertThat(eighty.path("progress").path("percent").asInt()).isEqualTo(80);
            assertThat(eighty.path("v").asLong()).isEqualTo(4);
            JsonNode completed = watcher.next();
            assertThat(completed.path("status").asText()).isEqualTo("completed");
            assertThat(completed.has("progress")).as("a finished job's event carries no progress").isFalse();
            assertThat(completed.path("v").asLong()).isEqualTo(5);
            assertNothingMore(inbox, watcher);
        }
    }

    /**
     * A scheduled job's event carries its due time ({@code runAt}), in the inbox and in a watcher's snapshot; when it
     * is due it is queued, then runs: the statuses follow in order.
     */
    @Test
    void aScheduledJobsEventsCarryItsDueTimeThenFollowItsLife() {
        try (TestSocket inbox = connect(); TestSocket watcher = connect()) {
            String inboxId = inbox.next().path("inbox").asText();
            watcher.next();
            long before = System.currentTimeMillis();
            String id = enqueue(inboxId, When.after(Duration.ofMillis(300)));

            JsonNode scheduled = inbox.next();
            assertThat(scheduled.path("status").asText()).isEqualTo("scheduled");
            long runAt = scheduled.path("runAt").asLong();
            assertThat(runAt).as("due about 300 ms after the submit: " + scheduled)
                    .isBetween(before + 200, System.currentTimeMillis() + 1000);

            watcher.send(subscribe(id));
            watcher.next();
            JsonNode snapshot = watcher.next();
            assertThat(snapshot.path("status").asText()).isEqualTo("scheduled");
            assertThat(snapshot.path("runAt").asLong()).isEqualTo(runAt);

            finish(claim(id)); // claims only once due: the claim script moves due jobs to the queue first
            for (TestSocket socket : List.of(inbox, watcher)) {
                List<String> statuses = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    JsonNode event = socket.next();
                    assertThat(event.has("runAt")).as("only a scheduled event carries runAt: " + event).isFalse();
                    statuses.add(event.path("status").asText());
                }
                assertThat(statuses).containsExactly("queued", "active", "completed");
            }
        }
    }

    /**
     * A job cancelled while it waited is final to the gateway, like completed and dead: its inbox gets
     * {@code cancelled} once, and it is no longer among the jobs with unfinished news (those the gateway reads back
     * after a resubscription), while a job still waiting is. A watcher subscribing afterwards gets the final state.
     */
    @Test
    void aCancelledJobIsFinalForTheGateway() {
        try (TestSocket inbox = connect(); TestSocket late = connect()) {
            String inboxId = inbox.next().path("inbox").asText();
            late.next();
            String cancelled = enqueue(inboxId, When.after(Duration.ofHours(1)));
            String waiting = enqueue(inboxId, When.after(Duration.ofHours(1)));
            assertThat(List.of(inbox.next(), inbox.next())).extracting(e -> e.path("status").asText())
                    .containsOnly("scheduled");
            await().atMost(WAIT).until(() -> registry.knownJobs().containsAll(List.of(cancelled, waiting)));

            assertThat(store.cancel(cancelled, Duration.ofHours(1)).await().atMost(WAIT))
                    .isEqualTo(JobStore.Cancelled.CANCELLED);
            JsonNode event = inbox.next();
            assertThat(event.path("id").asText()).isEqualTo(cancelled);
            assertThat(event.path("status").asText()).isEqualTo("cancelled");
            assertThat(event.path("v").asLong()).isEqualTo(2);

            assertThat(registry.knownJobs()).as("final: nothing to catch up").doesNotContain(cancelled)
                    .contains(waiting);

            late.send(subscribe(cancelled));
            late.next();
            assertThat(late.next().path("status").asText()).isEqualTo("cancelled");
            store.cancel(waiting, Duration.ofHours(1)).await().atMost(WAIT);
            assertThat(inbox.next().path("id").asText()).as("no repeat of the first cancel").isEqualTo(waiting);
        }
    }

    private TestSocket connect() {
        return TestSocket.connect("ws://" + root.getHost() + ":" + root.getPort() + "/ws");
    }

    private String subscribe(String id) {
        return "{\"op\":\"subscribe\",\"job\":\"" + id + "\",\"token\":\"" + tokens.issue(id) + "\"}";
    }

    private String enqueue(String replyTo, When runAt) {
        NewJob job = new NewJob(Ids.newJobId(), "sleep", Priority.HIGH, 3, "{\"ms\":1000}", replyTo).withRunAt(runAt);
        store.enqueue("default", List.of(job), 0).await().atMost(WAIT);
        return job.id();
    }

    /**
     * Claims until it gets this job (other tests' jobs may be queued ahead and are finished on the way), waiting for
     * it to be due.
     */
    private ClaimedJob claim(String id) {
        ClaimedJob[] found = {null};
        await().atMost(WAIT).until(() -> {
            ClaimedJob job = store.claim("default", "test", Duration.ofMinutes(1), Duration.ZERO).await()
                    .atMost(WAIT);
            if (job != null && job.id().equals(id)) {
                found[0] = job;
                return true;
            }
            if (job != null) {
                finish(job);
            }
            return false;
        });
        return found[0];
    }

    /** As a consumer reports progress (see {@code JobContext.progress}): the stored report and the job event. */
    private void progress(ClaimedJob job, int percent, String data) {
        String report = "{\"percent\":" + percent + ",\"data\":" + data + "}";
        String event = JobEvent.json(job.id(), job.type(), JobStatus.ACTIVE.wireName(), job.attempts(), null, null,
                report, null, -1);
        assertThat(store.progress(job, report, event).await().atMost(WAIT)).isTrue();
    }

    private void finish(ClaimedJob job) {
        String event = JobEvent.json(job.id(), job.type(), JobStatus.COMPLETED, job.attempts(), "{\"ok\":true}", null);
        assertThat(store.finish(job, JobStatus.COMPLETED, "{\"ok\":true}", null, event, Duration.ofHours(1),
                Duration.ZERO).await().atMost(WAIT)).isTrue();
    }

    /** Nothing else for these sockets: each answers a bad frame with its error before any late duplicate. */
    private static void assertNothingMore(TestSocket... sockets) {
        for (TestSocket socket : sockets) {
            socket.send("{}");
            assertThat(socket.next().path("code").asText()).as("no further event").isEqualTo("unknown-op");
        }
    }
}
