package io.livequeue.gateway;

import io.livequeue.testing.RedisTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;

/**
 * The same scenarios as {@link SlowClientTest}, with the size of the outgoing queue as the limit instead of its
 * length: room for 51 of the 32 KB events and for thousands of messages, so only the size can close the silent client.
 */
@QuarkusTest
@TestProfile(SlowClientBytesTest.SmallQueueInBytes.class)
@QuarkusTestResource(RedisTestResource.class)
class SlowClientBytesTest extends SlowClientTest {

    /** Each padded event is PAD characters and fewer than 200 more. */
    public static class SmallQueueInBytes implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("livequeue.gateway.max-queued-messages", "5000",
                    "livequeue.gateway.max-queued-bytes", Long.toString((MAX_QUEUED + 1L) * (PAD + 200)),
                    "livequeue.gateway.idle-timeout", "10m",
                    "quarkus.websockets-next.server.auto-ping-interval", "10m",
                    "quarkus.http.idle-timeout", "3s");
        }
    }
}
