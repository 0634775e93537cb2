package io.livequeue.producer;

import static org.assertj.core.api.Assertions.assertThat;

import io.livequeue.testing.RedisServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
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
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The packaged producer as {@code run.sh} starts it ({@code -Xmx64m -XX:+UseSerialGC}) under hostile bodies sent in
 * chunks: a 100 MB body, concurrent bodies just under and just over the limit (valid batches, and batches of millions
 * of {@code {}}), more bodies at once than the heap can hold. None may cost an OutOfMemoryError or a 500; the live heap
 * after a full GC is the same before and after; a normal job is served afterwards.
 */
class ProducerUnderAttackIT {

    /** The producer's defaults, which these bodies are built around. */
    private static final long LIMIT = 4 * 1024 * 1024;
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private static RedisServer redis;
    private static Process producer;
    private static Path log;
    private static int port;

    @BeforeAll
    static void start() throws Exception {
        Path jar = Path.of("target/quarkus-app/quarkus-run.jar");
        Assumptions.assumeTrue(Files.isRegularFile(jar), "the packaged jar (a native build has none)");
        redis = RedisServer.start();
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        log = Path.of("target/producer-under-attack.log");
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m", "-XX:+UseSerialGC", "-XX:+ExitOnOutOfMemoryError", "-Dquarkus.http.host=127.0.0.1",
                "-Dquarkus.http.port=" + port, "-Dlivequeue.auth=none",
                "-Dlivequeue.token.secret=under-attack-token-secret-of-32-bytes-or-more",
                "-Dlivequeue.operator.token=under-attack-operator-token-of-32-bytes-or-more",
                "-Dquarkus.redis.hosts=" + redis.url(), "-jar", jar.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("MALLOC_ARENA_MAX", "2");
        producer = builder.start();
        HttpRequest ready = HttpRequest.newBuilder(uri("/q/health/ready")).build();
        Awaitility.await("producer ready (log: " + log + ")").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(100)).ignoreExceptionsInstanceOf(IOException.class)
                .until(() -> HTTP.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
    }

    @AfterAll
    static void stop() throws Exception {
        if (producer != null) {
            producer.destroy();
            if (!producer.waitFor(20, TimeUnit.SECONDS)) {
                producer.destroyForcibly();
            }
        }
        if (redis != null) {
            redis.close();
        }
    }

    @AfterEach
    void survived() throws Exception {
        assertThat(Files.readString(log)).doesNotContain("OutOfMemoryError", "Java heap space");
        assertThat(post("/api/jobs", "{\"type\":\"echo\",\"payload\":{\"after\":\"the attack\"}}").statusCode())
                .as("a normal job afterwards").isEqualTo(202);
        Awaitility.await("every body's bytes given back").atMost(Duration.ofSeconds(10))
                .until(() -> metric("livequeue_producer_body_bytes_in_flight_bytes") == 0);
    }

    @Test
    void aChunked100MbBodyGets413Problem() throws Exception {
        Bodies.Synthetic body = Bodies.synthetic("{\"type\":\"echo\",\"payload\":[", "1", ",", 50_000_000, "]}");

        Bodies.Answer answer = Bodies.postChunked(port, "/api/jobs", body);

        assertThat(answer.status()).isEqualTo(413);
        assertThat(answer.header("content-type")).startsWith("application/problem+json");
        assertThat(answer.body()).contains("urn:livequeue:problem:body-too-large");
        assertThat(answer.closed()).isTrue();
    }

    @Test
    void concurrentChunkedBodiesAroundTheLimitNeitherFailNorGrowTheHeap() throws Exception {
        // one of each alone first: what each gets when it has the producer to itself (and every code path warmed up)
        Map<String, Integer> alone = Map.of("valid-under", 202, "valid-over", 413, "tiny-under", 400, "tiny-18mb", 400,
                "huge", 413);
        for (Map.Entry<String, Integer> kind : alone.entrySet()) {
            String path = kind.getKey().equals("huge") ? "/api/jobs" : "/api/jobs/batch";
            assertThat(Bodies.postChunked(port, path, body(kind.getKey())).status()).as(kind.getKey())
                    .isEqualTo(kind.getValue());
        }
        long before = liveHeap();
        Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
        ExecutorService clients = Executors.newFixedThreadPool(6);
        try {
            for (int round = 0; round < 3; round++) {
                List<Future<?>> sent = new ArrayList<>();
                for (String[] request : requests()) {
                    sent.add(clients.submit(() -> {
                        Bodies.Synthetic body = body(request[1]);
                        int status = Bodies.postChunked(port, request[0], body).status();
                        statuses.computeIfAbsent(status, s -> new AtomicInteger()).incrementAndGet();
                        return status;
                    }));
                }
                for (Future<?> future : sent) {
                    future.get(120, TimeUnit.SECONDS);
                }
            }
        } finally {
            clients.shutdownNow();
        }
        long after = liveHeap();
        System.out.printf("producer at -Xmx64m, live heap after a full GC: %.1f MB before, %.1f MB after 3 rounds of %d "
                + "concurrent chunked bodies; answers %s%n", before / 1048576.0, after / 1048576.0, requests().size(),
                statuses);

        // as alone, or 503 when the bodies in flight already held the budget: never a 500
        assertThat(statuses.keySet()).as("answers: %s", statuses).isSubsetOf(202, 400, 413, 503);
        assertThat(after - before).as("live heap after a full GC: %d before, %d after", before, after)
                .isLessThan(8L << 20);
    }

    @Test
    void bodiesBeyondTheBudgetGet503UntilTheOthersAreDone() throws Exception {
        long budget = (long) metric("livequeue_producer_body_bytes_budget_bytes");
        int fit = (int) (budget / LIMIT); // bodies in chunks hold the limit each: three at -Xmx64m
        assertThat(fit).isBetween(1, 8);
        List<HeldUpload> held = new ArrayList<>();
        try {
            for (int i = 0; i < fit; i++) {
                held.add(new HeldUpload(body("valid-under")));
            }
            Awaitility.await().atMost(Duration.ofSeconds(10))
                    .until(() -> metric("livequeue_producer_body_bytes_in_flight_bytes") == fit * LIMIT);

            Bodies.Answer refused = Bodies.postChunked(port, "/api/jobs/batch", body("valid-under"));

            assertThat(refused.status()).isEqualTo(503);
            assertThat(refused.header("content-type")).startsWith("application/problem+json");
            assertThat(refused.header("retry-after")).isEqualTo("1");
            assertThat(refused.body()).contains("urn:livequeue:problem:busy");
            for (HeldUpload upload : held) {
                assertThat(upload.finish()).startsWith("HTTP/1.1 202");
            }
        } finally {
            for (HeldUpload upload : held) {
                upload.close();
            }
        }
        assertThat(Bodies.postChunked(port, "/api/jobs/batch", body("valid-under")).status()).isEqualTo(202);
    }

    /** Path and body of the requests of one round, sent at once. */
    private static List<String[]> requests() {
        return List.of(new String[] {"/api/jobs/batch", "valid-under"}, new String[] {"/api/jobs/batch", "valid-over"},
                new String[] {"/api/jobs/batch", "tiny-under"}, new String[] {"/api/jobs/batch", "tiny-18mb"},
                new String[] {"/api/jobs/batch", "valid-over"}, new String[] {"/api/jobs", "huge"});
    }

    /**
     * {@code valid-under}/{@code valid-over}: 1000 valid jobs whose payloads make the body 1 KiB under or over the
     * limit; {@code tiny-under}/{@code tiny-18mb}: {@code {}} elements filling the limit, or 18 MB of them (as in the
     * report that found the producer running out of memory); {@code huge}: a 100 MB job.
     */
    private static Bodies.Synthetic body(String kind) {
        return switch (kind) {
            case "valid-under" -> batchOf(LIMIT - 1024);
            case "valid-over" -> batchOf(LIMIT + 1024);
            case "tiny-under" -> Bodies.synthetic("{\"jobs\":[", "{}", ",", (LIMIT - 1024) / 3, "]}");
            case "tiny-18mb" -> Bodies.synthetic("{\"jobs\":[", "{}", ",", 6_000_000, "]}");
            default -> Bodies.synthetic("{\"type\":\"echo\",\"payload\":\"", "x", "", 100_000_000, "\"}");
        };
    }

    /** A batch of 1000 echo jobs, {@code size} bytes in all: each payload a string, padded with spaces at the end. */
    private static Bodies.Synthetic batchOf(long size) {
        String job = "{\"type\":\"echo\",\"payload\":{\"s\":\"" + "x".repeat((int) (size / 1000 - 60)) + "\"}}";
        StringBuilder jobs = new StringBuilder("{\"jobs\":[");
        for (int i = 0; i < 1000; i++) {
            jobs.append(i == 0 ? "" : ",").append(job);
        }
        jobs.append(']');
        return Bodies.synthetic(jobs.toString(), " ", "", size - jobs.length() - 1, "}");
    }

    /** Live heap: used heap right after a full GC (forced with jcmd, read at /q/metrics). */
    private static long liveHeap() throws Exception {
        Process gc = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(producer.pid()), "GC.run").redirectErrorStream(true).start();
        gc.getInputStream().readAllBytes();
        assertThat(gc.waitFor()).as("jcmd GC.run").isZero();
        String text = HTTP.send(HttpRequest.newBuilder(uri("/q/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Matcher m = Pattern.compile("^jvm_memory_used_bytes\\{area=\"heap\",[^}]*} (\\S+)$", Pattern.MULTILINE)
                .matcher(text);
        double used = 0;
        while (m.find()) {
            used += Double.parseDouble(m.group(1));
        }
        return (long) used;
    }

    private static double metric(String name) throws Exception {
        String text = HTTP.send(HttpRequest.newBuilder(uri("/q/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Matcher m = Pattern.compile("^" + Pattern.quote(name) + " (\\S+)$", Pattern.MULTILINE).matcher(text);
        return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
    }

    private static HttpResponse<String> post(String path, String json) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    /** A batch sent in chunks that stops after its first chunk until {@link #finish()} sends the rest. */
    private static final class HeldUpload implements AutoCloseable {
        private final Socket socket;
        private final OutputStream out;
        private final InputStream body;

        HeldUpload(InputStream body) throws IOException {
            this.body = body;
            socket = new Socket(InetAddress.getLoopbackAddress(), port);
            socket.setSoTimeout(60_000);
            out = socket.getOutputStream();
            out.write(("POST /api/jobs/batch HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            chunk(body.readNBytes(64 * 1024));
            out.flush();
        }

        /** Sends the rest of the body and returns the answer's status line. */
        String finish() throws IOException {
            for (byte[] part = body.readNBytes(64 * 1024); part.length > 0; part = body.readNBytes(64 * 1024)) {
                chunk(part);
            }
            out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            StringBuilder status = new StringBuilder();
            InputStream in = socket.getInputStream();
            for (int c = in.read(); c >= 0 && c != '\r'; c = in.read()) {
                status.append((char) c);
            }
            return status.toString();
        }

        private void chunk(byte[] part) throws IOException {
            out.write((Integer.toHexString(part.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(part);
            out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
