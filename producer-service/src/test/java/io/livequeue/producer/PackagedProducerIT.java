package io.livequeue.producer;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.livequeue.testing.RedisTestResource;
import io.livequeue.testing.Resp;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.quarkus.test.junit.TestProfile;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The packaged producer (the jar here; the native executable when built with -Dnative) against a real Redis: what
 * runs in the container image is what is tested, including the JSON bodies a native image can only write for
 * types registered for reflection.
 */
@QuarkusIntegrationTest
@QuarkusTestResource(RedisTestResource.class)
@TestProfile(ProductionSettings.class)
class PackagedProducerIT {

    @Test
    void aSubmittedJobIsStoredInRedisAndCanBeLookedUp() {
        String id = given().contentType("application/json").body("{\"type\":\"echo\",\"payload\":{\"n\":1}}")
                .when().post("/api/jobs")
                .then().statusCode(202).body("status", equalTo("queued")).body("type", equalTo("echo"))
                .extract().path("id");

        given().when().get("/api/jobs/" + id)
                .then().statusCode(200).body("id", equalTo(id)).body("payload.n", equalTo(1));
        Object position = Resp.call(RedisTestResource.current().port(), "LPOS", "livequeue:{jobs}:pending:normal", id);
        assertThat(position).as("position of the job in the pending list").isInstanceOf(Long.class);
    }

    @Test
    void aBatchIsAcceptedWhole() {
        given().contentType("application/json")
                .body("{\"jobs\":[{\"type\":\"echo\"},{\"type\":\"echo\",\"priority\":\"high\"}]}")
                .when().post("/api/jobs/batch")
                .then().statusCode(202).body("jobs.priority", equalTo(List.of("normal", "high")));
    }

    @Test
    void badInputGetsAProblemDocument() {
        given().contentType("application/json").body("{\"type\":\"echo\",\"maxAttempts\":\"x\"}")
                .when().post("/api/jobs")
                .then().statusCode(400).contentType("application/problem+json")
                .body("status", equalTo(400)).body("errors.field", hasItem("maxAttempts"));
    }

    @Test
    void healthAndOpenApiAreServed() {
        given().when().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        given().when().get("/q/openapi?format=json").then().statusCode(200)
                .body("paths.'/api/jobs'.post.responses.'202'.description", equalTo(
                        "Queued (or replayed: Idempotent-Replayed: true)"));
    }
}
