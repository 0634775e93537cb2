package io.livequeue.producer;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;

import io.livequeue.testing.RedisTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Prometheus metrics at /q/metrics, the OpenAPI document at /q/openapi and Swagger UI at /q/swagger-ui. */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
class MetricsAndOpenApiTest {

    private static final String SUBMITTED = "livequeue_jobs_submitted_total{priority=\"high\",queue=\"default\",type=\"echo\"}";
    private static final String HIGH_WAITING = "livequeue_queue_jobs{priority=\"high\",queue=\"default\",state=\"waiting\"}";

    @Inject
    RedisProbe redis;

    @Test
    void submittedJobsAreCountedOnceAndQueueDepthIsExported() {
        redis.flush();
        double before = value(metrics(), SUBMITTED);
        String job = "{\"type\":\"echo\",\"priority\":\"high\",\"payload\":{}}";
        for (int i = 0; i < 2; i++) { // the second is a replay: not counted
            given().contentType(ContentType.JSON).header("Idempotency-Key", "metrics-test").body(job)
                    .when().post("/api/jobs").then().statusCode(202);
        }

        String text = metrics();
        assertThat(value(text, SUBMITTED) - (Double.isNaN(before) ? 0 : before)).isEqualTo(1.0);
        assertThat(text).contains("livequeue_queue_jobs{priority=\"low\",queue=\"default\",state=\"dead\"}");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(value(metrics(), HIGH_WAITING))
                .isEqualTo(1.0));
    }

    @Test
    void openApiDocumentsTheApiAndSwaggerUiIsServed() {
        given().when().get("/q/openapi").then().statusCode(200)
                .body(containsString("/api/jobs"), containsString("/api/dead"), containsString("/api/queues"),
                        containsString("application/problem+json"), containsString("Idempotency-Key"));
        given().when().get("/q/swagger-ui/").then().statusCode(200);
    }

    private static String metrics() {
        return given().when().get("/q/metrics").then().statusCode(200).extract().asString();
    }

    /** The sample's value, or NaN when the series is not there (yet). */
    private static double value(String text, String series) {
        Matcher m = Pattern.compile("^" + Pattern.quote(series) + " (\\S+)$", Pattern.MULTILINE).matcher(text);
        return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
    }
}
