package io.livequeue.producer;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.livequeue.testing.RedisTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** CORS: the demo page's origin (http://localhost:8080) may call the API from a browser, other origins may not. */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
class CorsTest {

    private static final String DEMO_ORIGIN = "http://localhost:8080";
    private static final String EVIL_ORIGIN = "http://evil.example";

    @Inject
    RedisProbe redis;

    @BeforeEach
    void emptyRedis() {
        redis.flush();
    }

    @Test
    void preflightFromTheDemoOriginIsAllowed() {
        Response response = preflight(DEMO_ORIGIN);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.header("Access-Control-Allow-Origin")).isEqualTo(DEMO_ORIGIN);
        assertThat(response.header("Access-Control-Allow-Methods")).contains("POST");
        assertThat(response.header("Access-Control-Allow-Headers")).containsIgnoringCase("content-type");
        assertThat(response.header("Access-Control-Expose-Headers")).contains("Location");
        assertThat(redis.jobKeys()).isZero();
    }

    @Test
    void submitFromTheDemoOriginExposesLocation() {
        Response response = given().header("Origin", DEMO_ORIGIN).contentType(ContentType.JSON)
                .body("{\"type\":\"echo\"}").when().post("/api/jobs");

        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(response.header("Access-Control-Allow-Origin")).isEqualTo(DEMO_ORIGIN);
        assertThat(response.header("Access-Control-Expose-Headers")).contains("Location");
        assertThat(redis.jobKeys()).isEqualTo(1);
    }

    @Test
    void preflightFromAnotherOriginIsNotAllowed() {
        Response response = preflight(EVIL_ORIGIN);

        assertThat(response.header("Access-Control-Allow-Origin")).isNull();
        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(redis.jobKeys()).isZero();
    }

    private static Response preflight(String origin) {
        return given().header("Origin", origin)
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "content-type")
                .when().options("/api/jobs");
    }
}
