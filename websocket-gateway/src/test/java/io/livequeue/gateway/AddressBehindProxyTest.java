package io.livequeue.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.livequeue.gateway.socket.ClientRegistry;
import io.livequeue.testing.RedisTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The per-address cap behind a reverse proxy, configured as application.properties says: with
 * {@code quarkus.http.proxy.*} trusting the proxy at 127.0.0.2, the client address its X-Forwarded-For names is the one
 * counted; the same header from any other peer (127.0.0.3) is ignored, so that peer is counted as itself.
 */
@QuarkusTest
@TestProfile(AddressBehindProxyTest.TrustedProxy.class)
@QuarkusTestResource(RedisTestResource.class)
class AddressBehindProxyTest {

    private static final String PROXY = "127.0.0.2";
    private static final String STRANGER = "127.0.0.3";

    /** Two sockets per address; X-Forwarded-For trusted from 127.0.0.2 only. */
    public static class TrustedProxy implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("livequeue.gateway.max-connections-per-address", "2",
                    "quarkus.http.proxy.proxy-address-forwarding", "true",
                    "quarkus.http.proxy.allow-x-forwarded", "true",
                    "quarkus.http.proxy.trusted-proxies", PROXY);
        }
    }

    @TestHTTPResource("/")
    URI root;

    @Inject
    ClientRegistry registry;

    @Test
    void clientsBehindTheTrustedProxyAreCountedByTheirForwardedAddressAndNobodyElsesHeaderIsBelieved()
            throws IOException {
        await().atMost(Duration.ofSeconds(15)).until(() -> registry.connections() == 0);
        List<RawWebSocket> sockets = new ArrayList<>();
        try {
            for (String client : List.of("198.51.100.1", "198.51.100.1", "198.51.100.2", "198.51.100.2")) {
                sockets.add(welcomed(RawWebSocket.openFrom(root, "/ws", PROXY, forwardedFor(client))));
            }
            assertThat(registry.connectionsFrom("198.51.100.1")).isEqualTo(2);
            assertThat(registry.connectionsFrom("198.51.100.2")).isEqualTo(2);
            assertThat(registry.connectionsFrom(PROXY)).isZero();
            assertThat(RawWebSocket.upgradeStatusFrom(root, "/ws", PROXY, forwardedFor("198.51.100.1")))
                    .isEqualTo(429);

            for (int i = 0; i < 2; i++) {
                sockets.add(welcomed(RawWebSocket.openFrom(root, "/ws", STRANGER, forwardedFor("198.51.100.9" + i))));
            }
            assertThat(registry.connectionsFrom(STRANGER)).as("an untrusted peer's header is ignored").isEqualTo(2);
            assertThat(RawWebSocket.upgradeStatusFrom(root, "/ws", STRANGER, forwardedFor("198.51.100.99")))
                    .isEqualTo(429);
        } finally {
            for (RawWebSocket socket : sockets) {
                socket.close();
            }
        }
    }

    private static String forwardedFor(String client) {
        return "X-Forwarded-For: " + client + "\r\n";
    }

    private static RawWebSocket welcomed(RawWebSocket socket) throws IOException {
        assertThat(socket.readIgnoringPings()).startsWith("text {\"event\":\"welcome\"");
        return socket;
    }
}
