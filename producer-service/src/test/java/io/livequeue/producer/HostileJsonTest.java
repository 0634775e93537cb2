package io.livequeue.producer;

import static io.livequeue.producer.Api.PROBLEM_JSON;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.livequeue.testing.RedisTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * JSON built to hurt a parser (deep nesting, endless numbers, huge strings and exponents) gets a 400 problem naming
 * the problem, never a 500 or a StackOverflowError, and stores nothing; the same bounds hold for every JSON the
 * producer reads with its ObjectMapper. (Sent with the JDK's client: REST Assured pretty-prints a failed request's
 * body, which for these bodies would exhaust the test's own heap.)
 */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
class HostileJsonTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Inject
    RedisProbe redis;

    @Inject
    ObjectMapper mapper;

    @BeforeEach
    void emptyRedis() {
        redis.flush();
    }

    @Test
    void aHundredThousandOpenBracketsGet400NamingTheNestingDepth() throws Exception {
        Answer answer = post("/api/jobs", "{\"type\":\"echo\",\"payload\":" + "[".repeat(100_000));

        answer.isProblem(400);
        assertThat(answer.detail()).contains("nesting depth (65) exceeds the maximum allowed (64");
        assertThat(redis.jobKeys()).isZero();
    }

    @Test
    void deepNestingAnywhereInABatchGets400() throws Exception {
        Answer answer = post("/api/jobs/batch", "{\"jobs\":[{\"type\":\"echo\",\"colour\":" + "{\"a\":".repeat(100_000)
                + "1" + "}".repeat(100_000) + "}]}");

        answer.isProblem(400);
        assertThat(answer.detail()).contains("nesting depth (65) exceeds the maximum allowed (64");
        assertThat(redis.jobKeys()).isZero();
    }

    @Test
    void aPayloadMayNest32LevelsButNot33() throws Exception {
        Answer at32 = post("/api/jobs", "{\"type\":\"echo\",\"payload\":" + "[".repeat(32) + "]".repeat(32) + "}");
        Answer at33 = post("/api/jobs", "{\"type\":\"echo\",\"payload\":" + "[".repeat(33) + "]".repeat(33) + "}");

        assertThat(at32.status()).isEqualTo(202);
        at33.isProblem(400);
        assertThat(at33.json().getString("errors[0].field")).isEqualTo("payload");
        assertThat(at33.json().getString("errors[0].message")).isEqualTo("nests more than 32 levels deep");
        assertThat(redis.jobKeys()).isEqualTo(1);
    }

    @Test
    void aNumberOfAHundredThousandDigitsGets400NamingItsLength() throws Exception {
        Answer inPayload = post("/api/jobs", "{\"type\":\"echo\",\"payload\":{\"n\":" + "7".repeat(100_000) + "}}");
        Answer inMaxAttempts = post("/api/jobs", "{\"type\":\"echo\",\"maxAttempts\":" + "9".repeat(100_000) + "}");
        Answer aFraction = post("/api/jobs", "{\"type\":\"echo\",\"payload\":[0." + "3".repeat(100_000) + "]}");

        for (Answer answer : new Answer[] {inPayload, inMaxAttempts, aFraction}) {
            answer.isProblem(400);
            assertThat(answer.detail()).contains("Number value length").containsPattern("maximum allowed \\(100[,)]");
        }
        assertThat(redis.jobKeys()).isZero();
    }

    @Test
    void numbersMayHaveAHundredCharactersButNot101() throws Exception {
        String hundred = "1" + "0".repeat(99);
        Answer accepted = post("/api/jobs", "{\"type\":\"echo\",\"payload\":{\"n\":" + hundred + ",\"x\":-0."
                + "5".repeat(97) + "}}");
        Answer refused = post("/api/jobs", "{\"type\":\"echo\",\"payload\":{\"n\":" + hundred + "0}}");

        assertThat(accepted.status()).isEqualTo(202);
        refused.isProblem(400);
        assertThat(refused.detail()).contains("Number value length (101) exceeds the maximum allowed (100");
        assertThat(given().when().get("/api/jobs/" + accepted.json().getString("id")).then().statusCode(200)
                .extract().asString()).contains(hundred);
    }

    @Test
    void anExponentTooLargeForAnyNumberGets400() throws Exception {
        for (String number : new String[] {"1e99999999999", "-1e-2147483649"}) {
            Answer inPayload = post("/api/jobs", "{\"type\":\"echo\",\"payload\":{\"n\":" + number + "}}");
            Answer inMaxAttempts = post("/api/jobs", "{\"type\":\"echo\",\"maxAttempts\":" + number + "}");

            inPayload.isProblem(400);
            assertThat(inPayload.detail()).startsWith("the body is not valid JSON").contains(number);
            inMaxAttempts.isProblem(400);
        }
        assertThat(redis.jobKeys()).isZero();
    }

    @Test
    void aStringLongerThanAnyPayloadGets400InAFieldAnd413InAPayload() throws Exception {
        String huge = "x".repeat(1_000_000);

        Answer inType = post("/api/jobs", "{\"type\":\"" + huge + "\"}");
        Answer inPayload = post("/api/jobs", "{\"type\":\"echo\",\"payload\":{\"text\":\"" + huge + "\"}}");

        inType.isProblem(400);
        assertThat(inType.detail()).contains("String value length", "exceeds the maximum allowed (65536");
        inPayload.isProblem(413);
        assertThat(inPayload.json().getString("type")).isEqualTo("urn:livequeue:problem:payload-too-large");
        assertThat(inPayload.json().getString("errors[0].field")).isEqualTo("payload");
        assertThat(redis.jobKeys()).isZero();
    }

    @Test
    void duplicateFieldsInAPayloadAreRefused() throws Exception {
        Answer answer = post("/api/jobs", "{\"type\":\"echo\",\"payload\":{\"a\":{\"b\":1,\"b\":2}}}");

        answer.isProblem(400);
        assertThat(answer.detail()).contains("duplicate field 'b'");
        assertThat(redis.jobKeys()).isZero();
    }

    @Test
    void anAnswerListsAHundredErrorsAndCountsTheRest() throws Exception {
        StringBuilder job = new StringBuilder("{\"type\":\"echo\"");
        for (int i = 0; i < 5000; i++) {
            job.append(",\"f").append(i).append("\":0");
        }

        Answer answer = post("/api/jobs", job.append('}').toString());

        answer.isProblem(400);
        assertThat(answer.detail()).isEqualTo("5000 fields are invalid (the first 100 are listed)");
        assertThat(answer.json().getList("errors")).hasSize(100);
        assertThat(answer.json().getString("errors[99].field")).isEqualTo("f99");
    }

    @Test
    void queueLimitsAreReadUnderTheSameBounds() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(uri("/api/queues/default/limits"))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + Api.OPERATOR_TOKEN)
                .PUT(HttpRequest.BodyPublishers.ofString("{\"concurrency\":" + "[".repeat(70) + "]".repeat(70) + "}"))
                .build();

        Answer answer = Answer.of(HTTP.send(request, HttpResponse.BodyHandlers.ofString()));

        answer.isProblem(400);
        assertThat(answer.json().getString("errors[0].field")).isEmpty();
        assertThat(answer.json().getString("errors[0].message")).isEqualTo("the body is not valid JSON");
    }

    @Test
    void theApplicationsObjectMapperHasTheBounds() {
        assertThatThrownBy(() -> mapper.readTree("[".repeat(65) + "]".repeat(65)))
                .isInstanceOf(StreamConstraintsException.class).hasMessageContaining("(64");
        assertThatThrownBy(() -> mapper.readTree("1" + "0".repeat(100)))
                .isInstanceOf(StreamConstraintsException.class).hasMessageContaining("(100");
        assertThatThrownBy(() -> mapper.readTree("\"" + "x".repeat(65_537) + "\""))
                .isInstanceOf(StreamConstraintsException.class).hasMessageContaining("(65536");
    }

    private record Answer(int status, String contentType, String body) {

        static Answer of(HttpResponse<String> response) {
            return new Answer(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                    response.body());
        }

        JsonPath json() {
            return JsonPath.from(body);
        }

        String detail() {
            return json().getString("detail");
        }

        /** A problem document of this status that shows no stack trace. */
        void isProblem(int expected) {
            assertThat(status).as("status of %s", body).isEqualTo(expected);
            assertThat(contentType).startsWith(PROBLEM_JSON);
            assertThat(json().getInt("status")).isEqualTo(expected);
            assertThat(body).doesNotContain("Exception", "\tat ");
        }
    }

    private static Answer post(String path, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return Answer.of(HTTP.send(request, HttpResponse.BodyHandlers.ofString()));
    }

    private static URI uri(String path) {
        return URI.create("http://127.0.0.1:" + RestAssured.port + path);
    }
}
