package io.livequeue.producer;

import static io.livequeue.producer.Api.PROBLEM_JSON;
import static io.livequeue.producer.Api.asOperator;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;

import io.livequeue.core.Ids;
import io.livequeue.core.JobEvent;
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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The dead-letter API: list dead jobs with their errors, retry or delete one or all. */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
class DeadJobResourceTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    @Inject
    RedisProbe redis;

    @Inject
    JobStore store;

    @BeforeEach
    void emptyRedis() {
        redis.flush();
    }

    @Test
    void deadJobsAreListedNewestFirstWithEveryError() {
        String first = killed(Priority.LOW, "first error", "second error");
        String second = killed(Priority.HIGH, "only error");

        asOperator().when().get("/api/dead").then().statusCode(200)
                .body("total", equalTo(2))
                .body("jobs.id", contains(second, first))
                .body("jobs[1].status", equalTo("dead"))
                .body("jobs[1].error", equalTo("second error"))
                .body("jobs[1].errors", contains("first error", "second error"));
        asOperator().when().get("/api/dead?offset=1&limit=1").then().statusCode(200)
                .body("total", equalTo(2)).body("jobs.id", contains(first));
    }

    @Test
    void retriedDeadJobIsQueuedAgainWithAttemptsReset() {
        String id = killed(Priority.NORMAL, "boom");

        asOperator().when().post("/api/dead/" + id + "/retry").then().statusCode(202).body("status", equalTo("queued"));

        given().when().get("/api/jobs/" + id).then().statusCode(200)
                .body("status", equalTo("queued")).body("attempts", equalTo(0)).body("errors", contains("boom"));
        assertThat(redis.waiting(Priority.NORMAL)).isEqualTo(1);
        given().when().get("/api/queues").then().body("normal.dead", equalTo(0));
    }

    @Test
    void retryAndDeleteOfAJobThatIsNotDeadGet404() {
        String id = Ids.newJobId();
        asOperator().when().post("/api/dead/" + id + "/retry").then().statusCode(404).contentType(PROBLEM_JSON);
        asOperator().when().delete("/api/dead/" + id).then().statusCode(404).contentType(PROBLEM_JSON);
        asOperator().when().delete("/api/dead/not-an-id").then().statusCode(400).contentType(PROBLEM_JSON);
        asOperator().when().get("/api/dead?limit=0").then().statusCode(400).contentType(PROBLEM_JSON);
    }

    @Test
    void deletedDeadJobIsGone() {
        String id = killed(Priority.NORMAL, "boom");

        asOperator().when().delete("/api/dead/" + id).then().statusCode(204);

        given().when().get("/api/jobs/" + id).then().statusCode(404);
        asOperator().when().get("/api/dead").then().body("total", equalTo(0));
    }

    @Test
    void retryAllAndDeleteAllCoverEveryPriority() {
        for (Priority p : Priority.values()) {
            killed(p, "boom");
        }
        asOperator().when().post("/api/dead/retry").then().statusCode(200).body("retried", equalTo(3));
        assertThat(redis.totalWaiting()).isEqualTo(3);

        redis.flush();
        for (Priority p : Priority.values()) {
            killed(p, "boom");
        }
        asOperator().when().delete("/api/dead").then().statusCode(200).body("deleted", equalTo(3));
        asOperator().when().get("/api/dead").then().body("total", equalTo(0));
    }

    /** A job that failed once per error and is dead after the last. */
    private String killed(Priority priority, String... errors) {
        String id = Ids.newJobId();
        store.enqueue("default", List.of(new NewJob(id, "echo", priority, errors.length, null, null)), 0).await().atMost(WAIT);
        for (int i = 0; i < errors.length; i++) {
            ClaimedJob job = store.claim("default", "test", Duration.ofMinutes(1), Duration.ZERO).await().atMost(WAIT);
            assertThat(job.id()).isEqualTo(id);
            JobStatus status = i == errors.length - 1 ? JobStatus.DEAD : JobStatus.FAILED;
            store.finish(job, status, null, errors[i], JobEvent.json(id, "echo", status, job.attempts(), null,
                    errors[i]), Duration.ZERO, Duration.ZERO).await().atMost(WAIT);
        }
        return id;
    }
}
