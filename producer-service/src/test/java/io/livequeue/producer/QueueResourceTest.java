package io.livequeue.producer;

import static io.livequeue.producer.Api.batchOf;
import static io.livequeue.producer.Api.submit;
import static io.livequeue.producer.Api.submitBatch;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.livequeue.core.Priority;
import io.livequeue.core.rdb.QueueCounts;
import io.livequeue.testing.RedisTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** GET /api/queues: waiting, active and dead counts per priority. */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
class QueueResourceTest {

    @Inject
    RedisProbe redis;

    @BeforeEach
    void emptyRedis() {
        redis.flush();
    }

    @Test
    void emptyRedisShowsZeroForEveryPriorityHighFirst() {
        String json = given().when().get("/api/queues").then().statusCode(200).contentType("application/json")
                .body("high.waiting", equalTo(0)).body("high.active", equalTo(0)).body("high.dead", equalTo(0))
                .body("normal.waiting", equalTo(0)).body("normal.active", equalTo(0)).body("normal.dead", equalTo(0))
                .body("low.waiting", equalTo(0)).body("low.active", equalTo(0)).body("low.dead", equalTo(0))
                .extract().asString();

        // the original shape first (all queues together, per priority), then each queue by name
        assertThat(json).startsWith("{\"high\":{\"waiting\":0,\"active\":0,\"dead\":0},"
                + "\"normal\":{\"waiting\":0,\"active\":0,\"dead\":0},"
                + "\"low\":{\"waiting\":0,\"active\":0,\"dead\":0},\"queues\":{\"default\":{\"name\":\"default\",");
    }

    @Test
    void countsFollowTheSubmittedPriorities() {
        submit("{\"type\":\"echo\",\"priority\":\"high\"}").then().statusCode(202);
        submit("{\"type\":\"echo\",\"priority\":\"high\"}").then().statusCode(202);
        submit("{\"type\":\"echo\"}").then().statusCode(202);
        submit("{\"type\":\"echo\",\"priority\":\"normal\"}").then().statusCode(202);
        submit("{\"type\":\"echo\",\"priority\":\"low\"}").then().statusCode(202);
        submitBatch(batchOf(4, "{\"type\":\"sleep\",\"priority\":\"low\"}")).then().statusCode(202);

        given().when().get("/api/queues").then().statusCode(200)
                .body("high.waiting", equalTo(2))
                .body("normal.waiting", equalTo(2))
                .body("low.waiting", equalTo(5))
                .body("high.active", equalTo(0)).body("normal.active", equalTo(0)).body("low.active", equalTo(0))
                .body("high.dead", equalTo(0)).body("normal.dead", equalTo(0)).body("low.dead", equalTo(0));
    }

    @Test
    void answerMatchesWhatTheJobStoreCounts() {
        submitBatch(batchOf(3, "{\"type\":\"echo\",\"priority\":\"high\"}")).then().statusCode(202);
        submit("{\"type\":\"echo\",\"priority\":\"low\"}").then().statusCode(202);

        Map<String, Map<String, Integer>> answer = given().when().get("/api/queues").then().statusCode(200)
                .extract().jsonPath().getMap("");

        assertThat(answer).containsOnlyKeys("high", "normal", "low", "queues");
        Map<Priority, QueueCounts> stored = redis.counts();
        for (Priority p : List.of(Priority.HIGH, Priority.NORMAL, Priority.LOW)) {
            assertThat(answer.get(p.wireName())).containsExactlyInAnyOrderEntriesOf(Map.of(
                    "waiting", (int) stored.get(p).waiting(),
                    "active", (int) stored.get(p).active(),
                    "dead", (int) stored.get(p).dead()));
        }
        assertThat(stored.get(Priority.HIGH).waiting()).isEqualTo(3);
        assertThat(stored.get(Priority.LOW).waiting()).isEqualTo(1);
    }
}
