package io.livequeue.producer;

import static io.livequeue.producer.Api.PROBLEM_JSON;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.livequeue.testing.RedisTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every malformed or refused request gets its 4xx problem+json answer, without a stack trace, and stores nothing. */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
class BadRequestTest {

    private static final String JSON = "application/json";
    private static final String JOBS = "/api/jobs";
    private static final String BATCH = "/api/jobs/batch";
    private static final String SOME_ID = "0b7e5a39-3f1c-4d1e-9d69-2a3f4b5c6d7e";

    /**
     * One bad request: {@code field} is the expected {@code errors[].field}, or null when the answer names no field
     * (the empty string is the whole body).
     */
    record BadRequest(String name, String method, String path, String contentType, String body, int status,
            String field) {

        @Override
        public String toString() {
            return name + " -> " + status;
        }
    }

    static Stream<BadRequest> badRequests() {
        String oversize = "{\"type\":\"echo\",\"payload\":\"" + "x".repeat(64 * 1024) + "\"}";
        return Stream.of(
                // not JSON, or not a JSON object
                post("truncated JSON", "{\"type\":\"echo\"", 400, ""),
                post("truncated inside a string", "{\"type\":\"ec", 400, ""),
                post("unquoted names", "{type: echo}", 400, ""),
                post("trailing comma", "{\"type\":\"echo\",}", 400, ""),
                post("single quotes", "{'type':'echo'}", 400, ""),
                post("empty body", "", 400, ""),
                post("blank body", "  \n ", 400, ""),
                post("JSON null", "null", 400, ""),
                post("JSON array", "[{\"type\":\"echo\"}]", 400, ""),
                post("JSON string", "\"echo\"", 400, ""),
                post("JSON number", "42", 400, ""),
                post("JSON boolean", "true", 400, ""),
                // type
                post("type missing", "{\"payload\":{}}", 400, "type"),
                post("type null", "{\"type\":null}", 400, "type"),
                post("type empty", "{\"type\":\"\"}", 400, "type"),
                post("type number", "{\"type\":42}", 400, "type"),
                post("type array", "{\"type\":[\"echo\"]}", 400, "type"),
                post("type object", "{\"type\":{\"name\":\"echo\"}}", 400, "type"),
                post("type unknown", "{\"type\":\"teleport\"}", 400, "type"),
                post("type in upper case", "{\"type\":\"ECHO\"}", 400, "type"),
                // priority
                post("priority unknown", "{\"type\":\"echo\",\"priority\":\"urgent\"}", 400, "priority"),
                post("priority upper case", "{\"type\":\"echo\",\"priority\":\"HIGH\"}", 400, "priority"),
                post("priority number", "{\"type\":\"echo\",\"priority\":1}", 400, "priority"),
                post("priority empty", "{\"type\":\"echo\",\"priority\":\"\"}", 400, "priority"),
                // maxAttempts
                post("maxAttempts 0", "{\"type\":\"echo\",\"maxAttempts\":0}", 400, "maxAttempts"),
                post("maxAttempts 21", "{\"type\":\"echo\",\"maxAttempts\":21}", 400, "maxAttempts"),
                post("maxAttempts -1", "{\"type\":\"echo\",\"maxAttempts\":-1}", 400, "maxAttempts"),
                post("maxAttempts 2.5", "{\"type\":\"echo\",\"maxAttempts\":2.5}", 400, "maxAttempts"),
                post("maxAttempts string", "{\"type\":\"echo\",\"maxAttempts\":\"3\"}", 400, "maxAttempts"),
                post("maxAttempts boolean", "{\"type\":\"echo\",\"maxAttempts\":true}", 400, "maxAttempts"),
                post("maxAttempts 2^32+3", "{\"type\":\"echo\",\"maxAttempts\":4294967299}", 400, "maxAttempts"),
                // replyTo
                post("replyTo too short", "{\"type\":\"echo\",\"replyTo\":\"abc\"}", 400, "replyTo"),
                post("replyTo too long", "{\"type\":\"echo\",\"replyTo\":\"" + "a".repeat(65) + "\"}", 400, "replyTo"),
                post("replyTo bad chars", "{\"type\":\"echo\",\"replyTo\":\"inbox:inbox:inbox:inbox:inbox\"}", 400,
                        "replyTo"),
                post("replyTo with a quote", "{\"type\":\"echo\",\"replyTo\":\"aaaaaaaaaaaaaaaaaaaaaa\\\"\"}", 400,
                        "replyTo"),
                post("replyTo number", "{\"type\":\"echo\",\"replyTo\":1234567890123456789012345}", 400, "replyTo"),
                // unknown fields
                post("unknown field", "{\"type\":\"echo\",\"colour\":\"red\"}", 400, "colour"),
                post("misspelt field", "{\"type\":\"echo\",\"maxattempts\":3}", 400, "maxattempts"),
                // size
                post("payload over 64 KiB", oversize, 413, "payload"),
                // framework-level refusals
                new BadRequest("text/plain body", "POST", JOBS, "text/plain", "{\"type\":\"echo\"}", 415, null),
                new BadRequest("XML body", "POST", JOBS, "application/xml", "<job type=\"echo\"/>", 415, null),
                new BadRequest("form body", "POST", JOBS, "application/x-www-form-urlencoded", "type=echo", 415, null),
                new BadRequest("GET on the collection", "GET", JOBS, null, null, 405, null),
                new BadRequest("PUT on the collection", "PUT", JOBS, JSON, "{\"type\":\"echo\"}", 405, null),
                new BadRequest("DELETE a job", "DELETE", JOBS + "/" + SOME_ID, null, null, 405, null),
                new BadRequest("POST on a job", "POST", JOBS + "/" + SOME_ID, JSON, "{\"type\":\"echo\"}", 405, null),
                new BadRequest("POST on the queues", "POST", "/api/queues", JSON, "{}", 405, null),
                new BadRequest("GET on the batch", "GET", BATCH, null, null, 400, null),
                new BadRequest("unknown path under /api/jobs", "GET", JOBS + "/" + SOME_ID + "/result", null, null,
                        404, null),
                new BadRequest("unknown path", "GET", "/api/nothing-here", null, null, 404, null),
                // batch body
                batch("batch not an object", "[{\"type\":\"echo\"}]", 400, ""),
                batch("batch without jobs", "{}", 400, "jobs"),
                batch("batch jobs not an array", "{\"jobs\":{\"type\":\"echo\"}}", 400, "jobs"),
                batch("batch jobs null", "{\"jobs\":null}", 400, "jobs"),
                batch("batch unknown top-level field", "{\"jobs\":[{\"type\":\"echo\"}],\"atomic\":true}", 400,
                        "atomic"),
                batch("batch element not an object", "{\"jobs\":[{\"type\":\"echo\"},\"echo\"]}", 400, "jobs[1]"),
                batch("batch malformed JSON", "{\"jobs\":[{\"type\":\"echo\"}", 400, ""));
    }

    @Inject
    RedisProbe redis;

    @BeforeEach
    void emptyRedis() {
        redis.flush();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRequests")
    void badRequestGetsAProblemAndCreatesNoJob(BadRequest bad) {
        RequestSpecification request = given();
        if (bad.contentType() != null) {
            request.contentType(bad.contentType());
        }
        if (bad.body() != null) {
            request.body(bad.body());
        }

        Response response = request.when().request(bad.method(), bad.path());

        assertThat(response.statusCode()).as("status").isEqualTo(bad.status());
        assertThat(response.contentType()).as("content type").startsWith(PROBLEM_JSON);
        String text = response.asString();
        assertThat(text).doesNotContain("at io.", "Exception", "\tat ");
        assertThat(response.jsonPath().getInt("status")).isEqualTo(bad.status());
        assertThat(response.jsonPath().getString("title")).isNotBlank();
        assertThat(response.jsonPath().getString("detail")).isNotBlank();
        assertThat(response.jsonPath().getString("type")).startsWith("urn:livequeue:problem:");
        assertThat(response.jsonPath().getString("instance")).isEqualTo(bad.path());
        if (bad.field() != null) {
            List<String> fields = response.jsonPath().getList("errors.field");
            assertThat(fields).contains(bad.field());
        }
        assertThat(redis.jobKeys()).as("job hashes in Redis").isZero();
        assertThat(redis.totalWaiting()).as("waiting jobs").isZero();
    }

    private static BadRequest post(String name, String body, int status, String field) {
        return new BadRequest(name, "POST", JOBS, JSON, body, status, field);
    }

    private static BadRequest batch(String name, String body, int status, String field) {
        return new BadRequest(name, "POST", BATCH, JSON, body, status, field);
    }
}
