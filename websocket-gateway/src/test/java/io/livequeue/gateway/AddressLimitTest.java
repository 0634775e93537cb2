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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The per-address cap: sockets from one address over it are refused (429 at the upgrade, 1013 when many race past
 * the check), sockets from other addresses are still let in, a closed socket gives its slot back, and a client cannot
 * dodge the cap with an X-Forwarded-For header of its own (the gateway trusts no proxy unless told to). Clients of
 * different addresses are loopback sockets bound to 127.0.0.2, 127.0.0.3, ….
 */
@QuarkusTest
@TestProfile(AddressLimitTest.ThreePerAddress.class)
@QuarkusTestResource(RedisTestResource.class)
class AddressLimitTest {

    /** Three sockets per address, ten in all. */
    public static class ThreePerAddress implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("livequeue.gateway.max-connections-per-address", "3",
                    "livequeue.gateway.max-connections", "10");
        }
    }

    private static final String A = "127.0.0.2";
    private static final String B = "127.0.0.3";

    @TestHTTPResource("/")
    URI root;

    @Inject
    ClientRegistry registry;

    @BeforeEach
    void noSocketLeftFromAnotherTest() {
        await().atMost(Duration.ofSeconds(15)).until(() -> registry.connections() == 0);
    }

    @Test
    void aFourthSocketFromOneAddressIsRefusedWith429WhileOtherAddressesGetInAndAClosedSocketFreesItsSlot()
            throws IOException {
        List<RawWebSocket> fromA = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                fromA.add(welcomed(RawWebSocket.openFrom(root, "/ws", A, "")));
            }
            assertThat(RawWebSocket.upgradeStatusFrom(root, "/ws", A, "")).isEqualTo(429);
            assertThat(RawWebSocket.upgradeStatusFrom(root, "/", A, "")).as("the root endpoint counts the same")
                    .isEqualTo(429);
            assertThat(registry.connectionsFrom(A)).isEqualTo(3);

            try (RawWebSocket fromB = welcomed(RawWebSocket.openFrom(root, "/ws", B, ""))) {
                assertThat(registry.connectionsFrom(B)).isEqualTo(1);
                assertThat(registry.connections()).isEqualTo(4);
            }

            fromA.remove(0).close();
            await().atMost(Duration.ofSeconds(5)).until(() -> registry.connectionsFrom(A) == 2);
            fromA.add(welcomed(RawWebSocket.openFrom(root, "/ws", A, "")));
            assertThat(RawWebSocket.upgradeStatusFrom(root, "/ws", A, "")).isEqualTo(429);
            assertThat(registry.refusedAddress()).isGreaterThanOrEqualTo(3);
        } finally {
            for (RawWebSocket socket : fromA) {
                socket.close();
            }
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> registry.connectionsFrom(A) == 0);
    }

    @Test
    void twentyUpgradesAtOnceFromOneAddressLeaveNoMoreThanThreeSocketsOpen() throws Exception {
        int attempts = 20;
        ExecutorService pool = Executors.newFixedThreadPool(attempts);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<RawWebSocket>> upgrades = new ArrayList<>();
        List<RawWebSocket> open = new ArrayList<>();
        try {
            for (int i = 0; i < attempts; i++) {
                upgrades.add(pool.submit(() -> {
                    go.await();
                    try {
                        return RawWebSocket.openFrom(root, "/ws", A, "");
                    } catch (IOException refused) {
                        return null;
                    }
                }));
            }
            go.countDown();
            for (Future<RawWebSocket> upgrade : upgrades) {
                RawWebSocket socket = upgrade.get(10, TimeUnit.SECONDS);
                if (socket != null) {
                    open.add(socket);
                }
            }
            int welcomed = 0;
            for (RawWebSocket socket : open) {
                String first = socket.readIgnoringPings();
                if (first.startsWith("text {\"event\":\"welcome\"")) {
                    welcomed++;
                } else {
                    assertThat(first).isEqualTo("close 1013");
                }
            }
            System.out.printf("AddressLimitTest: %d simultaneous upgrades from %s, %d upgraded, %d welcomed (cap 3)%n",
                    attempts, A, open.size(), welcomed);
            assertThat(welcomed).isEqualTo(3);
            await().atMost(Duration.ofSeconds(5)).until(() -> registry.connectionsFrom(A) == 3);
        } finally {
            for (RawWebSocket socket : open) {
                socket.close();
            }
            pool.shutdownNow();
        }
    }

    @Test
    void anXForwardedForHeaderOfTheClientsOwnDoesNotMakeItAnotherAddress() throws IOException {
        List<RawWebSocket> sockets = new ArrayList<>();
        try {
            for (int i = 1; i <= 3; i++) {
                sockets.add(welcomed(RawWebSocket.openFrom(root, "/ws", A, "X-Forwarded-For: 203.0.113." + i
                        + "\r\nForwarded: for=203.0.113." + i + "\r\n")));
            }
            assertThat(registry.connectionsFrom(A)).isEqualTo(3);
            assertThat(RawWebSocket.upgradeStatusFrom(root, "/ws", A, "X-Forwarded-For: 203.0.113.99\r\n"))
                    .isEqualTo(429);
        } finally {
            for (RawWebSocket socket : sockets) {
                socket.close();
            }
        }
    }

    private static RawWebSocket welcomed(RawWebSocket socket) throws IOException {
        assertThat(socket.readIgnoringPings()).startsWith("text {\"event\":\"welcome\"");
        return socket;
    }
}
