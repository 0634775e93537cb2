package io.livequeue.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.management.UnixOperatingSystemMXBean;
import io.livequeue.testing.TestSocket;
import java.io.IOException;
import java.io.Reader;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The gateway's socket limit against its heap, with the packaged jar started as ./run.sh starts it (its JVM options,
 * asked of run.sh, and MALLOC_ARENA_MAX=2): the default max-connections of idle sockets open and stay served (health
 * UP, a fresh socket gets a job's events), with the heap they take measured; and a gateway that does run out of memory
 * exits, so that run.sh (or compose) can start it again, instead of living on without answering.
 */
class GatewayMemoryIT {

    private static final Path ROOT = RunScript.ROOT;
    /** 64 source addresses: ~157 sockets each, under the default per-address cap, and far under ~28k ports each. */
    private static final int SOURCES = 64;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void theDefaultMaximumOfIdleSocketsFitsTheHeapRunShGivesTheGateway() throws Exception {
        int max = Integer.parseInt(gatewayProperty("livequeue.gateway.max-connections"));
        int perAddress = Integer.parseInt(gatewayProperty("livequeue.gateway.max-connections-per-address"));
        assertThat(max / SOURCES + 1).as("sockets per source address").isLessThanOrEqualTo(perAddress);
        // this JVM holds one end of every socket, the gateway the other
        if (ManagementFactory.getOperatingSystemMXBean() instanceof UnixOperatingSystemMXBean os) {
            assertThat(os.getMaxFileDescriptorCount()).as("open files allowed (ulimit -n) for %d sockets", max)
                    .isGreaterThan(max + 1_000L);
        }
        List<String> jvm = RunScript.javaOptions("websocket-gateway");
        try (LiveStack stack = LiveStack.startWithoutGateway("gateway-memory", 1)) {
            ServiceProcess gateway = stack.startGateway(jvm, RunScript.ENVIRONMENT);
            long emptyHeap = liveHeap(gateway);
            long emptyRss = rss(gateway);
            long start = System.nanoTime();
            // the last slot is for the fresh socket below
            try (IdleSockets idle = IdleSockets.open("127.0.0.1", gateway.port(), "/ws",
                    IdleSockets.loopbackSources(SOURCES), max - 1)) {
                await("idle sockets welcomed").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                        .until(() -> idle.welcomed() + idle.refused() + idle.lost() >= max - 1
                                || idle.failure() != null || !gateway.isAlive());
                long openedMs = (System.nanoTime() - start) / 1_000_000;
                assertThat(idle.failure()).isNull();
                assertThat(gateway.isAlive()).isTrue();
                assertThat(idle.refused()).isZero();
                assertThat(idle.lost()).isZero();
                assertThat(idle.welcomed()).isEqualTo(max - 1);

                assertThat(ready(gateway)).isEqualTo(200);
                try (TestSocket fresh = TestSocket.connect(gateway.ws("/ws"))) {
                    String inbox = fresh.next().path("inbox").asText();
                    Rest.Answer submitted = Rest.post(stack.producer() + "/api/jobs",
                            "{\"type\":\"echo\",\"payload\":{\"hello\":\"idle\"},\"replyTo\":\"" + inbox + "\"}");
                    assertThat(submitted.status()).isEqualTo(202);
                    String id = submitted.body().path("id").asText();
                    JsonNode completed = fresh.nextMatching(e -> id.equals(e.path("id").asText())
                            && "completed".equals(e.path("status").asText()));
                    assertThat(completed.path("result").path("hello").asText()).isEqualTo("idle");
                    assertThat(upgradeStatus(gateway)).as("the gateway is full now").isEqualTo(503);
                }
                assertThat(ready(gateway)).isEqualTo(200);
                assertThat(idle.welcomed()).as("no idle socket was dropped meanwhile").isEqualTo(max - 1);

                long fullHeap = liveHeap(gateway);
                long maxHeap = RunScript.maxHeap(jvm);
                long rss = rss(gateway);
                double rssPerSocket = (double) (rss - emptyRss) / (max - 1);
                System.out.printf("GatewayMemoryIT: %d idle sockets open in %d ms with %s; live heap %d MB empty, "
                        + "%d MB with them (%.0f bytes a socket, %.0f%% of -Xmx); RSS %d MB empty, %d MB with them "
                        + "(%.0f bytes a socket)%n", max - 1, openedMs, jvm, emptyHeap >> 20, fullHeap >> 20,
                        (double) (fullHeap - emptyHeap) / (max - 1), 100.0 * fullHeap / maxHeap, emptyRss >> 20,
                        rss >> 20, rssPerSocket);
                // measured 9-11 KB a socket (README, Benchmark); 53-75 KB was the gateway that ran out of memory
                assertThat(rssPerSocket).as("RSS per idle socket, bytes").isLessThan(16 * 1024);
                assertThat(fullHeap).as("live heap with every socket open, against -Xmx: room to spare")
                        .isLessThan(maxHeap * 6 / 10);
            }
            assertThat(Files.readString(gateway.log())).doesNotContain("OutOfMemoryError");
        }
    }

    @Test
    void aGatewayThatRunsOutOfMemoryExitsInsteadOfLivingOnWithoutAnswering() throws Exception {
        // run.sh's options with a heap far too small for the sockets it is made to take (the last -Xmx wins)
        List<String> jvm = new ArrayList<>(RunScript.javaOptions("websocket-gateway"));
        jvm.removeIf(option -> option.startsWith("-Xmn")); // a young generation of its own would not fit 40 MB
        jvm.add("-Xmx40m");
        try (LiveStack stack = LiveStack.startWithoutGateway("gateway-out-of-memory", 0)) {
            ServiceProcess gateway = stack.startGateway(jvm, RunScript.ENVIRONMENT,
                    "livequeue.gateway.max-connections=100000", "livequeue.gateway.max-connections-per-address=0");
            try (IdleSockets idle = IdleSockets.open("127.0.0.1", gateway.port(), "/ws",
                    IdleSockets.loopbackSources(SOURCES), 15_000)) {
                Integer exit = gateway.awaitExit(Duration.ofSeconds(90));
                System.out.printf("GatewayMemoryIT: with %s the gateway took %d sockets, then exited with %s%n", jvm,
                        idle.welcomed(), exit);
                assertThat(exit).as("the gateway's exit status (still running: null)").isEqualTo(3);
            }
            assertThat(Files.readString(gateway.log()))
                    .contains("Terminating due to java.lang.OutOfMemoryError");
        }
    }

    /** Bytes of live heap (after a full collection), from jcmd's class histogram of the process. */
    private static long liveHeap(ServiceProcess service) throws IOException, InterruptedException {
        Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(service.pid()), "GC.class_histogram").redirectErrorStream(true).start();
        String out = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(jcmd.waitFor(60, TimeUnit.SECONDS)).isTrue();
        Matcher total = Pattern.compile("(?m)^Total\\s+\\d+\\s+(\\d+)").matcher(out);
        assertThat(total.find()).as("jcmd GC.class_histogram: " + out).isTrue();
        return Long.parseLong(total.group(1));
    }

    private static long rss(ServiceProcess service) throws IOException {
        Matcher rss = Pattern.compile("(?m)^VmRSS:\\s+(\\d+) kB").matcher(
                Files.readString(Path.of("/proc", Long.toString(service.pid()), "status")));
        return rss.find() ? Long.parseLong(rss.group(1)) << 10 : -1;
    }

    private static int ready(ServiceProcess service) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(service.url() + "/q/health/ready"))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** The HTTP status of one more upgrade request. */
    private static int upgradeStatus(ServiceProcess service) {
        try (IdleSockets one = IdleSockets.open("127.0.0.1", service.port(), "/ws", List.of("127.0.0.1"), 1)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> one.welcomed() + one.refused() + one.lost() > 0);
            return one.refused() > 0 ? one.refusalStatus() : one.welcomed() > 0 ? 101 : -1;
        }
    }

    private static String gatewayProperty(String name) throws IOException {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(
                ROOT.resolve("websocket-gateway/src/main/resources/application.properties"))) {
            properties.load(reader);
        }
        return properties.getProperty(name);
    }
}
