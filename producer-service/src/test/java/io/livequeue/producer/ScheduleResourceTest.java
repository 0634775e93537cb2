package io.livequeue.producer;

import static io.livequeue.producer.Api.PROBLEM_JSON;
import static io.livequeue.producer.Api.asOperator;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import io.livequeue.testing.RedisTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code /api/schedules}: operators create, list, read, replace, pause, resume and delete recurring schedules; every
 * broken field of a body is listed in one 400 (its job template checked by the submit's own rules, prefixed
 * {@code job.}); a taken name is 409; hostile bodies get 400 or 413, never a 500; no operator token, no access.
 */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
class ScheduleResourceTest {

    private static final String DIGEST = "{\"name\":\"digest\",\"cron\":\"30 2 * * *\",\"zone\":\"Europe/Berlin\","
            + "\"job\":{\"type\":\"echo\",\"payload\":{\"amount\":1.10,\"big\":12345678901234567890},"
            + "\"priority\":\"high\",\"maxAttempts\":5}}";

    @Inject
    RedisProbe redis;

    @BeforeEach
    void emptyRedis() {
        redis.flush();
    }

    @Test
    void createAnswers201WithLocationAndTheScheduleWithItsNextRun() {
        JsonPath created = post(DIGEST).then().statusCode(201)
                .header("Location", endsWith("/api/schedules/digest"))
                .body("name", equalTo("digest")).body("cron", equalTo("30 2 * * *"))
                .body("zone", equalTo("Europe/Berlin")).body("every", nullValue())
                .body("overlap", equalTo("allow")).body("missed", equalTo("run-once"))
                .body("paused", equalTo(false)).body("gen", equalTo(1))
                .body("job.type", equalTo("echo")).body("job.queue", equalTo("default"))
                .body("job.priority", equalTo("high")).body("job.maxAttempts", equalTo(5))
                .body("lastRun", nullValue()).body("lastJob", nullValue())
                .extract().jsonPath();

        Instant next = Instant.parse(created.getString("nextRunAt"));
        assertThat(next.toEpochMilli()).isEqualTo(created.getLong("nextRunAtMs"));
        assertThat(next).isAfter(Instant.now().minusSeconds(5)).isBefore(Instant.now().plusSeconds(86_400 + 3_600));
        assertThat(next.atZone(java.time.ZoneId.of("Europe/Berlin")).toLocalTime()).hasToString("02:30");
        String raw = asOperator().when().get("/api/schedules/digest").then().statusCode(200).extract().asString();
        assertThat(raw).as("the payload exactly as sent")
                .contains("\"payload\":{\"amount\":1.10,\"big\":12345678901234567890}");
    }

    @Test
    void aTakenNameIs409() {
        post(DIGEST).then().statusCode(201);

        post(DIGEST).then().statusCode(409).contentType(PROBLEM_JSON)
                .body("type", equalTo("urn:livequeue:problem:schedule-exists"));
    }

    @Test
    void listGetPutPauseResumeDelete() {
        post(DIGEST).then().statusCode(201);
        post("{\"name\":\"pulse\",\"every\":\"PT10S\",\"job\":{\"type\":\"sleep\",\"payload\":{\"ms\":1},"
                + "\"queue\":\"reports\"},\"overlap\":\"skip\",\"missed\":\"skip\"}").then().statusCode(201)
                .body("job.queue", equalTo("reports"));

        JsonPath list = asOperator().when().get("/api/schedules").then().statusCode(200).extract().jsonPath();
        assertThat(list.getList("schedules.name")).containsExactly("digest", "pulse");
        assertThat(list.getList("schedules.nextRunAt")).doesNotContainNull();
        assertThat(list.getList("schedules.nextRunAtMs")).doesNotContainNull();
        assertThat(list.getList("schedules.paused")).containsOnly(false);
        given().when().get("/api/queues").then().statusCode(200).body("queues.reports", notNullValue());

        put("pulse", "{\"every\":\"PT1M\",\"job\":{\"type\":\"echo\"}}").then().statusCode(200)
                .body("gen", equalTo(2)).body("every", equalTo("PT1M")).body("overlap", equalTo("allow"))
                .body("job.queue", equalTo("default"));
        put("fresh", "{\"name\":\"fresh\",\"every\":\"PT1H\",\"job\":{\"type\":\"echo\"}}").then().statusCode(201)
                .header("Location", endsWith("/api/schedules/fresh")).body("gen", equalTo(1));

        asOperator().when().post("/api/schedules/pulse/pause").then().statusCode(200)
                .body("paused", equalTo(true)).body("nextRunAt", nullValue());
        asOperator().when().post("/api/schedules/pulse/resume").then().statusCode(200)
                .body("paused", equalTo(false)).body("nextRunAt", notNullValue());

        asOperator().when().delete("/api/schedules/pulse").then().statusCode(204);
        asOperator().when().delete("/api/schedules/pulse").then().statusCode(404).contentType(PROBLEM_JSON)
                .body("type", equalTo("urn:livequeue:problem:schedule-not-found"));
        asOperator().when().get("/api/schedules/pulse").then().statusCode(404);
        asOperator().when().post("/api/schedules/pulse/pause").then().statusCode(404);
        asOperator().when().post("/api/schedules/pulse/resume").then().statusCode(404);
        asOperator().when().get("/api/schedules/not%20a%20name").then().statusCode(404);
        assertThat(asOperator().when().get("/api/schedules").then().extract().jsonPath()
                .getList("schedules.name")).containsExactly("digest", "fresh");
    }

    @Test
    void everyBrokenFieldIsListedIn400() {
        Map<String, String> errors = errors(post("{\"name\":\"a b\",\"cron\":\"61 * * * *\",\"every\":\"PT0.1S\","
                + "\"zone\":\"Mars/Olympus\",\"overlap\":\"never\",\"missed\":\"always\",\"color\":\"red\","
                + "\"job\":{\"type\":\"teleport\",\"maxAttempts\":99,\"extra\":1}}"));

        assertThat(errors).containsOnlyKeys("name", "every", "cron", "zone", "overlap", "missed", "color", "job.type",
                "job.maxAttempts", "job.extra");
        assertThat(errors.get("cron")).contains("61");
        assertThat(errors.get("every")).contains("not both");
    }

    @Test
    void badValuesEachGetTheirOwnMessage() {
        assertThat(errors(post("{\"name\":\"x\",\"cron\":\"61 * * * *\",\"job\":{\"type\":\"echo\"}}")))
                .containsOnlyKeys("cron").extractingByKey("cron").asString().contains("Value 61 not in range");
        assertThat(errors(post("{\"name\":\"x\",\"cron\":\"* * *\",\"job\":{\"type\":\"echo\"}}")))
                .extractingByKey("cron").asString().contains("3 fields");
        assertThat(errors(post("{\"name\":\"x\",\"cron\":\"* * * * *\",\"zone\":\"Berlin\",\"job\":{\"type\":\"echo\"}}")))
                .containsOnlyKeys("zone");
        assertThat(errors(post("{\"name\":\"x\",\"cron\":\"* * * * *\",\"every\":\"PT1M\",\"job\":{\"type\":\"echo\"}}")))
                .containsOnlyKeys("every");
        assertThat(errors(post("{\"name\":\"x\",\"job\":{\"type\":\"echo\"}}"))).containsOnlyKeys("cron");
        assertThat(errors(post("{\"name\":\"x\",\"every\":\"P400D\",\"job\":{\"type\":\"echo\"}}")))
                .containsOnlyKeys("every");
        assertThat(errors(post("{\"name\":\"x\",\"every\":60,\"job\":{\"type\":\"echo\"}}"))).containsOnlyKeys("every");
        assertThat(errors(post("{\"name\":\"x\",\"every\":\"PT1M\"}"))).containsOnlyKeys("job");
        assertThat(errors(post("{\"name\":\"x\",\"every\":\"PT1M\",\"job\":{\"type\":\"echo\",\"delay\":5,"
                + "\"runAt\":\"2030-01-01T00:00:00Z\",\"expiresAt\":\"2030-01-01T00:00:00Z\"}}")))
                .containsOnlyKeys("job.delay", "job.runAt", "job.expiresAt");
        assertThat(errors(post("{\"name\":\"x\",\"every\":\"PT1M\",\"job\":{\"type\":\"echo\",\"replyTo\":\"no\","
                + "\"priority\":\"urgent\",\"payload\":{\"a\":1,\"a\":2}}}"))).as("a duplicate inside the payload")
                .containsOnlyKeys("job");
        assertThat(errors(put("x", "{\"name\":\"y\",\"every\":\"PT1M\",\"job\":{\"type\":\"echo\"}}")))
                .containsOnlyKeys("name");
        assertThat(errors(post("{\"name\":\"x\",\"every\":\"PT1M\",\"job\":{\"type\":\"echo\"},\"job\":{}}")))
                .containsOnlyKeys("");
        assertThat(redis.jobKeys()).isZero();
        assertThat(asOperator().when().get("/api/schedules").then().extract().jsonPath().getList("schedules"))
                .isEmpty();
    }

    @Test
    void hostileBodiesGet400Or413NeverA500() {
        String deep = "{\"name\":\"x\",\"every\":\"PT1M\",\"job\":{\"type\":\"echo\",\"payload\":" + "[".repeat(40)
                + "]".repeat(40) + "}}";
        String huge = "{\"name\":\"x\",\"every\":\"PT1M\",\"job\":{\"type\":\"echo\",\"payload\":{\"s\":\""
                + "a".repeat(60_000) + "\",\"t\":\"" + "b".repeat(10_000) + "\"}}}";
        for (String body : List.of("", "[]", "null", "{", "{\"name\":\"x\"} trailing", deep,
                "{\"name\":\"x\",\"every\":\"PT1M\",\"job\":{\"type\":\"echo\",\"payload\":1" + "0".repeat(200) + "}}",
                "{\"name\":\"x\",\"cron\":\"" + "*".repeat(5_000) + "\",\"job\":{\"type\":\"echo\"}}",
                "{\"name\":\"x\",\"cron\":\"L W # ? * *\",\"job\":{\"type\":\"echo\"}}",
                "{\"name\":\"x\",\"cron\":\"1-99999999999999999999 * * * *\",\"job\":{\"type\":\"echo\"}}",
                "{\"name\":\"x\",\"every\":\"PT99999999999999999999S\",\"job\":{\"type\":\"echo\"}}",
                "{\"name\":\"x\",\"every\":\"PT1M\",\"zone\":\"" + "A/".repeat(500) + "\",\"job\":{\"type\":\"echo\"}}",
                "{\"name\":\"x\",\"every\":\"PT1M\",\"job\":[1,2]}")) {
            int status = post(body).then().extract().statusCode();
            assertThat(status).as(body.length() > 200 ? body.substring(0, 200) : body).isEqualTo(400);
        }
        post(huge).then().statusCode(413).contentType(PROBLEM_JSON);
        asOperator().contentType("text/plain").body(DIGEST).when().post("/api/schedules").then().statusCode(415);
    }

    @Test
    void everyEndpointNeedsTheOperator() {
        List<Function<RequestSpecification, Response>> calls = List.of(
                r -> r.get("/api/schedules"),
                r -> r.get("/api/schedules/digest"),
                r -> r.contentType(ContentType.JSON).body(DIGEST).post("/api/schedules"),
                r -> r.contentType(ContentType.JSON).body(DIGEST).put("/api/schedules/digest"),
                r -> r.delete("/api/schedules/digest"),
                r -> r.post("/api/schedules/digest/pause"),
                r -> r.post("/api/schedules/digest/resume"));
        for (var call : calls) {
            call.apply(given().when()).then().statusCode(401).contentType(PROBLEM_JSON);
            call.apply(given().header("Authorization", "Bearer wrong").when()).then().statusCode(401);
        }
        assertThat(asOperator().when().get("/api/schedules").then().extract().jsonPath().getList("schedules"))
                .isEmpty();
    }

    private static Response post(String body) {
        return asOperator().contentType(ContentType.JSON).body(body).when().post("/api/schedules");
    }

    private static Response put(String name, String body) {
        return asOperator().contentType(ContentType.JSON).body(body).when().put("/api/schedules/" + name);
    }

    /** The field errors of a 400 problem, by field. */
    private static Map<String, String> errors(Response response) {
        JsonPath problem = response.then().statusCode(400).contentType(PROBLEM_JSON)
                .body("type", equalTo("urn:livequeue:problem:invalid-schedule")).extract().jsonPath();
        List<Map<String, String>> errors = problem.getList("errors");
        return errors.stream().collect(Collectors.toMap(e -> e.get("field"), e -> e.get("message"), (a, b) -> a));
    }
}
