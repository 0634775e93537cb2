package io.livequeue.producer;

import static io.livequeue.producer.Api.PROBLEM_JSON;
import static io.livequeue.producer.Api.submit;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.livequeue.testing.RedisServer;
import io.livequeue.testing.RedisTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.config.HttpClientConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A Redis outage is answered with 503 + Retry-After within the command timeout, and submits work again after it. */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
@TestProfile(RedisDownTest.OwnRedis.class)
class RedisDownTest {

    private static final long ANSWER_WITHIN_MS = 5_000;

    /** A profile of its own, so killing its Redis cannot disturb the other tests' application. */
    public static class OwnRedis implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("livequeue.redis.command-timeout", "2s");
        }
    }

    @Inject
    RedisProbe redis;

    private RestAssuredConfig previousConfig;

    @BeforeEach
    void emptyRedisAndNoEndlessWait() {
        redis.flush();
        previousConfig = RestAssured.config;
        RestAssured.config = RestAssured.config().httpClient(HttpClientConfig.httpClientConfig()
                .setParam("http.connection.timeout", 10_000).setParam("http.socket.timeout", 10_000));
    }

    @AfterEach
    void redisIsBack() {
        RestAssured.config = previousConfig;
        RedisServer server = RedisTestResource.current();
        if (!server.isRunning()) {
            server.restart();
        }
    }

    @Test
    void submitGets503WithRetryAfterQuicklyWhileRedisIsDown() {
        RedisTestResource.current().kill();

        Response response = timed(() -> submit("{\"type\":\"echo\"}"));

        response.then().statusCode(503).contentType(PROBLEM_JSON)
                .header("Retry-After", "1")
                .body("status", equalTo(503))
                .body("type", equalTo("urn:livequeue:problem:redis-unavailable"))
                .body("instance", equalTo("/api/jobs"));
        assertThat(response.asString()).doesNotContain("Exception", "at io.");
    }

    @Test
    void queueCountsGet503WhileRedisIsDown() {
        RedisTestResource.current().kill();

        Response response = timed(() -> given().when().get("/api/queues"));

        response.then().statusCode(503).contentType(PROBLEM_JSON).header("Retry-After", "1")
                .body("status", equalTo(503));
    }

    @Test
    void jobLookupGets503WhileRedisIsDown() {
        RedisTestResource.current().kill();

        Response response = timed(() -> given().when().get("/api/jobs/0b7e5a39-3f1c-4d1e-9d69-2a3f4b5c6d7e"));

        response.then().statusCode(503).contentType(PROBLEM_JSON).header("Retry-After", "1");
    }

    @Test
    void submitSucceedsAgainAfterRedisRestarts() {
        RedisServer server = RedisTestResource.current();
        server.kill();
        timed(() -> submit("{\"type\":\"echo\"}")).then().statusCode(503);

        server.restart();

        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> submit("{\"type\":\"echo\"}").then().statusCode(202));
        assertThat(redis.jobKeys()).isEqualTo(1);
        assertThat(redis.totalWaiting()).isEqualTo(1);
    }

    @Test
    void submitGets503WithinTheCommandTimeoutWhileRedisHangs() {
        submit("{\"type\":\"echo\"}").then().statusCode(202);
        redis.pause(Duration.ofSeconds(6));

        long start = System.nanoTime();
        Response response = timed(() -> submit("{\"type\":\"echo\"}"));
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;

        response.then().statusCode(503).contentType(PROBLEM_JSON).header("Retry-After", "1")
                .body("type", equalTo("urn:livequeue:problem:redis-unavailable"));
        assertThat(elapsedMs).as("answered by the 2 s command timeout").isGreaterThanOrEqualTo(1_900);
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> submit("{\"type\":\"echo\"}").then().statusCode(202));
    }

    @Test
    void submitAnswered503OnTimeoutAndRetriedWithItsIdempotencyKeyLeavesOneJob() {
        submit("{\"type\":\"echo\"}").then().statusCode(202);
        redis.flush();
        redis.pause(Duration.ofSeconds(4));

        given().header("Idempotency-Key", "retry-me").contentType("application/json").body("{\"type\":\"echo\"}")
                .when().post("/api/jobs").then().statusCode(503)
                .body("detail", containsString("may or may not have taken effect"));

        String id = await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200)).until(
                () -> given().header("Idempotency-Key", "retry-me").contentType("application/json")
                        .body("{\"type\":\"echo\"}").when().post("/api/jobs").then().extract(),
                r -> r.statusCode() == 202).path("id");
        assertThat(id).isNotNull();
        assertThat(redis.jobKeys()).as("one job, however often the client retried").isEqualTo(1);
    }

    /** Runs the request and asserts that it was answered within {@link #ANSWER_WITHIN_MS}. */
    private static Response timed(Supplier<Response> request) {
        long start = System.nanoTime();
        Response response = request.get();
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;
        assertThat(elapsedMs).as("answered after %d ms", elapsedMs).isLessThan(ANSWER_WITHIN_MS);
        return response;
    }
}
