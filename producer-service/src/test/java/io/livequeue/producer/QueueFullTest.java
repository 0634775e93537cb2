package io.livequeue.producer;

import static io.livequeue.producer.Api.PROBLEM_JSON;
import static io.livequeue.producer.Api.batchOf;
import static io.livequeue.producer.Api.submit;
import static io.livequeue.producer.Api.submitBatch;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.livequeue.core.Priority;
import io.livequeue.testing.RedisTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** With livequeue.producer.max-waiting=5 a sixth waiting job is refused with 429 + Retry-After. */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
@TestProfile(QueueFullTest.FiveWaitingJobs.class)
class QueueFullTest {

    /** At most five waiting jobs. */
    public static class FiveWaitingJobs implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("livequeue.producer.max-waiting", "5");
        }
    }

    @Inject
    RedisProbe redis;

    @BeforeEach
    void emptyRedis() {
        redis.flush();
    }

    @Test
    void sixthJobGets429WithRetryAfterAndIsNotStored() {
        for (int i = 0; i < 5; i++) {
            submit("{\"type\":\"echo\"}").then().statusCode(202);
        }

        submit("{\"type\":\"echo\"}").then().statusCode(429).contentType(PROBLEM_JSON)
                .header("Retry-After", "1")
                .body("status", equalTo(429))
                .body("title", equalTo("Queue full"))
                .body("type", equalTo("urn:livequeue:problem:queue-full"))
                .body("instance", equalTo("/api/jobs"));

        assertThat(redis.jobKeys()).isEqualTo(5);
        assertThat(redis.totalWaiting()).isEqualTo(5);
    }

    @Test
    void limitCountsWaitingJobsOfAllPriorities() {
        submit("{\"type\":\"echo\",\"priority\":\"high\"}").then().statusCode(202);
        submit("{\"type\":\"echo\",\"priority\":\"high\"}").then().statusCode(202);
        submit("{\"type\":\"echo\",\"priority\":\"normal\"}").then().statusCode(202);
        submit("{\"type\":\"echo\",\"priority\":\"low\"}").then().statusCode(202);
        submit("{\"type\":\"echo\",\"priority\":\"low\"}").then().statusCode(202);

        submit("{\"type\":\"echo\",\"priority\":\"high\"}").then().statusCode(429).header("Retry-After", "1");

        assertThat(redis.waiting(Priority.HIGH)).isEqualTo(2);
        assertThat(redis.waiting(Priority.NORMAL)).isEqualTo(1);
        assertThat(redis.waiting(Priority.LOW)).isEqualTo(2);
        assertThat(redis.jobKeys()).isEqualTo(5);
    }

    @Test
    void batchThatWouldOverflowIsRefusedWhole() {
        submitBatch(batchOf(4, "{\"type\":\"echo\"}")).then().statusCode(202);

        submitBatch(batchOf(2, "{\"type\":\"echo\"}")).then().statusCode(429).contentType(PROBLEM_JSON)
                .header("Retry-After", "1");

        assertThat(redis.jobKeys()).isEqualTo(4);
        assertThat(redis.totalWaiting()).isEqualTo(4);
    }

    @Test
    void batchThatExactlyFillsTheQueueIsAccepted() {
        submitBatch(batchOf(5, "{\"type\":\"echo\"}")).then().statusCode(202);

        assertThat(redis.totalWaiting()).isEqualTo(5);
    }
}
