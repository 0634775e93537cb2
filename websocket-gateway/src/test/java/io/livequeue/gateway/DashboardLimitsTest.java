package io.livequeue.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.livequeue.core.rdb.Keyspace;
import io.livequeue.gateway.dashboard.Operators;
import io.livequeue.testing.RedisTestResource;
import io.livequeue.testing.TestSocket;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Anonymous dashboard sockets against the defaults of application.properties (20 anonymous slots, 5 s to say hello):
 * a hundred of them do not keep an operator out, and a silent one is closed once its time is up.
 */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
class DashboardLimitsTest {

    private static final int ANONYMOUS_SLOTS = 20;
    private static final Duration HELLO_TIMEOUT = Duration.ofSeconds(5);

    @TestHTTPResource("/")
    URI root;

    @Inject
    RedisDataSource redis;

    @Inject
    Keyspace keyspace;

    @Inject
    Operators operators;

    private OperatorFixture fixture;

    @BeforeEach
    void emptyRedis() {
        fixture = new OperatorFixture(root, redis, keyspace.queue("default"));
        fixture.flush();
        await().atMost(Duration.ofSeconds(15)).until(() -> operators.unauthenticated() == 0);
    }

    @Test
    void aHundredAnonymousSocketsDoNotKeepAnOperatorOut() throws IOException {
        List<RawWebSocket> anonymous = new ArrayList<>();
        try {
            for (int i = 0; i < 100; i++) {
                anonymous.add(RawWebSocket.open(root, "/dashboard/ws"));
                assertThat(operators.unauthenticated()).isLessThanOrEqualTo(ANONYMOUS_SLOTS);
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> operators.unauthenticated() == ANONYMOUS_SLOTS);
            // the oldest eighty lost their slots: told why, and closed
            RawWebSocket first = anonymous.get(0);
            assertThat(first.readIgnoringPings()).contains("\"code\":\"unauthorized\"", "authenticate");
            assertThat(first.readIgnoringPings()).isEqualTo("close 1008");

            try (TestSocket operator = fixture.operator()) {
                JsonNode snapshot = operator.next();
                assertThat(snapshot.path("event").asText()).isEqualTo("snapshot");
                assertThat(operator.next(Duration.ofSeconds(3)).path("event").asText()).isEqualTo("stats");
                assertThat(operators.authenticated()).isEqualTo(1);
                assertThat(operators.unauthenticated()).isLessThanOrEqualTo(ANONYMOUS_SLOTS);
            }
        } finally {
            for (RawWebSocket socket : anonymous) {
                socket.close();
            }
        }
    }

    @Test
    void anAnonymousSocketThatSaysNothingIsClosedAfterFiveSeconds() throws IOException {
        long opened = System.nanoTime();
        try (RawWebSocket silent = RawWebSocket.open(root, "/dashboard/ws")) {
            silent.soTimeout(15_000);
            String error = silent.readIgnoringPings();
            long errorAtMs = (System.nanoTime() - opened) / 1_000_000;
            assertThat(error).contains("\"code\":\"unauthorized\"", "no hello with the operator token within 5000 ms");
            assertThat(silent.readIgnoringPings()).isEqualTo("close 1008");
            System.out.printf("DashboardLimitsTest: the silent dashboard socket was told %d ms after it opened%n",
                    errorAtMs);
            assertThat(errorAtMs).isBetween(HELLO_TIMEOUT.toMillis() - 100, HELLO_TIMEOUT.toMillis() + 2_000);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> operators.unauthenticated() == 0);
    }
}
