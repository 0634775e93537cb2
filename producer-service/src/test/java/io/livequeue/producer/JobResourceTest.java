package io.livequeue.producer;

import static io.livequeue.producer.Api.PROBLEM_JSON;
import static io.livequeue.producer.Api.submit;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import io.livequeue.core.Ids;
import io.livequeue.core.Job;
import io.livequeue.core.JobStatus;
import io.livequeue.core.JobTokens;
import io.livequeue.core.Priority;
import io.livequeue.core.rdb.JobStore;
import io.livequeue.testing.RedisTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Submitting one job with POST /api/jobs and reading it back with GET /api/jobs/{id}. */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
class JobResourceTest {

    @Inject
    RedisProbe redis;

    @Inject
    JobStore store;

    @ConfigProperty(name = "livequeue.token.secret")
    String tokenSecret;

    @BeforeEach
    void emptyRedis() {
        redis.flush();
    }

    @Test
    void submittingAnEchoJobAnswers202WithLocationAndTheQueuedJob() {
        Instant before = Instant.now();

        Response response = submit("{\"type\":\"echo\",\"payload\":{\"text\":\"hello\"}}");

        response.then().statusCode(202).contentType("application/json");
        JsonPath body = response.jsonPath();
        String id = body.getString("id");
        assertThat(id).matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
        assertThat(response.header("Location")).endsWith("/api/jobs/" + id);
        assertThat(body.getMap("")).containsOnlyKeys("id", "type", "status", "priority", "token", "createdAt",
                "queue");
        assertThat(body.getString("queue")).isEqualTo("default");
        assertThat(body.getString("type")).isEqualTo("echo");
        assertThat(body.getString("status")).isEqualTo("queued");
        assertThat(body.getString("priority")).isEqualTo("normal");
        assertThat(redis.jobKeys()).isEqualTo(1);
        assertThat(redis.waiting(Priority.NORMAL)).isEqualTo(1);
        assertThat(Instant.parse(body.getString("createdAt")))
                .isBetween(before.minusSeconds(5), Instant.now().plusSeconds(5));
    }

    @Test
    void tokenIsTheHmacOfTheJobIdUnderTheConfiguredSecret() {
        JsonPath body = submit("{\"type\":\"echo\"}").then().statusCode(202).extract().jsonPath();

        JobTokens tokens = new JobTokens(tokenSecret, Optional.empty());
        assertThat(body.getString("token")).isEqualTo(tokens.issue(body.getString("id")));
        assertThat(tokens.verify(body.getString("id"), body.getString("token"))).isTrue();
        assertThat(tokens.verify("00000000-0000-0000-0000-000000000000", body.getString("token"))).isFalse();
    }

    @Test
    void createdAtIsIso8601AndEqualToTheStoredCreationTime() {
        JsonPath body = submit("{\"type\":\"echo\"}").then().statusCode(202).extract().jsonPath();

        String createdAt = body.getString("createdAt");
        assertThat(createdAt).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?Z");
        Job stored = store.find(body.getString("id")).await().atMost(Duration.ofSeconds(5)).orElseThrow();
        assertThat(Instant.parse(createdAt).toEpochMilli()).isEqualTo(stored.createdAt());
    }

    @Test
    void defaultsArePriorityNormalAndThreeAttemptsWhenReadBack() {
        String id = submit("{\"type\":\"sleep\"}").then().statusCode(202).extract().path("id");

        given().when().get("/api/jobs/" + id).then().statusCode(200).contentType("application/json")
                .body("id", equalTo(id))
                .body("type", equalTo("sleep"))
                .body("status", equalTo("queued"))
                .body("priority", equalTo("normal"))
                .body("attempts", equalTo(0))
                .body("maxAttempts", equalTo(3))
                .body("startedAt", nullValue())
                .body("finishedAt", nullValue())
                .body("error", nullValue());
    }

    @Test
    void explicitPriorityAndMaxAttemptsAreStoredAsGiven() {
        String id = submit("{\"type\":\"fail\",\"priority\":\"low\",\"maxAttempts\":7}")
                .then().statusCode(202).body("priority", equalTo("low")).extract().path("id");

        given().when().get("/api/jobs/" + id).then().statusCode(200)
                .body("priority", equalTo("low"))
                .body("maxAttempts", equalTo(7));
        Job stored = store.find(id).await().atMost(Duration.ofSeconds(5)).orElseThrow();
        assertThat(stored.priority()).isEqualTo(Priority.LOW);
        assertThat(stored.maxAttempts()).isEqualTo(7);
        assertThat(stored.status()).isEqualTo(JobStatus.QUEUED);
    }

    @Test
    void queuedJobShowsThePayloadAsJsonAndANullResult() {
        String id = submit("{\"type\":\"echo\",\"payload\":{\"text\":\"héllo \\\"quoted\\\"\",\"n\":[1,2.5,true,null]}}")
                .then().statusCode(202).extract().path("id");

        Response response = given().when().get("/api/jobs/" + id);

        response.then().statusCode(200)
                .body("payload.text", equalTo("héllo \"quoted\""))
                .body("payload.n[0]", equalTo(1))
                .body("payload.n[2]", equalTo(true))
                .body("result", nullValue());
        assertThat(response.jsonPath().get("payload") instanceof Map).as("payload is a JSON object").isTrue();
        assertThat(response.jsonPath().getMap("")).containsOnlyKeys("id", "type", "status", "priority", "attempts",
                "maxAttempts", "payload", "result", "error", "createdAt", "startedAt", "finishedAt", "errors", "queue");
    }

    @Test
    void scalarPayloadIsPassedThroughUnquoted() {
        String id = submit("{\"type\":\"echo\",\"payload\":42}").then().statusCode(202).extract().path("id");

        given().when().get("/api/jobs/" + id).then().statusCode(200).body("payload", equalTo(42));
    }

    @Test
    void absentPayloadReadsBackAsNull() {
        String id = submit("{\"type\":\"echo\"}").then().statusCode(202).extract().path("id");

        String json = given().when().get("/api/jobs/" + id).then().statusCode(200)
                .body("payload", nullValue()).extract().asString();
        assertThat(json).contains("\"payload\":null");
    }

    @Test
    void highPriorityJobIsCountedInTheHighWaitingList() {
        submit("{\"type\":\"echo\",\"priority\":\"high\"}").then().statusCode(202).body("priority", equalTo("high"));

        assertThat(redis.waiting(Priority.HIGH)).isEqualTo(1);
        assertThat(redis.waiting(Priority.NORMAL)).isZero();
        assertThat(redis.waiting(Priority.LOW)).isZero();
    }

    @Test
    void replyToIsAcceptedAndTheJobIsQueued() {
        String inbox = "AbCdEfGhIjKlMnOpQrStUv";

        String id = submit("{\"type\":\"sms\",\"replyTo\":\"" + inbox + "\"}")
                .then().statusCode(202).extract().path("id");

        Job stored = store.find(id).await().atMost(Duration.ofSeconds(5)).orElseThrow();
        assertThat(stored.replyTo()).isEqualTo(inbox);
        assertThat(stored.type()).isEqualTo("sms");
    }

    /**
     * A job a newer release stored in a status this version does not know (a future {@code archived} or
     * {@code superseded}: during a rolling upgrade old producers read what new consumers and producers write) is
     * answered with that status as stored, not with a 500.
     */
    @Test
    void aJobInAStatusOfANewerReleaseReadsBackWithThatStatus() {
        for (String status : List.of("archived", "superseded")) {
            String id = Ids.newJobId();
            redis.writeJob(id, Map.of("id", id, "type", "echo", "status", status, "priority", "high", "attempts", "0",
                    "maxAttempts", "3", "payload", "{\"n\":1}", "createdAt", "1764100000001", "v", "2",
                    "archivedAt", "1764100009000"));

            given().when().get("/api/jobs/" + id).then().statusCode(200).contentType("application/json")
                    .body("id", equalTo(id))
                    .body("status", equalTo(status))
                    .body("priority", equalTo("high"))
                    .body("payload.n", equalTo(1))
                    .body("createdAt", equalTo("2025-11-25T19:46:40.001Z"));
        }
    }

    @Test
    void unknownJobIdAnswers404Problem() {
        String id = "0b7e5a39-3f1c-4d1e-9d69-2a3f4b5c6d7e";

        given().when().get("/api/jobs/" + id).then().statusCode(404).contentType(PROBLEM_JSON)
                .body("status", equalTo(404))
                .body("title", equalTo("Job not found"))
                .body("type", equalTo("urn:livequeue:problem:job-not-found"))
                .body("instance", equalTo("/api/jobs/" + id));
    }

    @Test
    void malformedJobIdAnswers400Problem() {
        given().when().get("/api/jobs/not-a-uuid").then().statusCode(400).contentType(PROBLEM_JSON)
                .body("status", equalTo(400))
                .body("title", equalTo("Invalid job id"))
                .body("type", equalTo("urn:livequeue:problem:invalid-job-id"))
                .body("instance", equalTo("/api/jobs/not-a-uuid"));
    }

    @Test
    void upperCaseUuidIsAMalformedJobId() {
        given().when().get("/api/jobs/0B7E5A39-3F1C-4D1E-9D69-2A3F4B5C6D7E").then().statusCode(400)
                .contentType(PROBLEM_JSON).body("title", equalTo("Invalid job id"));
    }
}
