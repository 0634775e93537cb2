package io.livequeue.consumer.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.livequeue.consumer.JobFixture;
import io.livequeue.core.Job;
import io.livequeue.core.JobStatus;
import io.livequeue.core.rdb.Schedule;
import io.livequeue.core.rdb.Schedules;
import io.livequeue.core.schedule.JobTemplate;
import io.livequeue.core.schedule.ScheduleSpec;
import io.livequeue.testing.RedisTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/** The consumer starts its scheduler with the application: a schedule's ticks become jobs its workers run. */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
class ScheduledJobsRunTest {

    @Inject
    Schedules schedules;

    @Inject
    JobFixture jobs;

    @Test
    void aScheduleEverySecondMakesJobsTheWorkersComplete() {
        ScheduleSpec spec = new ScheduleSpec("app-ticks", null, "PT1S", null,
                new JobTemplate("echo", "default", "high", 1, "{\"from\":\"schedule\"}", null, null), null, null);
        assertThat(schedules.create(spec).await().atMost(JobFixture.TIMEOUT)).isTrue();
        try {
            Schedule ran = await().atMost(JobFixture.TIMEOUT).until(
                    () -> schedules.get("app-ticks").await().atMost(JobFixture.TIMEOUT).orElseThrow(),
                    s -> s.runs() >= 2);

            Job job = jobs.awaitFinal(ran.lastJob());
            assertThat(job.status()).isEqualTo(JobStatus.COMPLETED);
            assertThat(job.result()).isEqualTo("{\"from\":\"schedule\"}");
            assertThat(job.owner()).isEqualTo("schedule:app-ticks");
        } finally {
            schedules.delete("app-ticks").await().atMost(JobFixture.TIMEOUT);
        }
    }
}
