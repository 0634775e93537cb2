package io.livequeue.producer;

import static io.livequeue.producer.Api.PROBLEM_JSON;
import static io.livequeue.producer.Api.submit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.livequeue.testing.RedisTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A Redis that reached its maxmemory with the noeviction policy (which a queue needs: evicting would drop jobs
 * silently) refuses writes with an OOM error. The producer answers such a submit with a 503 problem that says nothing
 * was stored, never a 500, and submits work again once Redis has room.
 */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
@TestProfile(RedisFullTest.OwnRedis.class)
class RedisFullTest {

    /** A profile of its own, so a full Redis cannot disturb the other tests' application. */
    public static class OwnRedis implements QuarkusTestProfile {
    }

    private static final String BIG_JOB = "{\"type\":\"echo\",\"payload\":{\"text\":\"" + "x".repeat(32 * 1024)
            + "\"}}";

    @Inject
    RedisProbe redis;

    @BeforeEach
    void emptyRedis() {
        redis.limitMemory(-1);
        redis.flush();
    }

    @AfterEach
    void roomAgain() {
        redis.limitMemory(-1);
    }

    @Test
    void submitThatRedisRefusesForWantOfMemoryGets503AndNothingIsStored() {
        redis.limitMemory(1024 * 1024);

        int accepted = 0;
        Response refused = null;
        for (int i = 0; i < 1000 && refused == null; i++) { // 1 MiB holds about 30 such jobs
            Response answer = submit(BIG_JOB);
            if (answer.statusCode() == 202) {
                accepted++;
            } else {
                refused = answer;
            }
        }

        assertThat(accepted).as("jobs stored before Redis was full").isPositive();
        assertThat(refused).as("a refused submit").isNotNull();
        refused.then().statusCode(503).contentType(PROBLEM_JSON).header("Retry-After", "1")
                .body("status", equalTo(503))
                .body("type", equalTo("urn:livequeue:problem:redis-full"))
                .body("detail", containsString("nothing was stored"))
                .body("instance", equalTo("/api/jobs"));
        assertThat(refused.asString()).doesNotContain("Exception", "at io.");
        assertThat(redis.jobKeys()).as("the refused job is not stored").isEqualTo(accepted);
        assertThat(redis.totalWaiting()).isEqualTo(accepted);

        redis.limitMemory(-1);
        submit(BIG_JOB).then().statusCode(202);
    }
}
