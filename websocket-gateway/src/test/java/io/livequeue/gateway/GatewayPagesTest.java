package io.livequeue.gateway;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.nullValue;

import io.livequeue.core.rdb.Keyspace;
import io.livequeue.testing.RedisTestResource;
import io.livequeue.testing.TestSocket;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the gateway serves over plain HTTP, and that all its sockets share one Redis subscription. */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
class GatewayPagesTest {

    private static final String DEV_ORIGIN = "http://localhost:5173";

    @TestHTTPResource("/")
    URI root;

    @Inject
    RedisDataSource redis;

    @Inject
    Keyspace keyspace;

    @Test
    void rootServesTheDemoPage() {
        given().when().get("/").then().statusCode(200).contentType(containsString("text/html"))
                .body(containsString("livequeue demo"));
        given().when().get("/app.js").then().statusCode(200).body(containsString("from './livequeue.js'"));
    }

    @Test
    void clientModuleMayBeImportedFromAnotherOrigin() {
        // a module script is fetched with CORS: without this header a page on a dev server could not import it
        given().header("Origin", DEV_ORIGIN).when().get("/livequeue.js").then().statusCode(200)
                .contentType(containsString("javascript"))
                .header("Access-Control-Allow-Origin", "*")
                .body(containsString("export function connect("));
        given().header("Origin", DEV_ORIGIN).when().get("/api/config").then().statusCode(200)
                .header("Access-Control-Allow-Origin", "*");
    }

    @Test
    void otherResourcesSendNoCorsHeaders() {
        given().header("Origin", DEV_ORIGIN).when().get("/app.js").then().statusCode(200)
                .header("Access-Control-Allow-Origin", nullValue());
    }

    @Test
    void socketFromADevServerOriginIsAcceptedByDefault() throws Exception {
        // livequeue.gateway.allowed-origins is unset by default: a page on http://localhost:5173 may connect
        assertThat(RawWebSocket.upgradeStatus(root, "/ws", DEV_ORIGIN)).isEqualTo(101);
        assertThat(RawWebSocket.upgradeStatus(root, "/ws", "http://127.0.0.1:3000")).isEqualTo(101);
    }

    @Test
    void pageConfigLeavesTheProducerUrlToThePageByDefault() {
        given().when().get("/api/config").then().statusCode(200).body("producerUrl", nullValue());
    }

    @Test
    void healthChecksRedisAndTheEventSubscription() {
        given().when().get("/q/health/ready").then().statusCode(200)
                .body(containsString("event-subscription")).body(containsString("Redis"));
    }

    @Test
    void manySocketsShareOneRedisSubscription() {
        List<TestSocket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < 5; i++) {
                TestSocket socket = TestSocket.connect("ws://" + root.getHost() + ":" + root.getPort() + "/ws");
                socket.next();
                sockets.add(socket);
            }
            long subscribers = redis.execute("PUBSUB", "NUMSUB", keyspace.queue("default").events()).get(1).toLong();
            assertThat(subscribers).isEqualTo(1);
        } finally {
            sockets.forEach(TestSocket::close);
        }
    }
}
