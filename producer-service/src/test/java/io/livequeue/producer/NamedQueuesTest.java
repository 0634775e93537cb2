package io.livequeue.producer;

import static io.livequeue.producer.Api.PROBLEM_JSON;
import static io.livequeue.producer.Api.asOperator;
import static io.livequeue.producer.Api.submit;
import static io.livequeue.producer.Api.submitBatch;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import io.livequeue.testing.RedisTestResource;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Named queues at the producer: where a job goes (its "queue", else its type's route, else default), what a queue may
 * be called, how many there may be, batches in one queue, max-waiting per queue, and the queue API operators use.
 */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
@TestProfile(NamedQueuesTest.Routes.class)
class NamedQueuesTest {

    /** sms goes to sms (or sms-bulk); 3 waiting jobs per queue. */
    public static class Routes implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("livequeue.queues.routes.sms", "sms,sms-bulk", "livequeue.queues.max", "20",
                    "livequeue.producer.max-waiting", "3");
        }
    }

    @Inject
    RedisDataSource redis;

    private static final String SMS = "{\"to\":\"+4915112345678\",\"message\":\"hi\"}";

    @Test
    void aJobNamingItsQueueGoesThereAndItsIdSaysSo() {
        String id = submit("{\"type\":\"echo\",\"queue\":\"reports\",\"payload\":{\"n\":1}}").then().statusCode(202)
                .body("id", startsWith("reports~")).body("queue", equalTo("reports"))
                .header("Location", containsString("/api/jobs/reports~"))
                .extract().path("id");

        given().when().get("/api/jobs/" + id).then().statusCode(200).body("id", equalTo(id))
                .body("queue", equalTo("reports")).body("status", equalTo("queued"));
        assertThat(redis.key().exists("livequeue:{q:reports}:job:" + id)).isTrue();
        assertThat(redis.key().exists("livequeue:{jobs}:job:" + id)).isFalse();
        assertThat(redis.list(String.class).lrange("livequeue:{q:reports}:pending:normal", 0, -1)).contains(id);
    }

    @Test
    void aJobWithoutQueueKeepsAPlainUuidInDefault() {
        String id = submit("{\"type\":\"echo\"}").then().statusCode(202).body("queue", equalTo("default"))
                .extract().path("id");

        assertThat(UUID.fromString(id).toString()).isEqualTo(id);
        assertThat(redis.key().exists("livequeue:{jobs}:job:" + id)).isTrue();
    }

    @Test
    void aRoutedTypeGoesToItsFirstQueueOrToAnotherOfItsOwn() {
        submit("{\"type\":\"sms\",\"payload\":" + SMS + "}").then().statusCode(202).body("queue", equalTo("sms"))
                .body("id", startsWith("sms~"));
        submit("{\"type\":\"sms\",\"queue\":\"sms-bulk\",\"payload\":" + SMS + "}").then().statusCode(202)
                .body("queue", equalTo("sms-bulk"));
    }

    @Test
    void aRoutedTypeSentToAQueueNotItsOwnIsRefused() {
        submit("{\"type\":\"sms\",\"queue\":\"default\",\"payload\":" + SMS + "}").then().statusCode(400)
                .contentType(PROBLEM_JSON).body("errors[0].field", equalTo("queue"))
                .body("errors[0].message", containsString("sms or sms-bulk"));
    }

    @Test
    void aMalformedQueueNameIsRefusedSayingWhatANameMayBe() {
        int keys = redis.key().keys("livequeue:*").size();
        for (String bad : new String[] {"\"\"", "\"a b\"", "\"" + "q".repeat(65) + "\"", "\"x{y}\"", "\"a~b\"", "7"}) {
            submit("{\"type\":\"echo\",\"queue\":" + bad + "}").then().statusCode(400).contentType(PROBLEM_JSON)
                    .body("errors[0].field", equalTo("queue"))
                    .body("errors[0].message", containsString("1 to 64 of the characters A-Z a-z 0-9 _ . -"));
        }
        assertThat(redis.key().keys("livequeue:*")).hasSize(keys);
    }

    @Test
    void aBatchGoesToOneQueue() {
        submitBatch("{\"queue\":\"bulk\",\"jobs\":[{\"type\":\"echo\"},{\"type\":\"echo\",\"queue\":\"bulk\"}]}")
                .then().statusCode(202).body("jobs.queue", hasItem("bulk")).body("jobs[1].id", startsWith("bulk~"));

        submitBatch("{\"jobs\":[{\"type\":\"echo\",\"queue\":\"one\"},{\"type\":\"echo\",\"queue\":\"two\"}]}")
                .then().statusCode(400).contentType(PROBLEM_JSON).body("errors[0].field", equalTo("jobs[1].queue"))
                .body("errors[0].message", containsString("a batch goes to one queue"));
        assertThat(redis.key().keys("livequeue:{q:one}:*")).isEmpty();
    }

    @Test
    void maxWaitingCountsPerQueue() {
        for (int i = 0; i < 3; i++) {
            submit("{\"type\":\"echo\",\"queue\":\"full\"}").then().statusCode(202);
        }
        submit("{\"type\":\"echo\",\"queue\":\"full\"}").then().statusCode(429);
        submit("{\"type\":\"echo\",\"queue\":\"roomy\"}").then().statusCode(202);
    }

    @Test
    void theQueueApiListsQueuesAndOperatorsPauseResumeAndLimitThem() {
        submit("{\"type\":\"echo\",\"queue\":\"ops\",\"priority\":\"high\"}").then().statusCode(202);

        given().when().get("/api/queues").then().statusCode(200)
                .body("queues.default.name", equalTo("default"))
                .body("queues.ops.priorities.high.waiting", equalTo(1)).body("queues.ops.waiting", equalTo(1))
                .body("queues.ops.paused", equalTo(false)).body("queues.ops.rate", nullValue());
        given().when().get("/api/queues/ops").then().statusCode(200).body("name", equalTo("ops"));
        given().when().get("/api/queues/never-used").then().statusCode(404).contentType(PROBLEM_JSON);
        given().when().get("/api/queues/bad name").then().statusCode(400).contentType(PROBLEM_JSON);

        given().when().post("/api/queues/ops/pause").then().statusCode(401).contentType(PROBLEM_JSON);
        asOperator().when().post("/api/queues/ops/pause").then().statusCode(200).body("paused", equalTo(true));
        given().when().get("/api/queues/ops").then().body("paused", equalTo(true));
        asOperator().when().post("/api/queues/ops/resume").then().statusCode(200).body("paused", equalTo(false));

        asOperator().contentType("application/json").body("{\"concurrency\":3,\"rate\":10,\"period\":\"PT1S\"}")
                .when().put("/api/queues/ops/limits").then().statusCode(200)
                .body("concurrency", equalTo(3)).body("rate", equalTo(10)).body("period", equalTo("PT1S"));
        asOperator().contentType("application/json").body("{\"concurrency\":-1,\"rate\":\"x\",\"burst\":1}")
                .when().put("/api/queues/ops/limits").then().statusCode(400).contentType(PROBLEM_JSON)
                .body("errors.field", hasItem("concurrency")).body("errors.field", hasItem("rate"))
                .body("errors.field", hasItem("burst"));
        asOperator().contentType("application/json").body("{}").when().put("/api/queues/ops/limits").then()
                .statusCode(200).body("concurrency", nullValue()).body("rate", nullValue());
    }
}
