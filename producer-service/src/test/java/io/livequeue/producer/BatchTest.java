package io.livequeue.producer;

import static io.livequeue.producer.Api.PROBLEM_JSON;
import static io.livequeue.producer.Api.batchOf;
import static io.livequeue.producer.Api.submitBatch;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.livequeue.core.Job;
import io.livequeue.core.Priority;
import io.livequeue.core.rdb.JobStore;
import io.livequeue.testing.RedisTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** POST /api/jobs/batch: answers in request order, and stores all jobs or none. */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
class BatchTest {

    @Inject
    RedisProbe redis;

    @Inject
    JobStore store;

    @BeforeEach
    void emptyRedis() {
        redis.flush();
    }

    @Test
    void batchOfThreeAnswers202WithThreeResponsesInRequestOrder() {
        JsonPath body = submitBatch("{\"jobs\":["
                + "{\"type\":\"echo\",\"payload\":{\"i\":0}},"
                + "{\"type\":\"sleep\",\"priority\":\"high\"},"
                + "{\"type\":\"sms\",\"priority\":\"low\",\"maxAttempts\":1}]}")
                .then().statusCode(202).contentType("application/json").extract().jsonPath();

        assertThat(body.getList("jobs.type")).containsExactly("echo", "sleep", "sms");
        assertThat(body.getList("jobs.priority")).containsExactly("normal", "high", "low");
        assertThat(body.getList("jobs.status")).containsExactly("queued", "queued", "queued");
        List<String> ids = body.getList("jobs.id");
        assertThat(ids).hasSize(3).doesNotHaveDuplicates();
        assertThat(body.getList("jobs.token")).hasSize(3).doesNotContainNull().doesNotHaveDuplicates();
    }

    @Test
    void everyJobOfABatchIsStoredWithItsOwnFields() {
        List<String> ids = submitBatch("{\"jobs\":["
                + "{\"type\":\"echo\",\"payload\":{\"i\":0}},"
                + "{\"type\":\"sleep\",\"priority\":\"high\"},"
                + "{\"type\":\"sms\",\"priority\":\"low\",\"maxAttempts\":1}]}")
                .then().statusCode(202).extract().jsonPath().getList("jobs.id");

        Job echo = find(ids.get(0));
        Job sleep = find(ids.get(1));
        Job sms = find(ids.get(2));
        assertThat(echo.type()).isEqualTo("echo");
        assertThat(echo.payload()).isEqualTo("{\"i\":0}");
        assertThat(sleep.priority()).isEqualTo(Priority.HIGH);
        assertThat(sms.priority()).isEqualTo(Priority.LOW);
        assertThat(sms.maxAttempts()).isEqualTo(1);
        assertThat(redis.jobKeys()).isEqualTo(3);
        assertThat(redis.waiting(Priority.HIGH)).isEqualTo(1);
        assertThat(redis.waiting(Priority.NORMAL)).isEqualTo(1);
        assertThat(redis.waiting(Priority.LOW)).isEqualTo(1);
    }

    @Test
    void batchWithOneInvalidJobAnswers400NamingItsFieldAndStoresNothing() {
        submitBatch("{\"jobs\":[{\"type\":\"echo\"},{\"type\":\"teleport\"},{\"type\":\"sleep\"}]}")
                .then().statusCode(400).contentType(PROBLEM_JSON)
                .body("status", equalTo(400))
                .body("errors.size()", equalTo(1))
                .body("errors[0].field", equalTo("jobs[1].type"))
                .body("detail", containsString("jobs[1].type"));

        assertThat(redis.jobKeys()).isZero();
        assertThat(redis.totalWaiting()).isZero();
    }

    @Test
    void batchListsEveryInvalidFieldOfEveryJob() {
        submitBatch("{\"jobs\":[{\"type\":\"echo\",\"maxAttempts\":0},{\"type\":\"echo\"},{\"priority\":\"urgent\"}]}")
                .then().statusCode(400).contentType(PROBLEM_JSON)
                .body("errors.field", equalTo(List.of("jobs[0].maxAttempts", "jobs[2].type", "jobs[2].priority")))
                .body("detail", equalTo("3 fields are invalid"));

        assertThat(redis.jobKeys()).isZero();
    }

    @Test
    void batchWithOneOversizePayloadAnswers413AndStoresNothing() {
        String big = "{\"type\":\"echo\",\"payload\":\"" + "x".repeat(70_000) + "\"}";

        submitBatch("{\"jobs\":[{\"type\":\"echo\"}," + big + "]}")
                .then().statusCode(413).contentType(PROBLEM_JSON)
                .body("errors[0].field", equalTo("jobs[1].payload"));

        assertThat(redis.jobKeys()).isZero();
    }

    @Test
    void batchOf1001JobsAnswers400AndStoresNothing() {
        submitBatch(batchOf(1001, "{\"type\":\"echo\"}"))
                .then().statusCode(400).contentType(PROBLEM_JSON)
                .body("errors[0].field", equalTo("jobs"))
                .body("errors[0].message", containsString("at most 1000"));

        assertThat(redis.jobKeys()).isZero();
        assertThat(redis.totalWaiting()).isZero();
    }

    @Test
    void emptyJobListAnswers400() {
        submitBatch("{\"jobs\":[]}")
                .then().statusCode(400).contentType(PROBLEM_JSON)
                .body("errors.field", hasItem("jobs"));

        assertThat(redis.jobKeys()).isZero();
    }

    @Test
    void batchOf1000SmallJobsAnswers202AndStoresAll() {
        JsonPath body = submitBatch(batchOf(1000, "{\"type\":\"echo\",\"payload\":{\"n\":1}}"))
                .then().statusCode(202).extract().jsonPath();

        assertThat(body.getList("jobs.id")).hasSize(1000).doesNotHaveDuplicates();
        assertThat(redis.jobKeys()).isEqualTo(1000);
        assertThat(redis.waiting(Priority.NORMAL)).isEqualTo(1000);
    }

    private Job find(String id) {
        return store.find(id).await().atMost(Duration.ofSeconds(5)).orElseThrow();
    }
}
