package io.livequeue.consumer;

import static org.awaitility.Awaitility.await;

import io.livequeue.core.Ids;
import io.livequeue.core.Job;
import io.livequeue.core.Priority;
import io.livequeue.core.rdb.JobStore;
import io.livequeue.core.rdb.NewJob;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Test helper bean: enqueues jobs straight into Redis (bypassing the producer) and waits for the workers. */
@Singleton
public class JobFixture {

    public static final Duration TIMEOUT = Duration.ofSeconds(15);

    private final JobStore store;

    JobFixture(JobStore store) {
        this.store = store;
    }

    /** Enqueues one job and returns its id. */
    public String enqueue(String type, String payload, int maxAttempts) {
        return enqueue(type, payload, maxAttempts, null);
    }

    public String enqueue(String type, String payload, int maxAttempts, String replyTo) {
        String id = Ids.newJobId();
        store.enqueue("default", List.of(new NewJob(id, type, Priority.NORMAL, maxAttempts, payload, replyTo)), 0)
                .await().atMost(TIMEOUT);
        return id;
    }

    public Optional<Job> find(String id) {
        return store.find(id).await().atMost(TIMEOUT);
    }

    /** Waits until the job is completed or dead, and returns it. */
    public Job awaitFinal(String id) {
        return await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(25))
                .until(() -> find(id).orElse(null), job -> job != null && job.status().isFinal());
    }
}
