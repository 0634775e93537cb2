package io.livequeue.producer;

import static io.livequeue.producer.Api.PROBLEM_JSON;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.livequeue.testing.RedisTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Idempotency-Key: a repeated submit returns the first job and stores nothing, even when duplicates race. */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
class IdempotencyTest {

    private static final String JOB = "{\"type\":\"echo\",\"payload\":{\"n\":1}}";

    @Inject
    RedisProbe redis;

    @BeforeEach
    void emptyRedis() {
        redis.flush();
    }

    @Test
    void repeatedKeyReturnsTheFirstJobAndStoresNothingNew() {
        ExtractableResponse<Response> first = post("/api/jobs", "order-42", JOB);
        ExtractableResponse<Response> again = post("/api/jobs", "order-42", JOB);

        assertThat(first.statusCode()).isEqualTo(202);
        assertThat(first.header("Idempotent-Replayed")).isNull();
        assertThat(again.statusCode()).isEqualTo(202);
        assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(again.<String>path("id")).isEqualTo(first.path("id"));
        assertThat(again.<String>path("token")).isEqualTo(first.path("token"));
        assertThat(again.<String>path("createdAt")).isEqualTo(first.path("createdAt"));
        assertThat(again.header("Location")).endsWith("/api/jobs/" + first.path("id"));
        assertThat(redis.jobKeys()).isEqualTo(1);
    }

    @Test
    void differentKeysMakeDifferentJobs() {
        String a = post("/api/jobs", "a", JOB).path("id");
        String b = post("/api/jobs", "b", JOB).path("id");

        assertThat(a).isNotEqualTo(b);
        assertThat(redis.jobKeys()).isEqualTo(2);
    }

    @Test
    void concurrentDuplicatesCreateOneJob() {
        List<CompletableFuture<String>> racing = IntStream.range(0, 20)
                .mapToObj(i -> CompletableFuture.supplyAsync(() -> post("/api/jobs", "race", JOB).<String>path("id")))
                .toList();

        List<String> ids = racing.stream().map(CompletableFuture::join).distinct().toList();

        assertThat(ids).hasSize(1);
        assertThat(redis.jobKeys()).isEqualTo(1);
    }

    @Test
    void repeatedBatchReturnsTheFirstBatchInOrder() {
        String batch = "{\"jobs\":[" + JOB + "," + JOB + "," + JOB + "]}";
        List<String> first = post("/api/jobs/batch", "batch-7", batch).path("jobs.id");
        ExtractableResponse<Response> again = post("/api/jobs/batch", "batch-7", batch);

        assertThat(again.<List<String>>path("jobs.id")).containsExactlyElementsOf(first);
        assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(redis.jobKeys()).isEqualTo(3);
    }

    @Test
    void sameKeyOnSingleAndBatchEndpointsDoesNotMix() {
        post("/api/jobs", "shared", JOB);
        ExtractableResponse<Response> batch = post("/api/jobs/batch", "shared", "{\"jobs\":[" + JOB + "," + JOB + "]}");

        assertThat(batch.<List<String>>path("jobs.id")).hasSize(2);
        assertThat(redis.jobKeys()).isEqualTo(3);
    }

    @Test
    void malformedKeyGetsAProblemAndStoresNothing() {
        given().header("Idempotency-Key", "has space").contentType("application/json").body(JOB)
                .when().post("/api/jobs").then().statusCode(400).contentType(PROBLEM_JSON)
                .body("errors.field", hasItem("Idempotency-Key"));
        given().header("Idempotency-Key", "k".repeat(256)).contentType("application/json").body(JOB)
                .when().post("/api/jobs").then().statusCode(400).body("status", equalTo(400));

        assertThat(redis.jobKeys()).isZero();
    }

    private static ExtractableResponse<Response> post(String path, String key, String body) {
        return given().header("Idempotency-Key", key).contentType("application/json").body(body)
                .when().post(path).then().extract();
    }
}
