package io.livequeue.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The load generator ({@code ./bench.sh}) is part of the product: each of its modes, run as a user runs it against
 * a running stack, ends by itself with every job accounted for, and writes its JSON and Markdown reports. Small
 * runs: the figures themselves belong to the README's benchmark, not to a test.
 */
@ExtendWith(LiveStack.class)
class BenchIT {

    private static final Path ROOT = Path.of(System.getProperty("livequeue.root", "..")).toAbsolutePath().normalize();
    private static final ObjectMapper JSON = new ObjectMapper();

    private final LiveStack stack = LiveStack.get();

    @Test
    void endToEndOnePostPerJobAccountsForEveryJobAndLeavesTheWarmUpOut() throws Exception {
        JsonNode report = bench("e2e-single", "--producer", stack.producer(), "--gateway", stack.gatewaySocket("/ws"),
                "--jobs", "400", "--warmup", "100", "--clients", "4", "--in-flight", "16");

        assertThat(report.path("jobs").asInt()).isEqualTo(400);
        assertThat(report.path("accepted").asInt()).isEqualTo(400);
        assertThat(report.path("completed").asInt()).isEqualTo(400);
        assertThat(report.path("lost").asInt() + report.path("duplicated").asInt() + report.path("wrong").asInt())
                .isZero();
        assertThat(report.path("jobsPerSecond").asDouble()).isPositive();
        assertThat(report.path("latencyMs").path("p99").asDouble())
                .isBetween(report.path("latencyMs").path("p50").asDouble(),
                        report.path("latencyMs").path("max").asDouble());
        assertThat(report.path("options").asText()).contains("after a warm-up of 100 jobs");
    }

    @Test
    void endToEndInBatchesAtAFixedRateAccountsForEveryJob() throws Exception {
        JsonNode report = bench("e2e-batch", "--producer", stack.producer(), "--gateway", stack.gatewaySocket("/ws"),
                "--jobs", "500", "--warmup", "0", "--batch", "50", "--in-flight", "2", "--rate", "1000");

        assertThat(report.path("completed").asInt()).isEqualTo(500);
        assertThat(report.path("lost").asInt() + report.path("duplicated").asInt() + report.path("wrong").asInt())
                .isZero();
        assertThat(report.path("options").asText()).contains("open loop at 1000 jobs/s", "batches of 50");
    }

    @Test
    void queueOnlyDrainsEveryJobItWroteStraightIntoRedis() throws Exception {
        JsonNode report = bench("queue-only", "--mode", "queue-only", "--redis", stack.redis().url(), "--jobs", "2000");

        assertThat(report.path("mode").asText()).isEqualTo("queue-only");
        assertThat(report.path("enqueued").asInt()).isEqualTo(2000);
        assertThat(report.path("completed").asInt()).isEqualTo(2000);
        assertThat(report.path("lost").asInt() + report.path("duplicated").asInt() + report.path("wrong").asInt())
                .isZero();
        assertThat(report.path("jobsPerSecond").asDouble()).isPositive();
        assertThat(report.path("pickupMs").path("count").asInt()).isEqualTo(2000);
        assertThat(report.path("inWorkerMs").path("count").asInt()).isEqualTo(2000);
    }

    @Test
    void pickupTimesEveryJobOnAnIdleQueue() throws Exception {
        JsonNode report = bench("pickup", "--mode", "pickup", "--redis", stack.redis().url(), "--jobs", "50");

        assertThat(report.path("completed").asInt()).isEqualTo(50);
        assertThat(report.path("pickupMs").path("count").asInt()).isEqualTo(50);
        assertThat(report.path("pickupMs").path("p50").asDouble()).isPositive();
    }

    /**
     * Needs a producer that takes {@code delay} (issue 13's REST part): 1,000 jobs at 1,000/s, each due 500 ms after its
     * submit, every one started at or after its due time. Lateness itself is the README's figure, asserted only
     * loosely here.
     */
    @Test
    void scheduledStartsEveryDelayedJobAndNoneEarly() throws Exception {
        JsonNode report = bench("scheduled", "--mode", "scheduled", "--producer", stack.producer(), "--redis",
                stack.redis().url(), "--jobs", "1000", "--rate", "1000", "--lead", "500");

        assertThat(report.path("mode").asText()).isEqualTo("scheduled");
        assertThat(report.path("accepted").asInt()).isEqualTo(1000);
        assertThat(report.path("notScheduled").asInt()).isZero();
        assertThat(report.path("completed").asInt()).isEqualTo(1000);
        assertThat(report.path("early").asInt()).as("started before their due time").isZero();
        assertThat(report.path("lost").asInt() + report.path("duplicated").asInt() + report.path("wrong").asInt())
                .isZero();
        assertThat(report.path("latenessMs").path("count").asInt()).isEqualTo(1000);
        assertThat(report.path("latenessMs").path("p50").asDouble()).isBetween(0.0, 1000.0);
    }

    /** Runs the packaged generator to its end and returns its bench.json (bench.md must be there too). */
    private static JsonNode bench(String name, String... args) throws IOException, InterruptedException {
        Path jar = ROOT.resolve("livequeue-bench/target/livequeue-bench.jar");
        assertThat(jar).as("the packaged load generator (./mvnw verify builds it before this module)").isRegularFile();
        Path out = ROOT.resolve("end-to-end-tests/target/bench").resolve(name);
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx256m", "-XX:TieredStopAtLevel=1", "-jar", jar.toString()));
        command.addAll(List.of(args));
        command.addAll(List.of("--timeout", "60s", "--out", out.toString()));
        Files.createDirectories(out);
        Path log = out.resolve("bench.log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        boolean ended = process.waitFor(90, TimeUnit.SECONDS);
        if (!ended) {
            process.destroyForcibly();
        }
        assertThat(ended).as("the bench stops by itself; output in " + log).isTrue();
        assertThat(process.exitValue()).as("exit code; output: " + Files.readString(log)).isZero();
        assertThat(out.resolve("bench.md")).isRegularFile();
        return JSON.readTree(out.resolve("bench.json").toFile());
    }
}
