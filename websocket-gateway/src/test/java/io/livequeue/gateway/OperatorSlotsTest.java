package io.livequeue.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.livequeue.gateway.dashboard.Operators;
import io.livequeue.testing.RedisTestResource;
import io.livequeue.testing.TestSocket;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The two kinds of dashboard slots at small sizes: operators beyond theirs are refused (1013) while anonymous sockets
 * come and go; a newer anonymous socket takes the oldest one's slot; a full gateway does not keep operators out.
 */
@QuarkusTest
@TestProfile(OperatorSlotsTest.FewSlots.class)
@QuarkusTestResource(RedisTestResource.class)
class OperatorSlotsTest {

    /** Two operators, two anonymous sockets, and a gateway full with a single client socket. */
    public static class FewSlots implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("livequeue.gateway.dashboard.max-operators", "2",
                    "livequeue.gateway.dashboard.max-unauthenticated", "2",
                    "livequeue.gateway.max-connections", "1");
        }
    }

    @TestHTTPResource("/")
    URI root;

    @Inject
    Operators operators;

    @Test
    void aThirdOperatorIsRefusedAndAnonymousSocketsTakeTheOldestOnesSlot() throws Exception {
        try (TestSocket client = TestSocket.connect(ws("/ws")); TestSocket one = operator();
                TestSocket two = operator()) {
            assertThat(client.next().path("event").asText()).isEqualTo("welcome");
            assertThat(one.next().path("event").asText()).as("the gateway is full of clients").isEqualTo("snapshot");
            assertThat(two.next().path("event").asText()).isEqualTo("snapshot");

            try (TestSocket three = operator()) {
                JsonNode refused = three.nextMatching(m -> m.path("event").asText().equals("error"));
                assertThat(refused.path("code").asText()).isEqualTo("too-many-operators");
                assertThat(three.closeCode().get(10, TimeUnit.SECONDS)).isEqualTo(1013);
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> operators.unauthenticated() == 0);

            try (TestSocket a = TestSocket.connect(ws("/dashboard/ws"));
                    TestSocket b = TestSocket.connect(ws("/dashboard/ws"))) {
                await().atMost(Duration.ofSeconds(5)).until(() -> operators.unauthenticated() == 2);
                try (TestSocket c = TestSocket.connect(ws("/dashboard/ws"))) {
                    JsonNode displaced = a.next();
                    assertThat(displaced.path("code").asText()).isEqualTo("unauthorized");
                    assertThat(a.closeCode().get(10, TimeUnit.SECONDS)).isEqualTo(1008);
                    assertThat(b.isOpen()).isTrue();
                    assertThat(c.isOpen()).isTrue();
                    assertThat(operators.unauthenticated()).isEqualTo(2);
                }
            }
            assertThat(operators.authenticated()).isEqualTo(2);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> operators.authenticated() == 0);
        try (TestSocket again = operator()) {
            assertThat(again.next().path("event").asText()).as("a slot freed by a closed operator")
                    .isEqualTo("snapshot");
        }
    }

    private TestSocket operator() {
        return TestSocket.connect(ws("/dashboard/ws"))
                .send("{\"type\":\"hello\",\"token\":\"" + OperatorFixture.TOKEN + "\"}");
    }

    private String ws(String path) {
        return "ws://" + root.getHost() + ":" + root.getPort() + path;
    }
}
