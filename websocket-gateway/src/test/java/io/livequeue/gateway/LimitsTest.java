package io.livequeue.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.livequeue.core.Ids;
import io.livequeue.core.JobTokens;
import io.livequeue.core.Priority;
import io.livequeue.core.rdb.JobStore;
import io.livequeue.core.rdb.NewJob;
import io.livequeue.gateway.socket.ClientRegistry;
import io.livequeue.testing.RedisTestResource;
import io.livequeue.testing.TestSocket;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The gateway's limits at their edges: connections, origins, subscriptions per socket, and silent peers. */
@QuarkusTest
@TestProfile(LimitsTest.TightLimits.class)
@QuarkusTestResource(RedisTestResource.class)
class LimitsTest {

    /** Three sockets, one allowed origin, two subscriptions each, a ping every 300 ms and a 2 s idle time-out. */
    public static class TightLimits implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("livequeue.gateway.max-connections", "3",
                    "livequeue.gateway.allowed-origins", GOOD_ORIGIN,
                    "livequeue.gateway.max-subscriptions-per-connection", "2",
                    "quarkus.websockets-next.server.auto-ping-interval", "300ms",
                    "livequeue.gateway.idle-timeout", "2s");
        }
    }

    private static final String GOOD_ORIGIN = "http://good.example";
    private static final String EVIL_ORIGIN = "http://evil.example";
    private static final Duration IDLE_TIMEOUT = Duration.ofSeconds(2);
    /** The idle check runs every max(1 s, idle time-out / 4): a silent socket goes between 2 and 3 s, 6 s at worst. */
    private static final Duration SILENT_CLOSED_BY = Duration.ofSeconds(6);
    /** Vert.x's default webSocketClosingTimeout: how long the server waits for the peer's answer to its close frame. */
    private static final Duration CLOSING_TIMEOUT = Duration.ofSeconds(10);

    @TestHTTPResource("/")
    URI root;

    @Inject
    ClientRegistry registry;

    @Inject
    JobStore store;

    @Inject
    JobTokens tokens;

    @BeforeEach
    void noSocketLeftFromAnotherTest() {
        await().atMost(Duration.ofSeconds(15)).until(() -> registry.connections() == 0);
    }

    @Test
    void fourthConnectionIsRefusedWith503WhileThreeAreOpenAndAcceptedOnceOneCloses() throws IOException {
        try (TestSocket a = connect(); TestSocket b = connect(); TestSocket c = connect()) {
            for (TestSocket s : List.of(a, b, c)) {
                assertThat(s.next().path("event").asText()).isEqualTo("welcome");
            }
            assertThat(registry.connections()).isEqualTo(3);
            assertThat(RawWebSocket.upgradeStatus(root, "/ws", null)).isEqualTo(503);
            assertThat(RawWebSocket.upgradeStatus(root, "/", null)).isEqualTo(503);

            c.close();
            await().atMost(Duration.ofSeconds(5)).until(() -> registry.connections() == 2);
            try (TestSocket d = connect()) {
                assertThat(d.next().path("event").asText()).isEqualTo("welcome");
                assertThat(registry.connections()).isEqualTo(3);
                assertThat(RawWebSocket.upgradeStatus(root, "/ws", null)).isEqualTo(503);
            }
            assertThat(a.isOpen()).isTrue();
            assertThat(b.isOpen()).isTrue();
        }
    }

    @Test
    void twentyUpgradesAtOnceLeaveNoMoreThanThreeSocketsOpen() throws Exception {
        int attempts = 20;
        ExecutorService pool = Executors.newFixedThreadPool(attempts);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<RawWebSocket>> upgrades = new ArrayList<>();
        try {
            for (int i = 0; i < attempts; i++) {
                upgrades.add(pool.submit(() -> {
                    go.await();
                    try {
                        return RawWebSocket.open(root, "/ws");
                    } catch (IOException refused) {
                        return null;
                    }
                }));
            }
            go.countDown();
            List<RawWebSocket> open = new ArrayList<>();
            for (Future<RawWebSocket> upgrade : upgrades) {
                RawWebSocket socket = upgrade.get(10, TimeUnit.SECONDS);
                if (socket != null) {
                    open.add(socket);
                }
            }
            try {
                // over the cap an upgrade is refused (503) or, when many race, the socket is closed at once (1013)
                int welcomed = 0;
                for (RawWebSocket socket : open) {
                    String first = socket.readIgnoringPings();
                    if (first.startsWith("text {\"event\":\"welcome\"")) {
                        welcomed++;
                    } else {
                        assertThat(first).isEqualTo("close 1013");
                    }
                }
                System.out.printf("LimitsTest: %d simultaneous upgrades, %d upgraded, %d welcomed (limit 3)%n",
                        attempts, open.size(), welcomed);
                assertThat(welcomed).isEqualTo(3);
                await().atMost(Duration.ofSeconds(5)).until(() -> registry.connections() == 3);
            } finally {
                for (RawWebSocket socket : open) {
                    socket.close();
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void upgradeFromAnOriginNotAllowedIsRefusedWith403() throws IOException {
        assertThat(RawWebSocket.upgradeStatus(root, "/ws", EVIL_ORIGIN)).isEqualTo(403);
        assertThat(RawWebSocket.upgradeStatus(root, "/", EVIL_ORIGIN)).isEqualTo(403);
        assertThat(registry.connections()).isZero();
    }

    @Test
    void upgradeFromTheAllowedOriginSucceeds() throws IOException {
        try (RawWebSocket socket = RawWebSocket.open(root, "/ws", GOOD_ORIGIN, 0)) {
            assertThat(socket.readIgnoringPings()).startsWith("text {\"event\":\"welcome\",\"inbox\":\"");
        }
    }

    @Test
    void upgradeWithoutOriginSucceeds() throws IOException {
        try (RawWebSocket socket = RawWebSocket.open(root, "/ws", null, 0)) {
            assertThat(socket.readIgnoringPings()).startsWith("text {\"event\":\"welcome\",\"inbox\":\"");
        }
    }

    @Test
    void thirdSubscriptionGetsTooManySubscriptionsAndTheSocketStaysOpen() {
        String first = enqueue();
        String second = enqueue();
        String third = enqueue();
        try (TestSocket socket = connect()) {
            assertThat(socket.next().path("event").asText()).isEqualTo("welcome");
            for (String id : List.of(first, second)) {
                socket.send(subscribe(id));
                assertThat(socket.next().path("event").asText()).isEqualTo("subscribed");
                assertThat(socket.next().path("status").asText()).isEqualTo("queued");
            }
            socket.send(subscribe(third));
            JsonNode refused = socket.next();
            assertThat(refused.path("event").asText()).isEqualTo("error");
            assertThat(refused.path("code").asText()).isEqualTo("too-many-subscriptions");
            assertThat(refused.path("message").asText()).contains("at most 2 jobs");
            assertThat(socket.isOpen()).isTrue();

            socket.send("{\"op\":\"unsubscribe\",\"job\":\"" + first + "\"}");
            assertThat(socket.next().path("event").asText()).isEqualTo("unsubscribed");
            socket.send(subscribe(third));
            JsonNode subscribed = socket.next();
            assertThat(subscribed.path("event").asText()).isEqualTo("subscribed");
            assertThat(subscribed.path("job").asText()).isEqualTo(third);
            assertThat(socket.next().path("id").asText()).isEqualTo(third);
            assertThat(socket.isOpen()).isTrue();
            assertThat(registry.watchedJobs()).isEqualTo(2);
        }
    }

    @Test
    void clientThatNeverAnswersPingsIsClosedWithin2To6SecondsWhileOneThatAnswersStaysOpen() throws Exception {
        long opened = System.nanoTime(); // no later than the server's first sight of the silent client
        try (RawWebSocket silent = RawWebSocket.open(root, "/ws"); TestSocket alive = connect()) {
            assertThat(silent.readFrame()).startsWith("text {\"event\":\"welcome\"");
            assertThat(alive.next().path("event").asText()).isEqualTo("welcome");
            silent.soTimeout((int) SILENT_CLOSED_BY.toMillis() + 2_000);
            CompletableFuture<String> silentEnd = CompletableFuture.supplyAsync(() -> {
                try {
                    int pings = 0;
                    String frame;
                    while ((frame = silent.readFrame()).equals("ping")) {
                        pings++;
                    }
                    return frame + " after " + pings + " pings at " + (System.nanoTime() - opened) / 1_000_000 + " ms";
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });

            await().during(SILENT_CLOSED_BY).atMost(SILENT_CLOSED_BY.plusSeconds(2)).until(alive::isOpen);

            String end = silentEnd.get(1, TimeUnit.SECONDS);
            System.out.println("LimitsTest: the silent client got " + end);
            assertThat(end).startsWith("close 1001 after ");
            int pings = Integer.parseInt(end.replaceAll(".* after (\\d+) pings.*", "$1"));
            long closedAtMs = Long.parseLong(end.replaceAll(".* at (\\d+) ms", "$1"));
            assertThat(pings).as("pings the silent client ignored").isGreaterThanOrEqualTo(3);
            assertThat(closedAtMs).isBetween(IDLE_TIMEOUT.toMillis(), SILENT_CLOSED_BY.toMillis());
            assertThat(alive.closeCode()).isNotDone();
            alive.send("{\"op\":\"unsubscribe\",\"job\":\"" + Ids.newJobId() + "\"}");
            assertThat(alive.next().path("event").asText()).isEqualTo("unsubscribed");
        }
    }

    /** Vert.x drops the TCP connection 10 s (its closing time-out) after a close frame the peer does not answer. */
    @Test
    void silentClientThatIgnoresTheCloseFrameLeavesTheRegistryWithinTheClosingTimeout() throws IOException {
        long opened = System.nanoTime();
        try (RawWebSocket silent = RawWebSocket.open(root, "/ws")) {
            silent.soTimeout((int) SILENT_CLOSED_BY.toMillis() + 2_000);
            assertThat(silent.readFrame()).startsWith("text {\"event\":\"welcome\"");
            assertThat(silent.readIgnoringPings()).isEqualTo("close 1001"); // not answered: a dead peer would not
            await().atMost(SILENT_CLOSED_BY.plus(CLOSING_TIMEOUT).plusSeconds(4))
                    .until(() -> registry.connections() == 0);
            System.out.printf("LimitsTest: silent client out of the registry %d ms after it connected%n",
                    (System.nanoTime() - opened) / 1_000_000);
            assertThat(silent.readFrame()).isEqualTo(RawWebSocket.EOF);
        }
    }

    @Test
    void silentClientThatIgnoresTheCloseFrameIsCountedAsDeadOnce() throws IOException {
        long deadBefore = registry.deadClientsClosed();
        try (RawWebSocket silent = RawWebSocket.open(root, "/ws")) {
            silent.soTimeout((int) SILENT_CLOSED_BY.toMillis() + 2_000);
            assertThat(silent.readFrame()).startsWith("text {\"event\":\"welcome\"");
            assertThat(silent.readIgnoringPings()).isEqualTo("close 1001");
            await().atMost(SILENT_CLOSED_BY.plus(CLOSING_TIMEOUT).plusSeconds(4))
                    .until(() -> registry.connections() == 0);
            assertThat(registry.deadClientsClosed()).isEqualTo(deadBefore + 1);
        }
    }

    private TestSocket connect() {
        return TestSocket.connect("ws://" + root.getHost() + ":" + root.getPort() + "/ws");
    }

    private String enqueue() {
        NewJob job = new NewJob(Ids.newJobId(), "echo", Priority.HIGH, 3, null, null);
        store.enqueue("default", List.of(job), 0).await().atMost(Duration.ofSeconds(5));
        return job.id();
    }

    private String subscribe(String id) {
        return "{\"op\":\"subscribe\",\"job\":\"" + id + "\",\"token\":\"" + tokens.issue(id) + "\"}";
    }
}
