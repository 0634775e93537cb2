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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * run.sh's class-data archives where no JDK 25 is found: it falls back to the java on PATH (Java 17 here), trains an
 * AppCDS archive per service once, starts each service from it, and a damaged (stale) archive does not stop a
 * service from starting: the JVM runs without it.
 */
class RunScriptAotIT {

    private static final Path ROOT = RunScript.ROOT;
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final List<String> SERVICES = List.of("websocket-gateway", "producer-service", "consumer-service");

    @Test
    void withoutAJdk25RunShTrainsAnAppCdsArchiveAndADamagedArchiveStillStarts() throws Exception {
        Path runDir = ROOT.resolve("end-to-end-tests/target/run-sh-aot-it");
        Path emptyJvmDir = runDir.resolve("no-jvms");
        Files.createDirectories(emptyJvmDir);
        deleteArchives(runDir);
        int[] ports = {freePort(), freePort(), freePort()};
        try (RedisServer redis = RedisServer.start()) {
            Map<String, String> env = new HashMap<>(Map.of("REDIS_URL", redis.url(),
                    "LIVEQUEUE_PORTS", ports[0] + " " + ports[1] + " " + ports[2],
                    "LIVEQUEUE_RUN_DIR", runDir.toString(), "LIVEQUEUE_SKIP_PREREQS", "1",
                    "LIVEQUEUE_SKIP_BUILD", "1", "LIVEQUEUE_JVM_DIR", emptyJvmDir.toString(),
                    "LIVEQUEUE_AOT_TRAIN_JOBS", "400"));

            // first start: no JDK 25 in the directory searched, so the java on PATH, and an AppCDS archive trained
            String first = runUntilReady(env, runDir.resolve("run.sh.out"), ports, commandLines -> {
                for (String line : commandLines) {
                    assertThat(line).doesNotContain("temurin-25").contains("-XX:SharedArchiveFile=")
                            .doesNotContain("-XX:AOTCache");
                }
            });
            assertThat(first).contains("training class-data archives", "archives trained");
            List<Path> archives = archives(runDir);
            assertThat(archives).hasSize(3);

            // second start: the archives are reused (no training); then damage them: a stale archive is ignored
            String second = runUntilReady(env, runDir.resolve("run.sh.out"), ports, lines -> {
            });
            assertThat(second).doesNotContain("training class-data archives");
            for (Path archive : archives) {
                archive.toFile().setWritable(true);
                Files.write(archive, new byte[4096]);
            }
            String third = runUntilReady(env, runDir.resolve("run.sh.out"), ports, commandLines -> {
                for (String line : commandLines) {
                    assertThat(line).contains("-XX:SharedArchiveFile=");
                }
            });
            assertThat(third).doesNotContain("training class-data archives");
        }
    }

    interface CommandLines {
        void check(List<String> commandLines);
    }

    /** Starts run.sh, waits until every service is ready, checks the services' command lines, stops it (SIGTERM). */
    private static String runUntilReady(Map<String, String> env, Path output, int[] ports, CommandLines check)
            throws Exception {
        ProcessBuilder builder = new ProcessBuilder("bash", "run.sh").directory(ROOT.toFile())
                .redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().remove("LIVEQUEUE_JAVA_OPTS");
        builder.environment().remove("LIVEQUEUE_JAVA");
        builder.environment().remove("LIVEQUEUE_AOT");
        builder.environment().putAll(env);
        Process run = builder.start();
        try {
            await("run.sh says the stack is running (" + output + ")").atMost(Duration.ofSeconds(240))
                    .until(() -> Files.readString(output).contains("livequeue is running") || !run.isAlive());
            assertThat(run.isAlive()).as(Files.readString(output)).isTrue();
            for (int port : ports) {
                assertThat(ready(port)).as("port " + port + " ready").isTrue();
            }
            List<String> commandLines = run.children().filter(ProcessHandle::isAlive)
                    .map(p -> p.info().commandLine().orElse(""))
                    .filter(line -> SERVICES.stream().anyMatch(s -> line.contains(s + "/target/quarkus-app/")))
                    .toList();
            assertThat(commandLines).hasSize(3);
            check.check(commandLines);
            run.destroy();
            assertThat(run.waitFor(60, TimeUnit.SECONDS)).as("run.sh stopped").isTrue();
            return Files.readString(output);
        } finally {
            run.descendants().forEach(ProcessHandle::destroyForcibly);
            run.destroyForcibly();
        }
    }

    private static List<Path> archives(Path runDir) throws IOException {
        try (Stream<Path> files = Files.list(runDir.resolve("aot"))) {
            return files.filter(f -> f.toString().endsWith(".jsa")).toList();
        }
    }

    private static void deleteArchives(Path runDir) throws IOException {
        Path aot = runDir.resolve("aot");
        if (Files.isDirectory(aot)) {
            try (Stream<Path> files = Files.list(aot)) {
                for (Path f : files.toList()) {
                    Files.delete(f);
                }
            }
        }
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

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
