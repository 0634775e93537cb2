package io.livequeue.bench;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** The load to generate; every option has a default, so {@code bench.sh} alone runs a sensible closed-loop test. */
record BenchOptions(URI producer, URI gateway, int clients, int jobs, int inFlight, int batch, int payloadBytes,
        String type, int rate, Duration timeout, Path out) {

    static final String USAGE = """
            usage: bench.sh [--producer http://localhost:8081] [--gateway ws://localhost:8080/ws] [--clients 16]
                            [--jobs 20000] [--in-flight 64] [--batch 1] [--payload 100] [--type echo]
                            [--rate 0 (closed loop) | jobs per second (open loop)] [--timeout 120s] [--out target/bench]
            """;

    static BenchOptions parse(String[] args) {
        Map<String, String> given = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("unexpected argument: " + args[i]);
            }
            given.put(args[i].substring(2), args[++i]);
        }
        BenchOptions options = new BenchOptions(URI.create(given.getOrDefault("producer", "http://localhost:8081")),
                URI.create(given.getOrDefault("gateway", "ws://localhost:8080/ws")),
                positive(given, "clients", 16), positive(given, "jobs", 20_000), positive(given, "in-flight", 64),
                positive(given, "batch", 1), Integer.parseInt(given.getOrDefault("payload", "100")),
                given.getOrDefault("type", "echo"), Integer.parseInt(given.getOrDefault("rate", "0")),
                Duration.parse("PT" + given.getOrDefault("timeout", "120s").toUpperCase()),
                Path.of(given.getOrDefault("out", "target/bench")));
        given.keySet().removeAll(java.util.Set.of("producer", "gateway", "clients", "jobs", "in-flight", "batch",
                "payload", "type", "rate", "timeout", "out"));
        if (!given.isEmpty()) {
            throw new IllegalArgumentException("unknown options: " + given.keySet());
        }
        if (options.batch() > 1000) {
            throw new IllegalArgumentException("--batch is at most 1000 (the producer's limit)");
        }
        return options;
    }

    private static int positive(Map<String, String> given, String name, int fallback) {
        int value = Integer.parseInt(given.getOrDefault(name, Integer.toString(fallback)));
        if (value < 1) {
            throw new IllegalArgumentException("--" + name + " must be 1 or more");
        }
        return value;
    }

    String describe() {
        return jobs + " " + type + " jobs of " + payloadBytes + " B, " + clients + " WebSocket clients, "
                + (rate > 0 ? "open loop at " + rate + " jobs/s" : "closed loop") + ", " + inFlight
                + " requests in flight, " + (batch == 1 ? "one POST per job" : "batches of " + batch);
    }
}
