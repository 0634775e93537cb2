package io.livequeue.producer;

import static io.livequeue.producer.Api.PROBLEM_JSON;
import static io.livequeue.producer.Api.submit;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.livequeue.testing.RedisTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** With livequeue.queues.max=3 there are default and two more queues; a job for a fourth is refused. */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
@TestProfile(QueueCapTest.ThreeQueues.class)
class QueueCapTest {

    /** At most three queues, default included. */
    public static class ThreeQueues implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("livequeue.queues.max", "3");
        }
    }

    @Inject
    RedisProbe redis;

    @Test
    void aJobForOneQueueTooManyGets400AndKnownQueuesStillWork() {
        redis.flush();
        submit("{\"type\":\"echo\"}").then().statusCode(202);
        submit("{\"type\":\"echo\",\"queue\":\"first\"}").then().statusCode(202);
        submit("{\"type\":\"echo\",\"queue\":\"second\"}").then().statusCode(202);

        submit("{\"type\":\"echo\",\"queue\":\"third\"}").then().statusCode(400).contentType(PROBLEM_JSON)
                .body("errors[0].field", equalTo("queue"))
                .body("errors[0].message", containsString("livequeue.queues.max"));

        submit("{\"type\":\"echo\",\"queue\":\"second\"}").then().statusCode(202);
        submit("{\"type\":\"echo\"}").then().statusCode(202);
        org.assertj.core.api.Assertions.assertThat(redis.jobKeys()).isEqualTo(5);
    }
}
