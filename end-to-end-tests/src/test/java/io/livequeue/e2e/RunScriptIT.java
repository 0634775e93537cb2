package io.livequeue.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.livequeue.testing.RedisServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * ./run.sh itself, as a user runs it (on a private Redis, free ports, its own run directory, the jars as built): a
 * service killed with SIGKILL is started again alone and answers health again, a second crash soon after waits longer
 * (the back-off), and SIGTERM (as Ctrl-C) still stops everything run.sh started.
 */
class RunScriptIT {

    private static final Path ROOT = RunScript.ROOT;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void aServiceThatDiesIsStartedAgainAloneWithABackOffAndCtrlCStillStopsEverything() throws Exception {
        Path runDir = ROOT.resolve("end-to-end-tests/target/run-sh-it");
        Path output = runDir.resolve("run.sh.out");
        Files.createDirectories(runDir);
        int gatewayPort = freePort();
        int producerPort = freePort();
        int consumerPort = freePort();
        try (RedisServer redis = RedisServer.start()) {
            ProcessBuilder builder = new ProcessBuilder("bash", "run.sh").directory(ROOT.toFile())
                    .redirectErrorStream(true).redirectOutput(output.toFile());
            builder.environment().putAll(Map.of("REDIS_URL", redis.url(),
                    "LIVEQUEUE_PORTS", gatewayPort + " " + producerPort + " " + consumerPort,
                    "LIVEQUEUE_RUN_DIR", runDir.toString(), "LIVEQUEUE_SKIP_PREREQS", "1",
                    "LIVEQUEUE_SKIP_BUILD", "1"));
            builder.environment().remove("LIVEQUEUE_JAVA_OPTS");
            Process run = builder.start();
            try {
                // the first start after a build trains the class-data archives first (~30-60 s on 2 busy cores)
                await("run.sh says the stack is running (" + output + ")").atMost(Duration.ofSeconds(240))
                        .until(() -> read(output).contains("livequeue is running") || !run.isAlive());
                assertThat(run.isAlive()).as(read(output)).isTrue();
                ProcessHandle gateway = service(run, "websocket-gateway").orElseThrow();
                ProcessHandle producer = service(run, "producer-service").orElseThrow();
                ProcessHandle consumer = service(run, "consumer-service").orElseThrow();
                assertThat(gateway.info().commandLine().orElse("")).contains("-XX:+ExitOnOutOfMemoryError");

                gateway.destroyForcibly();
                await("the gateway started again").atMost(Duration.ofSeconds(60))
                        .until(() -> service(run, "websocket-gateway").filter(p -> p.pid() != gateway.pid()).isPresent()
                                && ready(gatewayPort));
                String log = read(output);
                assertThat(log).contains("websocket-gateway (pid " + gateway.pid() + ") exited with status 137",
                        "starting it again in 1 s", "websocket-gateway started again");
                assertThat(service(run, "producer-service").map(ProcessHandle::pid)).contains(producer.pid());
                assertThat(service(run, "consumer-service").map(ProcessHandle::pid)).contains(consumer.pid());

                // a second crash within a minute of the restart: the wait doubles
                ProcessHandle again = service(run, "websocket-gateway").orElseThrow();
                again.destroyForcibly();
                await("the gateway started once more").atMost(Duration.ofSeconds(60))
                        .until(() -> service(run, "websocket-gateway").filter(p -> p.pid() != again.pid()).isPresent()
                                && ready(gatewayPort));
                assertThat(read(output)).contains("websocket-gateway (pid " + again.pid() + ") exited with status 137",
                        "starting it again in 2 s");
                assertThat(ready(producerPort)).isTrue();
                assertThat(ready(consumerPort)).isTrue();

                List<ProcessHandle> started = run.descendants().toList();
                run.destroy(); // SIGTERM: what Ctrl-C and a closed terminal do
                assertThat(run.waitFor(60, TimeUnit.SECONDS)).as("run.sh stopped").isTrue();
                await("everything run.sh started has stopped").atMost(Duration.ofSeconds(30))
                        .until(() -> started.stream().noneMatch(ProcessHandle::isAlive));
            } finally {
                run.descendants().forEach(ProcessHandle::destroyForcibly);
                run.destroyForcibly();
            }
        }
    }

    /** The running jar of {@code module} among run.sh's children. */
    private static Optional<ProcessHandle> service(Process run, String module) {
        return run.children().filter(ProcessHandle::isAlive)
                .filter(p -> p.info().commandLine().orElse("").contains(module + "/target/quarkus-app/quarkus-run.jar"))
                .findFirst();
    }

    private static boolean ready(int port) {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready"))
                    .timeout(Duration.ofSeconds(2)).build();
            return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
