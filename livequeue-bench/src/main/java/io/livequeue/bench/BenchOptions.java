package io.livequeue.bench;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * What to measure and how hard; every option has a default, so {@code bench.sh} alone runs a sensible closed-loop
 * end-to-end test. Options that only one mode reads are refused in the others, so a mistyped run fails loudly
 * instead of quietly measuring something else.
 */
record BenchOptions(Mode mode, URI producer, URI gateway, int clients, int jobs, int inFlight, int batch,
        int payloadBytes, String type, int rate, int warmup, Duration timeout, Path out, URI redis, String prefix,
        int queues, Duration lead, int sockets, int sources, int firstSource, long gatewayPid, Duration hold) {

    /**
     * What is measured: the whole stack, the consumers' lifecycle alone, how fast an idle consumer reacts, or how
     * punctually scheduled jobs start.
     */
    enum Mode {
        END_TO_END("end-to-end"), QUEUE_ONLY("queue-only"), PICKUP("pickup"), SCHEDULED("scheduled"),
        SOCKETS("sockets");

        final String wireName;

        Mode(String wireName) {
            this.wireName = wireName;
        }

        static Mode of(String value) {
            for (Mode mode : values()) {
                if (mode.wireName.equals(value)) {
                    return mode;
                }
            }
            throw new IllegalArgumentException("unknown --mode " + value
                    + " (end-to-end, queue-only, pickup, scheduled or sockets)");
        }
    }

    static final String USAGE = """
            usage: bench.sh [--mode end-to-end | queue-only | pickup | scheduled | sockets] [options of that mode]

              end-to-end (default): jobs POSTed to the producer, results back over WebSocket (needs the whole stack)
                [--producer http://localhost:8081] [--gateway ws://localhost:8080/ws] [--clients 16]
                [--jobs 20000] [--in-flight 64] [--batch 1] [--payload 100] [--type echo]
                [--rate 0 (closed loop) | jobs per second (open loop)] [--warmup 20000] [--timeout 120s]
                [--out target/bench]
                [--queues 1]
                --warmup: jobs run the same way first and left out of the report (0: none)
                --queues N: spread the jobs (a request at a time) over the queues bench-0 … bench-(N-1); 1: the
                default queue. The consumers must listen to them: LIVEQUEUE_CONSUMER_QUEUES=bench-0:1,bench-1:1,…

              queue-only: the consumers alone (claim, run echo, store, publish): echo jobs are written straight into
              Redis far faster than they drain, lifecycle jobs/s = jobs ended after the fill / (last final event -
              end of the fill)
                [--redis redis://localhost:6379] [--prefix livequeue] [--jobs 20000] [--payload 100]
                [--timeout 120s] [--out target/bench]

              pickup: idle pickup latency: one echo job at a time into an empty queue, from just before the enqueue
              to its active event (an upper bound of enqueue -> handler start: it includes the pub/sub hop)
                [--redis redis://localhost:6379] [--prefix livequeue] [--jobs 2000] [--payload 100]
                [--timeout 120s] [--out target/bench]

              scheduled: punctuality of delayed jobs: echo jobs POSTed at a fixed rate (open loop), each with
              "delay": lead, so they come due at that rate; lateness = the active event's startedAt - the job's runAt
              (both on the Redis clock, from the events channel), and how many started early (must be 0). Needs the
              whole stack's producer and consumers, and their Redis for the events
                [--producer http://localhost:8081] [--redis redis://localhost:6379] [--prefix livequeue]
                [--jobs 10000] [--rate 1000] [--lead 1000 (ms)] [--in-flight 64] [--payload 100]
                [--timeout 120s] [--out target/bench]

              sockets: idle WebSockets on one gateway, then events delivered to them while they stay open: S sockets
              from several loopback source addresses (127.0.b.a) answer only pings; then --jobs events at --rate per
              second are PUBLISHed straight into the events channel, each to the inbox of one socket (round robin);
              latency = PUBLISH sent -> frame received. Needs Redis and the gateway only. One process holds one file
              descriptor per socket: over the open-files limit, run several (--first-source apart, the extra ones
              with --rate 0 --hold 120s)
                [--gateway ws://localhost:8080/ws] [--redis redis://localhost:6379] [--prefix livequeue]
                [--sockets 10000] [--sources sockets/150 rounded up] [--first-source 0] [--rate 10000 (0: idle only)]
                [--jobs 100000 (events)] [--hold 0s (keep the sockets open this long after delivery)]
                [--gateway-pid 0 (its RSS is read from /proc before and after)] [--timeout 120s] [--out target/bench]

              LIVEQUEUE_API_KEY in the environment: sent as Authorization: Bearer with every submit (end-to-end,
              scheduled)

              queue-only and pickup need only Redis and consumer-service; they exit with 2 when no consumer takes
              a job within 5 s.
            """;

    private static final Set<String> COMMON = Set.of("mode", "jobs", "payload", "timeout", "out");
    private static final Set<String> END_TO_END_ONLY = Set.of("producer", "gateway", "clients", "in-flight", "batch",
            "type", "rate", "warmup", "queues");
    private static final Set<String> DIRECT_ONLY = Set.of("redis", "prefix");
    private static final Set<String> SCHEDULED_ONLY = Set.of("producer", "redis", "prefix", "rate", "lead",
            "in-flight");
    private static final Set<String> SOCKETS_ONLY = Set.of("gateway", "redis", "prefix", "rate", "sockets", "sources",
            "first-source", "gateway-pid", "hold");

    static BenchOptions parse(String[] args) {
        Map<String, String> given = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("unexpected argument: " + args[i]);
            }
            given.put(args[i].substring(2), args[++i]);
        }
        Mode mode = Mode.of(given.getOrDefault("mode", Mode.END_TO_END.wireName));
        Set<String> allowed = new HashSet<>(COMMON);
        allowed.addAll(switch (mode) {
            case END_TO_END -> END_TO_END_ONLY;
            case SCHEDULED -> SCHEDULED_ONLY;
            case QUEUE_ONLY, PICKUP -> DIRECT_ONLY;
            case SOCKETS -> SOCKETS_ONLY;
        });
        for (String name : given.keySet()) {
            if (!allowed.contains(name)) {
                throw new IllegalArgumentException(END_TO_END_ONLY.contains(name) || DIRECT_ONLY.contains(name)
                        || SCHEDULED_ONLY.contains(name) || SOCKETS_ONLY.contains(name)
                        ? "--" + name + " does not apply to --mode " + mode.wireName
                        : "unknown option: --" + name);
            }
        }
        int sockets = positive(given, "sockets", 10_000);
        BenchOptions options = new BenchOptions(mode,
                URI.create(given.getOrDefault("producer", "http://localhost:8081")),
                URI.create(given.getOrDefault("gateway", "ws://localhost:8080/ws")),
                positive(given, "clients", 16), positive(given, "jobs", switch (mode) {
                    case PICKUP -> 2_000;
                    case SCHEDULED -> 10_000;
                    case SOCKETS -> 100_000;
                    default -> 20_000;
                }),
                positive(given, "in-flight", 64), positive(given, "batch", 1),
                Integer.parseInt(given.getOrDefault("payload", "100")), given.getOrDefault("type", "echo"),
                mode == Mode.SCHEDULED ? positive(given, "rate", 1_000)
                        : Integer.parseInt(given.getOrDefault("rate", mode == Mode.SOCKETS ? "10000" : "0")),
                Integer.parseInt(given.getOrDefault("warmup", "20000")),
                Duration.parse("PT" + given.getOrDefault("timeout", "120s").toUpperCase()),
                Path.of(given.getOrDefault("out", "target/bench")),
                URI.create(given.getOrDefault("redis", "redis://localhost:6379")),
                given.getOrDefault("prefix", "livequeue"), positive(given, "queues", 1),
                Duration.ofMillis(positive(given, "lead", 1_000)), sockets,
                positive(given, "sources", (sockets + 149) / 150),
                Integer.parseInt(given.getOrDefault("first-source", "0")),
                Long.parseLong(given.getOrDefault("gateway-pid", "0")),
                Duration.parse("PT" + given.getOrDefault("hold", "0s").toUpperCase()));
        if (options.firstSource() < 0 || options.firstSource() + options.sources() > 250 * 250) {
            throw new IllegalArgumentException("--first-source and --sources: 127.0.0.2 … 127.0.249.251 at most");
        }
        if (options.rate() < 0) {
            throw new IllegalArgumentException("--rate must be 0 or more");
        }
        if (options.warmup() < 0) {
            throw new IllegalArgumentException("--warmup must be 0 or more");
        }
        if (options.batch() > 1000) {
            throw new IllegalArgumentException("--batch is at most 1000 (the producer's limit)");
        }
        if (!"redis".equals(options.redis().getScheme()) && !"rediss".equals(options.redis().getScheme())) {
            throw new IllegalArgumentException("--redis must be a redis:// or rediss:// URL");
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

    /** The Redis URL without its password, fit for reports and messages. */
    String redisWhere() {
        return redis.getScheme() + "://" + redis.getHost() + (redis.getPort() < 0 ? "" : ":" + redis.getPort())
                + (redis.getPath() == null ? "" : redis.getPath());
    }

    String describe() {
        return switch (mode) {
            case END_TO_END -> jobs + " " + type + " jobs of " + payloadBytes + " B, " + clients + " WebSocket clients, "
                    + (rate > 0 ? "open loop at " + rate + " jobs/s" : "closed loop") + ", " + inFlight
                    + " requests in flight, " + (batch == 1 ? "one POST per job" : "batches of " + batch)
                    + (queues > 1 ? ", over " + queues + " queues" : "")
                    + (warmup > 0 ? ", after a warm-up of " + warmup + " jobs" : "");
            case QUEUE_ONLY -> jobs + " echo jobs of " + payloadBytes + " B written straight into " + redisWhere()
                    + " (prefix " + prefix + ") in batches of " + QueueOnlyRun.FILL_BATCH + ", "
                    + QueueOnlyRun.FILL_IN_FLIGHT + " in flight; consumers only, no producer or gateway";
            case PICKUP -> jobs + " echo jobs of " + payloadBytes + " B, one at a time into an idle queue at "
                    + redisWhere() + " (prefix " + prefix + "); consumers only, no producer or gateway";
            case SCHEDULED -> jobs + " echo jobs of " + payloadBytes + " B POSTed to " + producer + " at " + rate
                    + " jobs/s (open loop, at most " + inFlight + " requests in flight), each with a delay of "
                    + lead.toMillis() + " ms, so they come due at " + rate + " jobs/s; events from " + redisWhere()
                    + " (prefix " + prefix + ")";
            case SOCKETS -> sockets + " idle WebSockets to " + gateway + " from " + sources
                    + " loopback source addresses, then " + (rate == 0 ? "no delivery" : jobs
                    + " events PUBLISHed to " + redisWhere() + " (prefix " + prefix + ") at " + rate
                    + " events/s, round robin over the sockets' inboxes")
                    + (hold.isZero() ? "" : ", held open " + hold.toSeconds() + " s more");
        };
    }
}
