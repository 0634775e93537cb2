package io.livequeue.gateway.browser;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.Map;

/**
 * A gateway that is its own producer for the demo page ({@link StandInProducer}): the page finds the producer where
 * {@code /api/config} says, so the app runs on a port chosen up front and names itself there.
 */
public class StandInProducerProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.of("quarkus.http.test-port", Integer.toString(port),
                "quarkus.http.test-host", "127.0.0.1",
                "livequeue.gateway.producer-url", "http://127.0.0.1:" + port,
                "livequeue.test.stand-in-producer", "true");
    }
}
