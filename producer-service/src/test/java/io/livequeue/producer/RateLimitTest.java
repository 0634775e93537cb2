package io.livequeue.producer;

import static io.livequeue.producer.Api.PROBLEM_JSON;
import static io.livequeue.producer.SecuredProducer.apiKey;
import static io.livequeue.producer.SecuredProducer.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.livequeue.testing.RedisTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Each client has its own submit rate (here 2 jobs/s with a burst of 20): past it, a 429 with Retry-After and the
 * RateLimit fields of draft-ietf-httpapi-ratelimit-headers, and nothing stored; other clients go on unhindered.
 */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
@TestProfile(SecuredProducer.class)
class RateLimitTest {

    private static final String JOB = "{\"type\":\"echo\"}";

    @Inject
    RedisProbe redis;

    @BeforeEach
    void emptyRedis() {
        redis.flush();
    }

    @Test
    void aClientOverItsBurstGets429WithRetryAfterAndRateLimitFields() {
        String pump = apiKey("pump", "jobs:submit");
        Response first = submit(pump);
        first.then().statusCode(202).header("RateLimit-Policy", "\"submit\";q=20;w=10")
                .header("RateLimit", "\"submit\";r=19;t=1");
        int accepted = 1;
        Response refused = submit(pump);
        // the bucket refills 2 jobs a second while the loop runs: the 429 comes after the burst, a few jobs later
        while (refused.statusCode() == 202 && accepted < SecuredProducer.BURST + 10) {
            accepted++;
            refused = submit(pump);
        }

        refused.then().statusCode(429).contentType(PROBLEM_JSON)
                .body("type", equalTo("urn:livequeue:problem:rate-limited"))
                .header("RateLimit-Policy", "\"submit\";q=20;w=10");
        assertThat(accepted).isGreaterThanOrEqualTo(SecuredProducer.BURST);
        assertThat(Integer.parseInt(refused.header("Retry-After"))).isBetween(1, 2);
        assertThat(refused.header("RateLimit")).startsWith("\"submit\";r=0;");
        assertThat(redis.jobKeys()).isEqualTo(accepted);
    }

    @Test
    void anotherClientIsNotSlowedByThePump() {
        String pump = apiKey("pump2", "jobs:submit");
        Response last = submit(pump);
        for (int i = 0; last.statusCode() == 202 && i < SecuredProducer.BURST + 10; i++) {
            last = submit(pump);
        }
        last.then().statusCode(429);

        submit(apiKey("quiet", "jobs:submit")).then().statusCode(202);
    }

    @Test
    void aBatchCountsEachOfItsJobs() {
        String pump = apiKey("batcher", "jobs:submit");

        as(pump).contentType(ContentType.JSON).body(Api.batchOf(SecuredProducer.BURST + 1, JOB)).when()
                .post("/api/jobs/batch").then().statusCode(429);
        as(pump).contentType(ContentType.JSON).body(Api.batchOf(SecuredProducer.BURST, JOB)).when()
                .post("/api/jobs/batch").then().statusCode(202).header("RateLimit", "\"submit\";r=0;t=10");
        assertThat(redis.jobKeys()).isEqualTo(SecuredProducer.BURST);
    }

    private static Response submit(String bearer) {
        return as(bearer).contentType(ContentType.JSON).body(JOB).when().post("/api/jobs");
    }
}
