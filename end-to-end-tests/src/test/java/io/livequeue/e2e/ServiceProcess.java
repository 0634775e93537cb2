package io.livequeue.e2e;

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
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/**
 * One packaged service ({@code target/quarkus-app/quarkus-run.jar}) running as its own JVM on a free loopback port,
 * as an operator runs it; tests can stop it with SIGTERM or kill it with SIGKILL, and start it again on the same port.
 */
final class ServiceProcess implements AutoCloseable {

    private final String name;
    private final int port;
    private final Path log;
    private final List<String> command;
    private final Map<String, String> environment;
    private volatile Process process;

    private ServiceProcess(String name, int port, Path log, List<String> command, Map<String, String> environment) {
        this.name = name;
        this.port = port;
        this.log = log;
        this.command = List.copyOf(command);
        this.environment = Map.copyOf(environment);
    }

    /** The JVM options every service gets unless a test asks for others. */
    static final List<String> DEFAULT_JVM_OPTIONS = List.of("-Xmx192m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

    /** Starts {@code module}'s jar with {@code -D} properties and waits until it is ready. */
    static ServiceProcess start(Path root, String module, String name, Path logs, List<String> properties) {
        return start(root, module, name, logs, DEFAULT_JVM_OPTIONS, Map.of(), properties);
    }

    /**
     * Starts {@code module}'s jar with {@code -D} properties and the environment variables {@code environment} (as an
     * operator configures it: REDIS_URL, …), and waits until it is ready.
     */
    static ServiceProcess start(Path root, String module, String name, Path logs, List<String> properties,
            Map<String, String> environment) {
        return start(root, module, name, logs, DEFAULT_JVM_OPTIONS, environment, properties);
    }

    /**
     * Starts {@code module}'s jar with these JVM options (run.sh's, say) and environment variables added to the test's
     * own, and {@code -D} properties; waits until it is ready.
     */
    static ServiceProcess start(Path root, String module, String name, Path logs, List<String> jvmOptions,
            Map<String, String> environment, List<String> properties) {
        ServiceProcess service = prepare(root, module, name, logs, jvmOptions, properties, environment);
        service.launch();
        return service;
    }

    /**
     * Starts {@code module}'s jar like {@link #start} but returns at once, for a service that must not get ready: the
     * test asks its health itself.
     */
    static ServiceProcess startUnready(Path root, String module, String name, Path logs, List<String> properties,
            Map<String, String> environment) {
        ServiceProcess service = prepare(root, module, name, logs, DEFAULT_JVM_OPTIONS, properties, environment);
        service.spawn();
        return service;
    }

    private static ServiceProcess prepare(Path root, String module, String name, Path logs, List<String> jvmOptions,
            List<String> properties, Map<String, String> environment) {
        Path jar = root.resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: run ./mvnw verify from the project root, which "
                    + "packages the services before this module's tests");
        }
        int port = freePort();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString()));
        command.addAll(jvmOptions);
        command.addAll(List.of("-Dquarkus.http.host=127.0.0.1", "-Dquarkus.http.port=" + port));
        properties.forEach(p -> command.add("-D" + p));
        command.addAll(List.of("-jar", jar.toString()));
        Path log = logs.resolve(name + ".log");
        try {
            Files.createDirectories(logs);
            Files.deleteIfExists(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new ServiceProcess(name, port, log, command, environment);
    }

    /**
     * Starts the service again after it stopped, as an operator restarts it: same port, same properties, its output
     * appended to the same log; waits until it is ready.
     */
    void startAgain() {
        if (process.isAlive()) {
            throw new IllegalStateException(name + " is still running: stop it first");
        }
        launch();
    }

    private void launch() {
        spawn();
        try {
            awaitReady();
        } catch (RuntimeException | Error e) {
            process.destroyForcibly(); // a service that never got ready must not outlive the test
            throw e;
        }
    }

    private void spawn() {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(environment);
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    int port() {
        return port;
    }

    /** The WebSocket address of {@code path} on this service, e.g. {@code ws("/ws")} on a gateway. */
    String ws(String path) {
        return "ws://127.0.0.1:" + port + path;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** The operating system's id of the running process. */
    long pid() {
        return process.pid();
    }

    /** Waits for the process to end by itself (at most {@code atMost}); its exit code, or null while it still runs. */
    Integer awaitExit(Duration atMost) {
        waitForExit(atMost);
        return process.isAlive() ? null : process.exitValue();
    }

    /** SIGKILL, as a crash or an OOM kill would: no shutdown hook runs. */
    void kill() {
        process.destroyForcibly();
        waitForExit(Duration.ofSeconds(10));
    }

    /** SIGTERM, as docker stop or Ctrl-C would; returns how long the service took to exit. */
    Duration terminate(Duration atMost) {
        long start = System.nanoTime();
        process.destroy();
        waitForExit(atMost);
        return Duration.ofNanos(System.nanoTime() - start);
    }

    Path log() {
        return log;
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            terminate(Duration.ofSeconds(20));
        }
        if (process.isAlive()) {
            kill();
        }
    }

    private void waitForExit(Duration atMost) {
        try {
            process.waitFor(atMost.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void awaitReady() {
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest ready = HttpRequest.newBuilder(URI.create(url() + "/q/health/ready"))
                .timeout(Duration.ofSeconds(2)).build();
        Awaitility.await(name + " ready (log: " + log + ")").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(100)).ignoreExceptionsInstanceOf(IOException.class)
                .until(() -> {
                    if (!process.isAlive()) {
                        throw new IllegalStateException(name + " exited at start: see " + log);
                    }
                    return http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
                });
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
