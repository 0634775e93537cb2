package io.livequeue.producer;

import static io.livequeue.producer.Api.PROBLEM_JSON;
import static io.livequeue.producer.Api.asOperator;
import static io.livequeue.producer.Api.submit;
import static io.livequeue.producer.Api.submitBatch;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import io.livequeue.core.JobEvent;
import io.livequeue.core.JobStatus;
import io.livequeue.core.rdb.ClaimedJob;
import io.livequeue.core.rdb.JobStore;
import io.livequeue.testing.RedisTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Jobs in time over REST: a submit with {@code delay} or {@code runAt} is scheduled (and says when it is due), one with
 * {@code ttl} or {@code expiresAt} has a deadline, wrong or contradictory times are refused field by field, and
 * {@code POST /api/jobs/{id}/cancel} cancels a waiting job at once, tells a running one, and refuses a finished one.
 */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
class JobsInTimeResourceTest {

    @Inject
    RedisProbe redis;

    @Inject
    JobStore store;

    @BeforeEach
    void empty() {
        redis.flush();
    }

    @Test
    void aDelayedJobIsScheduledAndSaysWhenItIsDue() {
        Response answer = submit("{\"type\":\"echo\",\"delay\":60000}");

        answer.then().statusCode(202).body("status", equalTo("scheduled"));
        Instant createdAt = Instant.parse(answer.path("createdAt"));
        Instant runAt = Instant.parse(answer.path("runAt"));
        assertThat(Duration.between(createdAt, runAt)).isEqualTo(Duration.ofMinutes(1));
        given().header("Job-Token", answer.path("token").toString()).when().get("/api/jobs/" + answer.path("id"))
                .then().statusCode(200).body("status", equalTo("scheduled")).body("runAt", equalTo(runAt.toString()));
    }

    @Test
    void delaysAndDeadlinesTakeIsoDurationsAndRfc3339Instants() {
        String at = Instant.now().plus(Duration.ofHours(2)).truncatedTo(java.time.temporal.ChronoUnit.MILLIS).toString();
        Response answer = submit("{\"type\":\"echo\",\"runAt\":\"" + at + "\",\"ttl\":\"P1D\"}");

        answer.then().statusCode(202).body("status", equalTo("scheduled")).body("runAt", equalTo(at))
                .body("expiresAt", notNullValue());
        java.time.OffsetDateTime deadline = java.time.OffsetDateTime.now(java.time.ZoneOffset.ofHours(1)).plusDays(30)
                .truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        submit("{\"type\":\"echo\",\"delay\":\"PT5M\",\"expiresAt\":\"" + deadline + "\"}").then()
                .statusCode(202).body("status", equalTo("scheduled")).body("expiresAt",
                        equalTo(deadline.toInstant().toString()));
        submit("{\"type\":\"echo\",\"expiresAt\":\"2099-01-01T00:00:00Z\"}").then().statusCode(400)
                .body("errors[0].field", equalTo("expiresAt"));
        submit("{\"type\":\"echo\",\"runAt\":\"2020-01-01T00:00:00Z\"}").then().statusCode(202)
                .body("status", equalTo("queued")).body("runAt", nullValue());
        submit("{\"type\":\"echo\"}").then().statusCode(202).body("status", equalTo("queued"))
                .body("runAt", nullValue()).body("expiresAt", nullValue());
    }

    @Test
    void wrongOrContradictoryTimesAreRefusedFieldByFieldAndNothingIsStored() {
        String now = Instant.now().toString();
        List.of("{\"type\":\"echo\",\"delay\":1000,\"runAt\":\"" + now + "\"}",
                "{\"type\":\"echo\",\"delay\":-1}",
                "{\"type\":\"echo\",\"delay\":1.5}",
                "{\"type\":\"echo\",\"delay\":\"soon\"}",
                "{\"type\":\"echo\",\"delay\":\"P400D\"}",
                "{\"type\":\"echo\",\"runAt\":\"tomorrow\"}",
                "{\"type\":\"echo\",\"runAt\":\"2030-01-01T09:00:00\"}",
                "{\"type\":\"echo\",\"ttl\":0}",
                "{\"type\":\"echo\",\"ttl\":1000,\"expiresAt\":\"2099-01-01T00:00:00Z\"}",
                "{\"type\":\"echo\",\"expiresAt\":\"2020-01-01T00:00:00Z\"}",
                "{\"type\":\"echo\",\"delay\":60000,\"ttl\":1000}")
                .forEach(body -> submit(body).then().statusCode(400).contentType(PROBLEM_JSON)
                        .body("errors.size()", equalTo(1)));
        submitBatch("{\"jobs\":[{\"type\":\"echo\",\"delay\":10},{\"type\":\"echo\",\"delay\":\"x\"}]}").then()
                .statusCode(400).body("errors[0].field", equalTo("jobs[1].delay"));
        assertThat(redis.jobKeys()).isZero();
    }

    @Test
    void aBatchSchedulesEachJobOnItsOwn() {
        submitBatch("{\"jobs\":[{\"type\":\"echo\",\"delay\":60000},{\"type\":\"echo\"}]}").then().statusCode(202)
                .body("jobs[0].status", equalTo("scheduled")).body("jobs[1].status", equalTo("queued"));
        asOperator().when().get("/api/queues/default/scheduled").then().statusCode(200).body("total", equalTo(1))
                .body("jobs[0].status", equalTo("scheduled"));
        asOperator().when().get("/api/queues/default").then().statusCode(200).body("scheduled", equalTo(1));
    }

    @Test
    void theJobsTokenCancelsAWaitingJobAtOnceAndASecondCancelIsAConflict() {
        Response job = submit("{\"type\":\"echo\",\"delay\":60000}");
        String token = job.path("token");
        String id = job.path("id");

        given().header("Job-Token", token).when().post("/api/jobs/" + id + "/cancel").then().statusCode(200)
                .body("status", equalTo("cancelled")).body("finishedAt", notNullValue());
        given().header("Job-Token", token).when().post("/api/jobs/" + id + "/cancel").then().statusCode(409)
                .contentType(PROBLEM_JSON).body("type", endsWith("job-finished"));
        asOperator().when().get("/api/queues/default/scheduled").then().body("total", equalTo(0));
    }

    @Test
    void aRunningJobIsToldAndTheAnswerSaysSo() {
        Response job = submit("{\"type\":\"echo\"}");
        ClaimedJob running = store.claim("default", "c1", Duration.ofSeconds(30), Duration.ofHours(1))
                .await().atMost(Duration.ofSeconds(5));

        asOperator().when().post("/api/jobs/" + job.path("id") + "/cancel").then().statusCode(202)
                .body("status", equalTo("active")).body("cancelRequested", equalTo(true));
        store.finish(running, JobStatus.FAILED, null, "interrupted", JobEvent.json(running.id(), "echo",
                JobStatus.FAILED, 1, null, "interrupted"), Duration.ofHours(1), Duration.ofSeconds(1))
                .await().atMost(Duration.ofSeconds(5));
        given().header("Job-Token", job.path("token").toString()).when().get("/api/jobs/" + job.path("id"))
                .then().body("status", equalTo("cancelled"));
    }

    @Test
    void aCancelOfNoJobIsRefused() {
        given().when().post("/api/jobs/not-an-id/cancel").then().statusCode(400).contentType(PROBLEM_JSON);
        given().when().post("/api/jobs/" + io.livequeue.core.Ids.newJobId() + "/cancel").then().statusCode(404)
                .contentType(PROBLEM_JSON);
    }

    @Test
    void anExpiredDeadJobIsRetriedWithANewDeadline() {
        Response job = submit("{\"type\":\"echo\",\"ttl\":1}");
        String id = job.path("id");
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> store.claim("default", "c1",
                Duration.ofSeconds(30), Duration.ofHours(1)).await().atMost(Duration.ofSeconds(5)) == null
                && store.find(id).await().atMost(Duration.ofSeconds(5)).orElseThrow().status() == JobStatus.DEAD);
        asOperator().when().get("/api/dead").then().body("jobs.error", hasItem("expired"));

        asOperator().when().post("/api/dead/" + id + "/retry?ttl=bad").then().statusCode(400);
        asOperator().when().post("/api/dead/" + id + "/retry?ttl=PT10M").then().statusCode(202);

        given().header("Job-Token", job.path("token").toString()).when().get("/api/jobs/" + id).then()
                .body("status", equalTo("queued")).body("expiresAt", notNullValue());
    }
}
