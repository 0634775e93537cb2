package io.livequeue.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import io.livequeue.core.Job;
import io.livequeue.core.JobStatus;
import io.livequeue.testing.RedisTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/** Retries and dead jobs: transient failures use up the attempts, unknown types die at once. */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
class FailingJobsTest {

    @Inject
    JobFixture jobs;

    @Test
    void failJobIsRetriedUntilItsAttemptsAreUsedUpAndEndsDead() {
        String id = jobs.enqueue("fail", null, 3);

        Job job = jobs.awaitFinal(id);

        assertThat(job.status()).isEqualTo(JobStatus.DEAD);
        assertThat(job.attempts()).isEqualTo(3);
        assertThat(job.error()).isEqualTo("IllegalStateException: fail jobs always fail (attempt 3 of 3)");
        assertThat(job.result()).isNull();
        assertThat(job.finishedAt()).isNotNull();
    }

    @Test
    void failJobWithOneAttemptEndsDeadWithoutRetry() {
        String id = jobs.enqueue("fail", null, 1);

        Job job = jobs.awaitFinal(id);

        assertThat(job.status()).isEqualTo(JobStatus.DEAD);
        assertThat(job.attempts()).isEqualTo(1);
        assertThat(job.error()).contains("attempt 1 of 1");
    }

    @Test
    void jobOfATypeThisConsumerCannotRunIsRetriedForAnotherConsumerThenDies() {
        String id = jobs.enqueue("no-such-type", "{}", 3);

        Job job = jobs.awaitFinal(id);

        // another consumer of the queue might have had the handler: every attempt was given a chance
        assertThat(job.status()).isEqualTo(JobStatus.DEAD);
        assertThat(job.attempts()).isEqualTo(3);
        assertThat(job.error()).isEqualTo("no consumer of queue default handled type 'no-such-type'");
        assertThat(job.errors()).contains("no handler for job type 'no-such-type' on this consumer (it runs: ")
                .contains("echo", "sleep", "fail", "sms");
    }

    @Test
    void jobWhosePayloadIsNotJsonEndsDeadAfterOneAttempt() {
        String id = jobs.enqueue("echo", "this is not json", 3);

        Job job = jobs.awaitFinal(id);

        assertThat(job.status()).isEqualTo(JobStatus.DEAD);
        assertThat(job.attempts()).isEqualTo(1);
    }
}
