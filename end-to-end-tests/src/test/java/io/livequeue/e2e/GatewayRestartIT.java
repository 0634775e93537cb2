package io.livequeue.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.livequeue.testing.TestSocket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A gateway stopped with SIGTERM and started again on the same port, as seen by a plain WebSocket client. */
class GatewayRestartIT {

    @Test
    void jobThatFinishedWhileTheGatewayWasDownIsShownAfterItsRestart() {
        try (LiveStack stack = LiveStack.start("gateway-restart", 1)) {
            String owner;
            String id;
            String token;
            try (TestSocket before = TestSocket.connect(stack.gatewaySocket("/ws"))) {
                owner = before.next().path("inbox").asText();
                Rest.Answer submitted = Rest.post(stack.producer() + "/api/jobs", "{\"type\":\"sleep\",\"payload\":"
                        + "{\"ms\":1500},\"replyTo\":\"" + owner + "\"}");
                assertThat(submitted.status()).isEqualTo(202);
                id = submitted.body().path("id").asText();
                token = submitted.body().path("token").asText();
                before.nextMatching(e -> id.equals(e.path("id").asText())
                        && "active".equals(e.path("status").asText()));

                stack.gatewayProcess().terminate(Duration.ofSeconds(15));
                assertThat(stack.gatewayProcess().isAlive()).isFalse();
            }
            await("job completed while the gateway is down").atMost(Duration.ofSeconds(15)).untilAsserted(() ->
                    assertThat(Rest.get(stack.producer() + "/api/jobs/" + id).body().path("status").asText())
                            .isEqualTo("completed"));
            stack.gatewayProcess().startAgain();

            try (TestSocket socket = TestSocket.connect(stack.gatewaySocket("/ws"))) {
                assertThat(socket.next().path("inbox").asText()).as("a fresh inbox").isNotEqualTo(owner);
                socket.send("{\"op\":\"subscribe\",\"job\":\"" + id + "\",\"token\":\"" + token + "\"}");
                assertThat(socket.next().path("event").asText()).isEqualTo("subscribed");
                JsonNode state = socket.next();
                assertThat(state.path("event").asText()).isEqualTo("job");
                assertThat(state.path("id").asText()).isEqualTo(id);
                assertThat(state.path("status").asText()).isEqualTo("completed");
                assertThat(state.path("attempts").asInt()).isEqualTo(1);
                assertThat(state.path("result").path("slept").asInt()).isEqualTo(1500);
            }
        }
    }

    @Test
    void stoppingGatewayClosesItsSocketsWithGoingAway() throws Exception {
        try (LiveStack stack = LiveStack.start("gateway-going-away", 0);
                TestSocket socket = TestSocket.connect(stack.gatewaySocket("/ws"))) {
            assertThat(socket.next().path("event").asText()).isEqualTo("welcome");

            stack.gatewayProcess().terminate(Duration.ofSeconds(15));

            assertThat(socket.closeCode().get(10, TimeUnit.SECONDS)).as("close code").isEqualTo(1001);
        }
    }
}
