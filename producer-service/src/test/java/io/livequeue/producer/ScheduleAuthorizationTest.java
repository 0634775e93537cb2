package io.livequeue.producer;

import static io.livequeue.producer.Api.PROBLEM_JSON;
import static io.livequeue.producer.SecuredProducer.apiKey;
import static io.livequeue.producer.SecuredProducer.as;
import static io.livequeue.producer.SecuredProducer.jwt;
import static org.hamcrest.Matchers.equalTo;

import io.livequeue.testing.RedisTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

/** With real credentials: schedules are for the operator scope; submitters and readers get 403, nobody else 401. */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
@TestProfile(SecuredProducer.class)
class ScheduleAuthorizationTest {

    private static final String BODY = "{\"name\":\"auth-check\",\"every\":\"PT1H\",\"job\":{\"type\":\"echo\"}}";

    @Test
    void aCredentialWithoutTheOperatorScopeGets403() {
        String submitter = apiKey("scheduler-wannabe", "jobs:submit", "jobs:read");

        as(submitter).contentType(ContentType.JSON).body(BODY).when().post("/api/schedules").then().statusCode(403)
                .contentType(PROBLEM_JSON).body("type", equalTo("urn:livequeue:problem:forbidden"));
        as(submitter).when().get("/api/schedules").then().statusCode(403);
        as(jwt("bob", "jobs:read")).when().delete("/api/schedules/auth-check").then().statusCode(403);
        io.restassured.RestAssured.given().when().get("/api/schedules").then().statusCode(401);
    }

    @Test
    void aCredentialWithTheOperatorScopeManagesSchedules() {
        String operator = apiKey("ops", "operator");

        as(operator).contentType(ContentType.JSON).body(BODY).when().put("/api/schedules/auth-check").then()
                .statusCode(201);
        as(jwt("carol", "operator")).when().delete("/api/schedules/auth-check").then().statusCode(204);
    }
}
