package io.livequeue.gateway;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.livequeue.testing.RedisTestResource;
import io.livequeue.testing.TestSocket;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The gateway's Prometheus meters at /q/metrics. */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
class MetricsTest {

    @TestHTTPResource("/")
    URI root;

    @Test
    void connectionsAreGaugedAndEveryMeterIsExported() {
        try (TestSocket socket = TestSocket.connect("ws://" + root.getHost() + ":" + root.getPort() + "/ws")) {
            assertThat(socket.next().path("event").asText()).isEqualTo("welcome");
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(metrics())
                    .contains("livequeue_gateway_connections 1.0"));
            assertThat(metrics()).contains("livequeue_gateway_watched_jobs ",
                    "livequeue_gateway_events_delivered_total ",
                    "livequeue_gateway_clients_closed_total{reason=\"slow\"} ",
                    "livequeue_gateway_clients_closed_total{reason=\"dead\"} ",
                    "livequeue_gateway_resubscriptions_total ");
            // an open socket holds no HTTP meter sample of its own (heap per idle socket): ours count it
            assertThat(metrics()).doesNotContain("uri=\"/ws\"");
            // other paths keep Quarkus's HTTP meters
            given().when().get("/api/config").then().statusCode(200);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(metrics())
                    .contains("http_server_requests_seconds_count{").contains("uri=\"/api/config\""));
        }
    }

    private static String metrics() {
        return given().when().get("/q/metrics").then().statusCode(200).extract().asString();
    }
}
