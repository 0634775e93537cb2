package io.livequeue.producer;

import static io.livequeue.producer.Api.PROBLEM_JSON;
import static io.livequeue.producer.SecuredProducer.apiKey;
import static io.livequeue.producer.SecuredProducer.as;
import static io.livequeue.producer.SecuredProducer.jwt;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.livequeue.core.Ids;
import io.livequeue.testing.RedisTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A job is its submitter's: its owner, an operator, or whoever holds its token reads it; anyone else is told it does
 * not exist, with the very answer a missing job gets, so ids learnt from logs or proxies reveal nothing.
 */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
@TestProfile(SecuredProducer.class)
class OwnershipTest {

    private static final String JOB = "{\"type\":\"echo\",\"payload\":{\"secret\":\"s3cr3t\"}}";

    @Inject
    RedisProbe redis;

    private String alice;
    private String mallory;

    @BeforeEach
    void twoClients() {
        redis.flush();
        alice = apiKey("alice", "jobs:submit", "jobs:read");
        mallory = apiKey("mallory", "jobs:submit", "jobs:read");
    }

    @Test
    void theOwnerReadsItsJob() {
        String id = submit(alice).path("id");

        as(alice).when().get("/api/jobs/" + id).then().statusCode(200).body("payload.secret", equalTo("s3cr3t"));
    }

    @Test
    void anotherClientGetsTheSame404AsForAJobThatDoesNotExist() {
        String id = submit(alice).path("id");

        Response theirs = as(mallory).when().get("/api/jobs/" + id);
        Response missing = as(mallory).when().get("/api/jobs/" + Ids.newJobId());

        theirs.then().statusCode(404).contentType(PROBLEM_JSON);
        missing.then().statusCode(404);
        assertThat(theirs.path("title").toString()).isEqualTo(missing.path("title"));
        assertThat(theirs.asString()).doesNotContain("s3cr3t").doesNotContain("alice");
    }

    @Test
    void aJwtCallerCannotReadAnApiKeyCallersJobNorTheReverse() {
        String keyJob = submit(alice).path("id");
        String jwtJob = submit(jwt("alice", "jobs:submit", "jobs:read")).path("id");

        as(jwt("alice", "jobs:read")).when().get("/api/jobs/" + keyJob).then().statusCode(404);
        as(alice).when().get("/api/jobs/" + jwtJob).then().statusCode(404);
        as(jwt("alice", "jobs:read")).when().get("/api/jobs/" + jwtJob).then().statusCode(200);
    }

    @Test
    void theJobsTokenReadsItWithoutOtherCredentials() {
        Response submitted = submit(alice);
        String id = submitted.path("id");

        given().header("Job-Token", submitted.path("token").toString()).when().get("/api/jobs/" + id).then()
                .statusCode(200).body("id", equalTo(id));
        as(mallory).header("Job-Token", submitted.path("token").toString()).when().get("/api/jobs/" + id).then()
                .statusCode(200);
    }

    @Test
    void anotherJobsTokenOpensNothing() {
        String id = submit(alice).path("id");
        String otherToken = submit(mallory).path("token");

        given().header("Job-Token", otherToken).when().get("/api/jobs/" + id).then().statusCode(401);
        as(mallory).header("Job-Token", otherToken).when().get("/api/jobs/" + id).then().statusCode(404);
    }

    @Test
    void anOperatorReadsEveryJob() {
        String id = submit(alice).path("id");

        Api.asOperator().when().get("/api/jobs/" + id).then().statusCode(200);
        as(apiKey("ops", "operator")).when().get("/api/jobs/" + id).then().statusCode(200);
    }

    @Test
    void readingWithoutTheReadScopeGets403() {
        String submitOnly = apiKey("pump", "jobs:submit");
        String id = submit(submitOnly).path("id");

        as(submitOnly).when().get("/api/jobs/" + id).then().statusCode(403);
    }

    @Test
    void batchJobsBelongToTheirSubmitterToo() {
        List<String> ids = as(alice).contentType(ContentType.JSON).body(Api.batchOf(3, JOB)).when()
                .post("/api/jobs/batch").then().statusCode(202).extract().path("jobs.id");

        for (String id : ids) {
            as(alice).when().get("/api/jobs/" + id).then().statusCode(200);
            as(mallory).when().get("/api/jobs/" + id).then().statusCode(404);
        }
    }

    @Test
    void queuesAreListedOnlyToCallersWhoMayRead() {
        given().when().get("/api/queues").then().statusCode(401);
        as(alice).when().get("/api/queues").then().statusCode(200);
    }

    @Test
    void theOwnerTheTokenAndAnOperatorCancelAndNobodyElse() {
        String delayed = "{\"type\":\"echo\",\"delay\":60000}";
        Response first = submit(alice, delayed);
        String id = first.path("id");

        as(mallory).when().post("/api/jobs/" + id + "/cancel").then().statusCode(404).contentType(PROBLEM_JSON);
        given().header("Job-Token", submit(mallory, delayed).path("token").toString())
                .when().post("/api/jobs/" + id + "/cancel").then().statusCode(401);
        as(apiKey("reader", "jobs:read")).when().post("/api/jobs/" + id + "/cancel").then().statusCode(403);
        as(alice).when().get("/api/jobs/" + id).then().body("status", equalTo("scheduled"));

        as(alice).when().post("/api/jobs/" + id + "/cancel").then().statusCode(200)
                .body("status", equalTo("cancelled"));
        Response second = submit(alice, delayed);
        given().header("Job-Token", second.path("token").toString())
                .when().post("/api/jobs/" + second.path("id") + "/cancel").then().statusCode(200);
        Response third = submit(alice, delayed);
        as(apiKey("ops", "operator")).when().post("/api/jobs/" + third.path("id") + "/cancel").then()
                .statusCode(200);
    }

    private static Response submit(String bearer, String body) {
        return as(bearer).contentType(ContentType.JSON).body(body).when().post("/api/jobs").then().statusCode(202)
                .extract().response();
    }

    private static Response submit(String bearer) {
        return as(bearer).contentType(ContentType.JSON).body(JOB).when().post("/api/jobs").then().statusCode(202)
                .extract().response();
    }
}
