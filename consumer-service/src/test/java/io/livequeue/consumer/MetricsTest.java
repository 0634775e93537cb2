package io.livequeue.consumer;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.livequeue.core.Ids;
import io.livequeue.core.Job;
import io.livequeue.core.JobStatus;
import io.livequeue.core.Priority;
import io.livequeue.core.rdb.ClaimedJob;
import io.livequeue.core.rdb.JobStore;
import io.livequeue.core.rdb.NewJob;
import io.livequeue.testing.RedisTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The workers' Prometheus meters at /q/metrics. */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
class MetricsTest {

    private static final String COMPLETED =
            "livequeue_jobs_processed_total{outcome=\"completed\",priority=\"high\",queue=\"default\",type=\"echo\"}";
    private static final String DEAD =
            "livequeue_jobs_processed_total{outcome=\"dead\",priority=\"high\",queue=\"default\",type=\"fail\"}";

    @Inject
    JobStore store;

    @Inject
    JobFixture jobs;

    @Test
    void finishedJobsAreCountedByOutcomeAndTimed() {
        double completed = value(metrics(), COMPLETED);
        double dead = value(metrics(), DEAD);

        store.enqueue("default", List.of(new NewJob(Ids.newJobId(), "echo", Priority.HIGH, 3, "{}", null),
                new NewJob(Ids.newJobId(), "fail", Priority.HIGH, 1, null, null)), 0)
                .await().atMost(JobFixture.TIMEOUT);

        await().atMost(JobFixture.TIMEOUT).untilAsserted(() -> {
            String text = metrics();
            assertThat(value(text, COMPLETED)).isEqualTo(orZero(completed) + 1);
            assertThat(value(text, DEAD)).isEqualTo(orZero(dead) + 1);
        });
        String text = metrics();
        assertThat(value(text, "livequeue_job_run_seconds_count{queue=\"default\",type=\"echo\"}")).isGreaterThanOrEqualTo(1);
        assertThat(value(text, "livequeue_job_pickup_seconds_count{queue=\"default\",type=\"echo\"}")).isGreaterThanOrEqualTo(1);
        assertThat(value(text, "livequeue_job_end_to_end_seconds_count{queue=\"default\",type=\"fail\"}")).isGreaterThanOrEqualTo(1);
        assertThat(text).contains("livequeue_job_end_to_end_seconds_bucket{queue=\"default\",type=\"echo\",le=");
    }

    @Test
    void aJobWhoseConsumerDiedIsTakenBackCountedAndRunAgain() {
        String reclaimed = "livequeue_jobs_reclaimed_total{priority=\"low\",queue=\"default\",type=\"echo\"}";
        double before = orZero(value(metrics(), reclaimed));
        // a consumer that claims a job and dies at once (its lease has already run out); the running workers may
        // take a job first, so it tries again with another until it holds one
        ClaimedJob orphan = await().atMost(JobFixture.TIMEOUT).until(() -> {
            store.enqueue("default", List.of(new NewJob(Ids.newJobId(), "echo", Priority.LOW, 3, "{}", null)), 0)
                    .await().atMost(JobFixture.TIMEOUT);
            return store.claim("default", "dead-consumer", Duration.ZERO, Duration.ZERO).await().atMost(JobFixture.TIMEOUT);
        }, Objects::nonNull);

        Job job = jobs.awaitFinal(orphan.id());

        assertThat(job.status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(job.attempts()).isEqualTo(2);
        assertThat(job.errors()).contains("lease expired: consumer dead-consumer stopped during attempt 1");
        assertThat(value(metrics(), reclaimed)).isEqualTo(before + 1);
    }

    private static double orZero(double value) {
        return Double.isNaN(value) ? 0 : value;
    }

    private static String metrics() {
        return given().when().get("/q/metrics").then().statusCode(200).extract().asString();
    }

    /** The sample's value, or NaN when the series is not there (yet). */
    private static double value(String text, String series) {
        Matcher m = Pattern.compile("^" + Pattern.quote(series) + " (\\S+)$", Pattern.MULTILINE).matcher(text);
        return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
    }
}
