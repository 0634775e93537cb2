package io.livequeue.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.livequeue.testing.RedisTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import org.junit.jupiter.api.Test;

/**
 * A browser offers permessage-deflate with every socket; the gateway declines it (a zlib deflater per socket costs
 * ~110 KB of native memory), so its frames come uncompressed and readable as they are.
 */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
class NoCompressionTest {

    @TestHTTPResource("/")
    URI root;

    @Test
    void aSocketThatOffersPerMessageDeflateGetsPlainFrames() throws Exception {
        for (String path : new String[] {"/ws", "/"}) {
            try (RawWebSocket socket = RawWebSocket.openFrom(root, path, "127.0.0.1",
                    "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n")) {
                assertThat(socket.readIgnoringPings()).as(path).startsWith("text {\"event\":\"welcome\"");
                socket.sendText("Hello Server!");
                assertThat(socket.readIgnoringPings()).as(path).startsWith("text {\"event\":\"error\"");
            }
        }
    }
}
