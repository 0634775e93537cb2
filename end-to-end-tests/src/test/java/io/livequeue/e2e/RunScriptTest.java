package io.livequeue.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The JVM options ./run.sh starts the services with: each exits on OutOfMemoryError, whatever LIVEQUEUE_JAVA_OPTS
 * says, and the gateway's heap is the larger one its max-connections needs. A plain unit test: it starts nothing.
 */
class RunScriptTest {

    private static final List<String> SERVICES = List.of("websocket-gateway", "producer-service", "consumer-service");

    @Test
    void everyServiceExitsOnOutOfMemoryErrorEvenWithJavaOptionsOfItsOwn() {
        for (String service : SERVICES) {
            assertThat(RunScript.javaOptions(service)).as(service).contains("-XX:+ExitOnOutOfMemoryError",
                    "-XX:+UseSerialGC");
            assertThat(RunScript.javaOptions(service, Map.of("LIVEQUEUE_JAVA_OPTS", "-Xmx300m -XX:+UseG1GC")))
                    .as(service + " with LIVEQUEUE_JAVA_OPTS")
                    .containsExactly("-XX:+ExitOnOutOfMemoryError", "-Xmx300m", "-XX:+UseG1GC");
        }
    }

    @Test
    void theGatewayGetsAHeapForItsSocketsAndTheOthersKeepTheirSmallOne() {
        assertThat(RunScript.maxHeap(RunScript.javaOptions("websocket-gateway"))).isEqualTo(192L << 20);
        assertThat(RunScript.maxHeap(RunScript.javaOptions("producer-service"))).isEqualTo(64L << 20);
        assertThat(RunScript.maxHeap(RunScript.javaOptions("consumer-service"))).isEqualTo(64L << 20);
    }
}
