package io.livequeue.e2e;

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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The whole stack as a user runs it: a private redis-server and the three packaged services
 * ({@code target/quarkus-app/quarkus-run.jar}) as separate JVM processes on free loopback ports. Started once for
 * all end-to-end test classes and stopped (SIGTERM, then SIGKILL) when the run ends. Logs go to
 * {@code end-to-end-tests/target/e2e-logs}.
 */
public final class LiveStack implements BeforeAllCallback, ExtensionContext.Store.CloseableResource {

    private static LiveStack running;

    private final Path root = Path.of(System.getProperty("livequeue.root", "..")).toAbsolutePath().normalize();
    private final Path logs = root.resolve("end-to-end-tests/target/e2e-logs");
    private final List<Process> processes = new ArrayList<>();
    private RedisServer redis;
    private int gatewayPort;
    private int producerPort;
    private int consumerPort;

    /** The running stack; only valid in a class annotated {@code @ExtendWith(LiveStack.class)}. */
    public static LiveStack get() {
        return running;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        synchronized (LiveStack.class) {
            if (running == null) {
                LiveStack stack = new LiveStack();
                context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL).put(LiveStack.class.getName(), stack);
                stack.start();
                running = stack;
            }
        }
    }

    public String gateway() {
        return "http://127.0.0.1:" + gatewayPort;
    }

    public String gatewaySocket(String path) {
        return "ws://127.0.0.1:" + gatewayPort + path;
    }

    public String producer() {
        return "http://127.0.0.1:" + producerPort;
    }

    public String consumer() {
        return "http://127.0.0.1:" + consumerPort;
    }

    private void start() throws IOException {
        Files.createDirectories(logs);
        redis = RedisServer.start();
        gatewayPort = freePort();
        producerPort = freePort();
        consumerPort = freePort();
        String gatewayOrigins = "http://127.0.0.1:" + gatewayPort + ",http://localhost:" + gatewayPort;
        launch("producer-service", producerPort, "-Dquarkus.http.cors.origins=" + gatewayOrigins);
        launch("consumer-service", consumerPort);
        launch("websocket-gateway", gatewayPort, "-Dlivequeue.gateway.producer-url=" + producer());
        for (String url : List.of(producer(), consumer(), gateway())) {
            awaitReady(url);
        }
    }

    private void launch(String service, int port, String... properties) throws IOException {
        Path jar = root.resolve(service).resolve("target/quarkus-app/quarkus-run.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: run ./mvnw verify from the project root, which "
                    + "packages the services before this module's tests");
        }
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx192m", "-XX:+UseSerialGC", "-Dquarkus.http.host=127.0.0.1", "-Dquarkus.http.port=" + port,
                "-Dquarkus.redis.hosts=" + redis.url(), "-Dlivequeue.token.secret=e2e-secret"));
        command.addAll(List.of(properties));
        command.addAll(List.of("-jar", jar.toString()));
        processes.add(new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(logs.resolve(service + ".log").toFile()).start());
    }

    private void awaitReady(String base) {
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest ready = HttpRequest.newBuilder(URI.create(base + "/q/health/ready")).timeout(Duration.ofSeconds(2))
                .build();
        Awaitility.await(base + " ready (logs in " + logs + ")").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(100)).ignoreExceptionsInstanceOf(IOException.class)
                .until(() -> {
                    if (processes.stream().anyMatch(p -> !p.isAlive())) {
                        throw new IllegalStateException("a service exited at start: see the logs in " + logs);
                    }
                    return http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
                });
    }

    @Override
    public void close() {
        processes.forEach(Process::destroy);
        for (Process p : processes) {
            try {
                if (!p.waitFor(20, TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (redis != null) {
            redis.close();
        }
        running = null;
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
