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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * CORS by default: pages on this machine (the demo page on http://localhost:8080, dev servers such as Vite's on :5173)
 * may call the API from a browser, other origins may not.
 */
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

    @ParameterizedTest
    @ValueSource(strings = {"http://localhost:5173", "http://127.0.0.1:5173", "http://localhost:3000",
            "http://127.0.0.1:3000", "https://localhost:8443", "http://127.0.0.1:8080", "http://localhost"})
    void preflightFromALoopbackDevServerIsAllowed(String origin) {
        Response response = preflight(origin, "content-type,idempotency-key");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.header("Access-Control-Allow-Origin")).isEqualTo(origin);
        assertThat(response.header("Access-Control-Allow-Headers")).containsIgnoringCase("idempotency-key");
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://localhost.evil.example:5173", "http://127.0.0.1.evil.example",
            "http://evil.example/http://localhost:5173", "http://127.0.0.2:5173", "http://127a0b0c1:5173",
            "http://192.168.1.20:5173", "http://localhost:5173.evil.example"})
    void preflightFromLookAlikesOfLoopbackIsNotAllowed(String origin) {
        Response response = preflight(origin, "content-type");

        assertThat(response.header("Access-Control-Allow-Origin")).isNull();
        assertThat(response.statusCode()).isEqualTo(403);
    }

    private static Response preflight(String origin) {
        return preflight(origin, "content-type");
    }

    private static Response preflight(String origin, String headers) {
        return given().header("Origin", origin)
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", headers)
                .when().options("/api/jobs");
    }
}
