package io.livequeue.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.livequeue.core.Ids;
import io.livequeue.core.Job;
import io.livequeue.core.JobStatus;
import io.livequeue.core.Priority;
import io.livequeue.core.rdb.JobStore;
import io.livequeue.core.rdb.Queues;
import io.livequeue.core.rdb.NewJob;
import io.livequeue.core.rdb.QueueCounts;
import io.livequeue.testing.RedisTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Many jobs at once: every one completes exactly with its own result, and the queues drain to empty. */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
class NoJobLostTest {

    private static final int JOBS = 200;

    @Inject
    JobStore store;

    @Inject
    Queues queues;

    @Inject
    JobFixture jobs;

    @Test
    void twoHundredEchoJobsAllCompleteAndTheQueuesDrain() {
        List<NewJob> batch = new ArrayList<>();
        for (int i = 0; i < JOBS; i++) {
            batch.add(new NewJob(Ids.newJobId(), "echo", Priority.values()[i % 3], 3, "{\"n\":" + i + "}", null));
        }
        store.enqueue("default", batch, 0).await().atMost(JobFixture.TIMEOUT);

        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> batch.stream().allMatch(j -> jobs.find(j.id()).orElseThrow().status().isFinal()));

        for (int i = 0; i < JOBS; i++) {
            Job job = jobs.find(batch.get(i).id()).orElseThrow();
            assertThat(job.status()).as("job %d", i).isEqualTo(JobStatus.COMPLETED);
            assertThat(job.result()).as("job %d", i).isEqualTo("{\"n\":" + i + "}");
            assertThat(job.attempts()).as("job %d", i).isEqualTo(1);
        }
        Map<Priority, QueueCounts> counts = queues.state("default").await().atMost(JobFixture.TIMEOUT).counts();
        assertThat(counts.values()).allSatisfy(c -> {
            assertThat(c.waiting()).isZero();
            assertThat(c.active()).isZero();
        });
    }
}
