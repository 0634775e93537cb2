package io.livequeue.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import io.livequeue.core.Job;
import io.livequeue.core.JobStatus;
import io.livequeue.testing.RedisTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/** The echo and sleep handlers, run by the application's workers against a real redis-server. */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
class BuiltInHandlersTest {

    @Inject
    JobFixture jobs;

    @Test
    void echoJobCompletesWithThePayloadAsResult() {
        String id = jobs.enqueue("echo", "{\"greeting\":\"hello\",\"n\":[1,2,3],\"nested\":{\"ok\":true}}", 3);

        Job job = jobs.awaitFinal(id);

        assertThat(job.status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(job.result()).isEqualTo("{\"greeting\":\"hello\",\"n\":[1,2,3],\"nested\":{\"ok\":true}}");
        assertThat(job.error()).isNull();
        assertThat(job.attempts()).isEqualTo(1);
        assertThat(job.finishedAt()).isGreaterThanOrEqualTo(job.startedAt());
    }

    @Test
    void echoJobWithoutPayloadCompletesWithNoResult() {
        String id = jobs.enqueue("echo", null, 3);

        Job job = jobs.awaitFinal(id);

        assertThat(job.status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(job.result()).isNull();
    }

    @Test
    void sleepJobCompletesWithTheTimeSlept() {
        String id = jobs.enqueue("sleep", "{\"ms\":150}", 3);

        Job job = jobs.awaitFinal(id);

        assertThat(job.status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(job.result()).isEqualTo("{\"slept\":150}");
        assertThat(job.finishedAt() - job.startedAt()).isGreaterThanOrEqualTo(150);
    }

    @Test
    void sleepJobWithInvalidPayloadEndsDeadAfterOneAttempt() {
        String id = jobs.enqueue("sleep", "{\"ms\":\"soon\"}", 3);

        Job job = jobs.awaitFinal(id);

        assertThat(job.status()).isEqualTo(JobStatus.DEAD);
        assertThat(job.attempts()).isEqualTo(1);
        assertThat(job.error()).isEqualTo("sleep needs a payload {\"ms\": n} with 0 <= n <= 60000");
        assertThat(job.result()).isNull();
    }

    @Test
    void sleepJobLongerThanTheMaximumEndsDeadAfterOneAttempt() {
        String id = jobs.enqueue("sleep", "{\"ms\":60001}", 3);

        Job job = jobs.awaitFinal(id);

        assertThat(job.status()).isEqualTo(JobStatus.DEAD);
        assertThat(job.attempts()).isEqualTo(1);
        assertThat(job.error()).startsWith("sleep needs a payload");
    }
}
