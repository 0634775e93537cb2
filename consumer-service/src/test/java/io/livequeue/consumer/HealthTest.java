package io.livequeue.consumer;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.livequeue.testing.RedisTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** Liveness (all workers running) and readiness (Redis reachable) of the consumer. */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
class HealthTest {

    @Test
    void livenessIsUpWithAllFourWorkersRunning() {
        given().when().get("/q/health/live")
                .then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItem("workers"))
                .body("checks.find { it.name == 'workers' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'workers' }.data.running", equalTo(4))
                .body("checks.find { it.name == 'workers' }.data.configured", equalTo(4));
    }

    @Test
    void readinessIsUpWhileRedisAnswers() {
        given().when().get("/q/health/ready")
                .then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.status", hasItem("UP"));
    }
}
