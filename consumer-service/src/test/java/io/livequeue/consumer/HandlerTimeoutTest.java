package io.livequeue.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import io.livequeue.core.Job;
import io.livequeue.core.JobStatus;
import io.livequeue.testing.RedisTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** An attempt is stopped at its time-out, not at the next heartbeat after it. */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
@TestProfile(HandlerTimeoutTest.ShortSleepTimeout.class)
class HandlerTimeoutTest {

    public static class ShortSleepTimeout implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("livequeue.consumer.handler-timeouts.sleep", "300ms");
        }
    }

    @Inject
    JobFixture jobs;

    @Test
    void aSleepJobPastItsTimeOutIsStoppedAtTheTimeOut() {
        String id = jobs.enqueue("sleep", "{\"ms\":5000}", 1);

        Job job = jobs.awaitFinal(id);

        assertThat(job.status()).isEqualTo(JobStatus.DEAD);
        assertThat(job.error()).isEqualTo("timed out after 300 ms");
        // the heartbeat alone (once a second) would stop it anywhere up to 1.3 s after the start
        assertThat(job.finishedAt() - job.startedAt()).as("ms from start to the recorded time-out")
                .isGreaterThanOrEqualTo(300).isLessThan(1000);
    }
}
