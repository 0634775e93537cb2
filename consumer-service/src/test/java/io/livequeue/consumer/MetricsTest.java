package io.livequeue.consumer;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.livequeue.core.Ids;
import io.livequeue.core.Priority;
import io.livequeue.core.rdb.JobStore;
import io.livequeue.core.rdb.NewJob;
import io.livequeue.testing.RedisTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The workers' Prometheus meters at /q/metrics. */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
class MetricsTest {

    private static final String COMPLETED =
            "livequeue_jobs_processed_total{outcome=\"completed\",priority=\"high\",type=\"echo\"}";
    private static final String DEAD =
            "livequeue_jobs_processed_total{outcome=\"dead\",priority=\"high\",type=\"fail\"}";

    @Inject
    JobStore store;

    @Test
    void finishedJobsAreCountedByOutcomeAndTimed() {
        double completed = value(metrics(), COMPLETED);
        double dead = value(metrics(), DEAD);

        store.enqueue(List.of(new NewJob(Ids.newJobId(), "echo", Priority.HIGH, 3, "{}", null),
                new NewJob(Ids.newJobId(), "fail", Priority.HIGH, 1, null, null)), 0)
                .await().atMost(JobFixture.TIMEOUT);

        await().atMost(JobFixture.TIMEOUT).untilAsserted(() -> {
            String text = metrics();
            assertThat(value(text, COMPLETED)).isEqualTo(orZero(completed) + 1);
            assertThat(value(text, DEAD)).isEqualTo(orZero(dead) + 1);
        });
        String text = metrics();
        assertThat(value(text, "livequeue_job_run_seconds_count{type=\"echo\"}")).isGreaterThanOrEqualTo(1);
        assertThat(value(text, "livequeue_job_pickup_seconds_count{type=\"echo\"}")).isGreaterThanOrEqualTo(1);
        assertThat(value(text, "livequeue_job_end_to_end_seconds_count{type=\"fail\"}")).isGreaterThanOrEqualTo(1);
        assertThat(text).contains("livequeue_job_end_to_end_seconds_bucket{type=\"echo\",le=");
        assertThat(value(text, "livequeue_jobs_reclaimed_total")).isGreaterThanOrEqualTo(0);
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
