package io.livequeue.producer;

import static io.livequeue.producer.Api.PROBLEM_JSON;
import static io.livequeue.producer.SecuredProducer.apiKey;
import static io.livequeue.producer.SecuredProducer.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.livequeue.testing.RedisTestResource;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Idempotency keys as draft-ietf-httpapi-idempotency-key-header and Stripe use them: scoped to their client, bound to
 * the request they first came with, and answered from a stored receipt even after the jobs are gone.
 */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
@TestProfile(SecuredProducer.class)
class SecureIdempotencyTest {

    private static final String JOB = "{\"type\":\"fail\",\"payload\":{\"n\":1}}";

    @Inject
    RedisProbe redis;

    @Inject
    RedisDataSource data;

    private String alice;

    @BeforeEach
    void aClient() {
        redis.flush();
        alice = apiKey("alice", "jobs:submit", "jobs:read");
    }

    @Test
    void theSameKeyWithAnotherBodyGets422AndStoresNothing() {
        submit(alice, "k-1", JOB).then().statusCode(202);

        submit(alice, "k-1", "{\"type\":\"fail\",\"payload\":{\"n\":2}}").then().statusCode(422)
                .contentType(PROBLEM_JSON).body("type", equalTo("urn:livequeue:problem:idempotency-key-reused"));
        assertThat(redis.jobKeys()).isEqualTo(1);
    }

    @Test
    void twoClientsUsingOneKeyGetTheirOwnJobs() {
        String bob = apiKey("bob", "jobs:submit", "jobs:read");

        String first = submit(alice, "shared", JOB).then().statusCode(202).extract().path("id");
        Response second = submit(bob, "shared", JOB);

        second.then().statusCode(202).header("Idempotent-Replayed", (String) null);
        assertThat(second.<String>path("id")).isNotEqualTo(first);
        assertThat(second.<String>path("token")).isNotEqualTo(submit(alice, "shared", JOB).path("token"));
    }

    @Test
    void aReplayAfterTheJobWasDeletedAnswersTheStoredReceipt() {
        Response first = submit(alice, "k-2", JOB);
        String id = first.path("id");
        data.execute("DEL", redis.jobKey(id));

        Response replay = submit(alice, "k-2", JOB);

        replay.then().statusCode(202).header("Idempotent-Replayed", "true").body("id", equalTo(id))
                .body("token", equalTo(first.path("token"))).body("createdAt", equalTo(first.path("createdAt")));
        assertThat(redis.jobKeys()).isZero();
    }

    @Test
    void aBatchReplayAfterItsJobsWereDeletedListsThemAll() {
        String body = Api.batchOf(3, JOB);
        List<String> ids = batch(alice, "b-1", body).then().statusCode(202).extract().path("jobs.id");
        ids.forEach(id -> data.execute("DEL", redis.jobKey(id)));

        batch(alice, "b-1", body).then().statusCode(202).header("Idempotent-Replayed", "true")
                .body("jobs.id", equalTo(ids));
    }

    @Test
    void concurrentRequestsWithOneKeyCreateOneJob() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<String>> calls = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                calls.add(() -> submit(alice, "race", JOB).then().statusCode(202).extract().path("id"));
            }
            Set<String> ids = new HashSet<>();
            for (Future<String> f : pool.invokeAll(calls)) {
                ids.add(f.get());
            }
            assertThat(ids).hasSize(1);
            assertThat(redis.jobKeys()).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }

    private static Response submit(String bearer, String key, String body) {
        return as(bearer).header("Idempotency-Key", key).contentType(ContentType.JSON).body(body).when()
                .post("/api/jobs");
    }

    private static Response batch(String bearer, String key, String body) {
        return as(bearer).header("Idempotency-Key", key).contentType(ContentType.JSON).body(body).when()
                .post("/api/jobs/batch");
    }
}
