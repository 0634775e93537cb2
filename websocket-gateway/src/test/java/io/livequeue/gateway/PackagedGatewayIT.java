package io.livequeue.gateway;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

import com.fasterxml.jackson.databind.JsonNode;
import io.livequeue.core.EventMessage;
import io.livequeue.core.JobEvent;
import io.livequeue.core.JobStatus;
import io.livequeue.testing.RedisTestResource;
import io.livequeue.testing.Resp;
import io.livequeue.testing.TestSocket;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.quarkus.test.junit.TestProfile;
import java.net.URI;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The packaged gateway (the jar here; the native executable when built with -Dnative): the page is served, a
 * socket gets its inbox, and an event published on Redis for that inbox arrives on it.
 */
@QuarkusIntegrationTest
@QuarkusTestResource(RedisTestResource.class)
@TestProfile(ProductionSettings.class)
class PackagedGatewayIT {

    @TestHTTPResource("/ws")
    URI socket;

    @Test
    void anEventForASocketsInboxArrivesOnIt() {
        try (TestSocket client = TestSocket.connect(socket.toString().replaceFirst("^http", "ws"))) {
            JsonNode welcome = client.next();
            String inbox = welcome.path("inbox").asText();
            String id = UUID.randomUUID().toString();
            String event = JobEvent.json(id, "echo", JobStatus.COMPLETED, 1, "{\"ok\":true}", null);

            Resp.call(RedisTestResource.current().port(), "PUBLISH", "livequeue:{jobs}:events",
                    EventMessage.format(3, id, JobStatus.COMPLETED, inbox, event));
            JsonNode delivered = client.nextMatching(frame -> id.equals(frame.path("id").asText()));

            assertThat(welcome.path("event").asText()).isEqualTo("welcome");
            assertThat(delivered.path("status").asText()).isEqualTo("completed");
            assertThat(delivered.path("result").path("ok").asBoolean()).isTrue();
        }
    }

    @Test
    void theDemoPageIsServed() {
        given().when().get("/").then().statusCode(200).body(containsString("<html"));
    }
}
