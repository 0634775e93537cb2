package io.livequeue.producer;

import static io.livequeue.producer.Api.PROBLEM_JSON;
import static io.livequeue.producer.Api.batchOf;
import static io.livequeue.producer.Api.submit;
import static io.livequeue.producer.Api.submitBatch;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.livequeue.testing.RedisTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Input at the edges of the contract: huge numbers, trailing content, exact payload numbers, the body limit. */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
class StrictInputTest {

    @Inject
    RedisProbe redis;

    @BeforeEach
    void emptyRedis() {
        redis.flush();
    }

    @Test
    void maxAttemptsBeyondTheLongRangeIsRefused() {
        submit("{\"type\":\"echo\",\"maxAttempts\":18446744073709551617}")
                .then().statusCode(400).contentType(PROBLEM_JSON)
                .body("errors.field", hasItem("maxAttempts"));

        assertThat(redis.jobKeys()).isZero();
    }

    @Test
    void contentAfterTheJsonObjectIsRefused() {
        submit("{\"type\":\"echo\"}{\"type\":\"teleport\"}")
                .then().statusCode(400).contentType(PROBLEM_JSON)
                .body("errors.field", hasItem(""));

        assertThat(redis.jobKeys()).isZero();
    }

    @Test
    void payloadNumbersPassThroughUnchanged() {
        String id = submit("{\"type\":\"echo\",\"payload\":{\"huge\":1e400,\"pi\":3.14159265358979323846264338327950288}}")
                .then().statusCode(202).extract().path("id");

        String json = given().when().get("/api/jobs/" + id).then().statusCode(200).extract().asString();

        assertThat(json).doesNotContain("Infinity").contains("3.14159265358979323846264338327950288");
    }

    @Test
    void batchBodyOverTheLimitGetsAProblemAndStoresNothing() {
        String job = "{\"type\":\"echo\",\"payload\":\"" + "x".repeat(60 * 1024) + "\"}";

        submitBatch(batchOf(300, job)).then().statusCode(413).contentType(PROBLEM_JSON)
                .body("type", equalTo("urn:livequeue:problem:body-too-large"))
                .body("detail", containsString("4194304"));

        assertThat(redis.jobKeys()).isZero();
    }

    @Test
    void duplicateFieldsAreRefused() {
        submit("{\"type\":\"teleport\",\"type\":\"echo\"}").then().statusCode(400).contentType(PROBLEM_JSON);

        assertThat(redis.jobKeys()).isZero();
    }
}
