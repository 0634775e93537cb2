package io.livequeue.producer;

import static io.livequeue.producer.Api.PROBLEM_JSON;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.livequeue.producer.job.InvalidJobException;
import io.livequeue.producer.job.JobRequestParser;
import io.livequeue.producer.job.ProducerConfig;
import io.livequeue.producer.problem.InFlightBodies;
import io.livequeue.testing.RedisTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The body limit holds for bodies sent in chunks (no Content-Length) as for declared ones, with a problem+json 413;
 * a batch is refused at its first job past the batch limit, without the rest being read or built.
 */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
class BodyLimitTest {

    @Inject
    RedisProbe redis;

    @Inject
    JobRequestParser parser;

    @Inject
    ProducerConfig config;

    @Inject
    InFlightBodies bodies;

    @BeforeEach
    void emptyRedis() {
        redis.flush();
    }

    @Test
    void aChunked100MbBodyGets413ProblemAndItsConnectionIsClosed() throws Exception {
        Bodies.Synthetic body = Bodies.synthetic("{\"type\":\"echo\",\"payload\":[", "1", ",", 50_000_000, "]}");

        Bodies.Answer answer = Bodies.postChunked(RestAssured.port, "/api/jobs", body);

        assertThat(answer.status()).isEqualTo(413);
        assertThat(answer.header("content-type")).startsWith(PROBLEM_JSON);
        assertThat(answer.body()).contains("\"type\":\"urn:livequeue:problem:body-too-large\"",
                "\"detail\":\"the body is more than " + config.maxBodyBytes() + " bytes, the limit");
        assertThat(answer.closed()).as("connection closed after the answer").isTrue();
        assertThat(redis.jobKeys()).isZero();
    }

    @Test
    void chunkedBodiesAreCountedToTheByte() throws Exception {
        String job = "{\"type\":\"echo\"";
        String batch = "{\"jobs\":[{\"type\":\"echo\"}]";
        Bodies.Synthetic exactly = Bodies.synthetic(job, " ", "", config.maxBodyBytes() - job.length() - 1, "}");
        Bodies.Synthetic over = Bodies.synthetic(batch, " ", "", config.maxBodyBytes() - batch.length(), "}");
        assertThat(exactly.length()).isEqualTo(config.maxBodyBytes());
        assertThat(over.length()).isEqualTo(config.maxBodyBytes() + 1);

        Bodies.Answer atTheLimit = Bodies.postChunked(RestAssured.port, "/api/jobs", exactly);
        Bodies.Answer oneByteOver = Bodies.postChunked(RestAssured.port, "/api/jobs/batch", over);

        assertThat(atTheLimit.status()).isEqualTo(202);
        assertThat(oneByteOver.status()).isEqualTo(413);
        assertThat(oneByteOver.header("content-type")).startsWith(PROBLEM_JSON);
        assertThat(oneByteOver.body()).contains("urn:livequeue:problem:body-too-large");
        assertThat(redis.jobKeys()).isEqualTo(1);
    }

    @Test
    void everyAnswerGivesBackTheBodyBytesItsRequestHeld() throws Exception {
        int port = RestAssured.port;
        assertThat(Bodies.postChunked(port, "/api/jobs", Bodies.synthetic("{", " ", "", 10_000_000, "}")).status())
                .isEqualTo(413);
        assertThat(Bodies.postChunked(port, "/api/jobs/batch", Bodies.synthetic("{\"jobs\":[", "{}", ",", 2000, "]}"))
                .status()).isEqualTo(400);
        assertThat(Bodies.postChunked(port, "/api/jobs", Bodies.synthetic("{\"type\":\"echo\"}", "", "", 0, ""))
                .status()).isEqualTo(202);
        given().contentType(ContentType.JSON).body("[1]").when().post("/api/jobs").then().statusCode(400);
        given().contentType(ContentType.JSON).body("{\"type\":\"echo\"}").when().post("/api/jobs").then().statusCode(202);

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(bodies.inFlight()).isZero());
    }

    @Test
    void aBatchIsRefusedAtTheFirstJobPastTheLimitWithoutReadingTheRest() {
        // as many {} as the body limit allows: 1.4 million
        long elements = (config.maxBodyBytes() - 12) / 3;
        Bodies.Synthetic body = Bodies.synthetic("{\"jobs\":[", "{}", ",", elements, "]}");

        InvalidJobException refused = catchThrowableOfType(InvalidJobException.class, () -> parser.parseBatch(body));

        assertThat(refused.errors().get(0).field()).isEqualTo("jobs");
        assertThat(refused.errors().get(0).message()).startsWith("at most 1000 jobs per batch");
        assertThat(body.taken()).as("bytes read of the " + body.length()).isLessThan(64 * 1024);
    }

    @Test
    void aBodyOfMillionsOfTinyObjectsCostsNoTreeOfThem() throws Exception {
        long elements = (config.maxBodyBytes() - 12) / 3;
        byte[] body = Bodies.synthetic("{\"jobs\":[", "{}", ",", elements, "]}").readAllBytes();
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getTotalThreadAllocatedBytes() - threads.getCurrentThreadAllocatedBytes();

        given().contentType(ContentType.JSON).body(body).when().post("/api/jobs/batch")
                .then().statusCode(400).contentType(PROBLEM_JSON)
                .body("errors[0].field", equalTo("jobs"))
                .body("errors[0].message", containsString("at most 1000 jobs per batch"));

        // by the server's threads (all but this one, the client's): ~30 MB here, most of it the HTTP layer's copies of
        // the body as it arrives; a String of the body and a tree of 1.4 million nodes are well over 100 MB
        long allocated = threads.getTotalThreadAllocatedBytes() - threads.getCurrentThreadAllocatedBytes() - before;
        assertThat(allocated).as("bytes allocated by the server's threads").isLessThan(64L << 20);
        assertThat(redis.jobKeys()).isZero();
    }
}
