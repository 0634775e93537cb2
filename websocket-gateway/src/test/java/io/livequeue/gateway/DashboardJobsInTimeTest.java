package io.livequeue.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.livequeue.core.Ids;
import io.livequeue.core.Priority;
import io.livequeue.core.rdb.JobStore;
import io.livequeue.core.rdb.Schedules;
import io.livequeue.core.schedule.JobTemplate;
import io.livequeue.core.schedule.ScheduleSpec;
import io.livequeue.core.rdb.Keyspace;
import io.livequeue.core.rdb.NewJob;
import io.livequeue.core.rdb.NewJob.When;
import io.livequeue.testing.RedisTestResource;
import io.livequeue.testing.TestSocket;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The dashboard's share of issue 13: scheduled jobs counted per queue, {@code cancelled} counted in the live figures
 * like the other final statuses, progress reports (active events of a running attempt) kept out of the pickup
 * latency, and the recurring schedules with their next run.
 */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
class DashboardJobsInTimeTest {

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
    Schedules schedules;

    private OperatorFixture fixture;

    @BeforeEach
    void emptyRedis() {
        fixture = new OperatorFixture(root, redis, keyspace.queue("default"));
        fixture.flush();
    }

    @Test
    void scheduledJobsAreCountedPerQueueAndRecurringSchedulesListedWithTheirNextRun() {
        When later = When.after(Duration.ofHours(1));
        store.enqueue("default", List.of(job(later), job(later), job(When.NONE)), 0).await().atMost(WAIT);

        try (TestSocket socket = fixture.operator()) {
            JsonNode snapshot = socket.next();
            JsonNode named = queue(snapshot, "default");
            assertThat(named.path("scheduled").asLong()).as(named.toString()).isEqualTo(2);
            assertThat(named.path("waiting").asLong()).as("a scheduled job is not waiting").isEqualTo(1);
            assertThat(snapshot.path("schedules").isArray()).as(snapshot.toString()).isTrue();

            schedules.create(new ScheduleSpec("nightly-digest", "30 2 * * *", null, "Europe/Berlin",
                    new JobTemplate("echo", "default", "normal", 3, null, null, null), null, null))
                    .await().atMost(WAIT);
            JsonNode listed = socket.nextMatching(stats -> stats.path("schedules").size() > 0).path("schedules").get(0);
            assertThat(listed.path("name").asText()).isEqualTo("nightly-digest");
            assertThat(listed.path("cron").asText()).isEqualTo("30 2 * * *");
            assertThat(listed.path("zone").asText()).isEqualTo("Europe/Berlin");
            assertThat(listed.path("nextRun").asLong()).as("its next run, a day ahead at most")
                    .isBetween(System.currentTimeMillis(), System.currentTimeMillis() + 86_400_000L);
            schedules.delete("nightly-digest").await().atMost(WAIT);

            store.enqueue("default", List.of(job(later)), 0).await().atMost(WAIT);
            socket.nextMatching(stats -> queue(stats, "default").path("scheduled").asLong() == 3);
        }
    }

    /**
     * Two attempts start in one second, picked up after 90 and 10 ms; the second reports progress four times: the
     * second's pickup average is 50 ms (a report is no pickup). A job cancelled in the same second counts as cancelled,
     * neither completed nor failed.
     */
    @Test
    void cancelledJobsAreCountedAndProgressReportsAreNoPickups() {
        try (TestSocket socket = fixture.operator()) {
            socket.next();
            long now = System.currentTimeMillis();
            String slow = Ids.newJobId();
            String quick = Ids.newJobId();
            String progress = ",\"progress\":{\"percent\":%d,\"data\":{\"step\":\"progress\"}}";
            fixture.publishAll(OperatorFixture.envelope(slow, 2, "active", now - 100, now - 10, 0, ""),
                    OperatorFixture.envelope(quick, 2, "active", now - 20, now - 10, 0, ""),
                    OperatorFixture.envelope(quick, 3, "active", now - 20, now - 10, 0, progress.formatted(25)),
                    OperatorFixture.envelope(quick, 4, "active", now - 20, now - 10, 0, progress.formatted(50)),
                    OperatorFixture.envelope(quick, 5, "active", now - 20, now - 10, 0, progress.formatted(75)),
                    OperatorFixture.envelope(quick, 6, "active", now - 20, now - 10, 0, progress.formatted(100)),
                    OperatorFixture.envelope(Ids.newJobId(), 2, "cancelled", now - 30, 0, now, ""));

            JsonNode stats = socket.nextMatching(frame -> sum(frame, "cancelled") >= 1);
            assertThat(sum(stats, "completed")).isZero();
            assertThat(sum(stats, "failed")).isZero();
            JsonNode point = null;
            for (JsonNode p : stats.path("series")) {
                if (p.path("cancelled").asLong() == 1) {
                    point = p;
                }
            }
            assertThat(point).isNotNull();
            assertThat(point.path("pickupAvg").asLong()).as(point.toString()).isEqualTo(50);
            assertThat(point.path("pickupMax").asLong()).isEqualTo(90);
            assertThat(point.path("runAvg").isNull()).as("a job cancelled before it ran has no run time").isTrue();
        }
    }

    private static NewJob job(When runAt) {
        return new NewJob(Ids.newJobId(), "echo", Priority.NORMAL, 3, null, null).withRunAt(runAt);
    }

    private static JsonNode queue(JsonNode frame, String name) {
        for (JsonNode q : frame.path("named")) {
            if (name.equals(q.path("name").asText())) {
                return q;
            }
        }
        return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }

    private static long sum(JsonNode stats, String field) {
        long total = 0;
        for (JsonNode point : stats.path("series")) {
            total += point.path(field).asLong();
        }
        return total;
    }
}
