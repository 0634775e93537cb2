package io.livequeue.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketConnectOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The entry point, and the end-to-end mode (the default; {@link QueueOnlyRun}, {@link PickupRun} and
 * {@link ScheduledRun} are the others). The load generator: C WebSocket clients take their inboxes from the welcome,
 * then M jobs are POSTed (one per request or in batches) with {@code replyTo} spread over the clients, P requests in
 * flight, as fast as possible or at a fixed rate. Latency runs from the moment a job's request is sent to the moment its {@code completed} event
 * arrives. Stops by itself when every accepted job completed or the time-out passed; writes bench.json and bench.md.
 */
public final class Bench {

    /** LIVEQUEUE_API_KEY (an API key or a JWT): sent as a bearer with every submit (end-to-end, scheduled). */
    static final String AUTHORIZATION = System.getenv("LIVEQUEUE_API_KEY") == null ? null
            : "Bearer " + System.getenv("LIVEQUEUE_API_KEY");

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Vertx vertx;
    private final BenchOptions options;
    private final HttpClient http;
    private final List<String> inboxes = new ArrayList<>();
    private final List<WebSocket> sockets = new ArrayList<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    /** The phase being run: the warm-up's results are thrown away, the measured one's are the report. */
    private volatile Phase phase;
    private final String pad;

    private record Early(long nanos, int resultNumber) {
    }

    /**
     * One pass of jobs over the same clients. {@code byId} maps a job id to its number, or holds the completion that
     * arrived before the 202 that names it.
     */
    private record Phase(int jobs, Results results, Map<String, Object> byId, AtomicInteger next) {

        Phase(int jobs) {
            // sized for every job up front: growing a map of 100,000s of entries mid-run is work the generator
            // would do on the cores it measures
            this(jobs, new Results(jobs), new ConcurrentHashMap<>(jobs * 2), new AtomicInteger());
        }
    }

    private Bench(Vertx vertx, BenchOptions options) {
        this.vertx = vertx;
        this.options = options;
        this.http = vertx.createHttpClient(new HttpClientOptions().setDefaultHost(options.producer().getHost())
                .setDefaultPort(options.producer().getPort()).setMaxPoolSize(options.inFlight()).setKeepAlive(true));
        this.pad = "x".repeat(Math.max(0, options.payloadBytes() - 20));
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && (args[0].equals("--help") || args[0].equals("-h"))) {
            System.out.print(BenchOptions.USAGE);
            return;
        }
        BenchOptions options;
        try {
            options = BenchOptions.parse(args);
        } catch (RuntimeException e) {
            System.err.println(e.getMessage());
            System.err.print(BenchOptions.USAGE);
            System.exit(2);
            return;
        }
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
        int exitCode = 0;
        try {
            System.out.print(switch (options.mode()) {
                case END_TO_END -> new Bench(vertx, options).run();
                case QUEUE_ONLY -> new QueueOnlyRun(vertx, options).run();
                case PICKUP -> new PickupRun(vertx, options).run();
                case SCHEDULED -> new ScheduledRun(vertx, options).run();
                case SOCKETS -> new SocketsRun(vertx, options).run();
            });
        } catch (StackNotReady e) {
            System.err.println("[bench] " + e.getMessage());
            exitCode = 2;
        } catch (Exception e) {
            e.printStackTrace();
            exitCode = 1;
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
        // Mutiny's time-out scheduler (the direct modes use it through JobStore) is a non-daemon thread that would
        // keep the JVM alive after the report
        System.exit(exitCode);
    }

    private String run() throws Exception {
        connectClients();
        if (options.warmup() > 0) {
            // the generator is a fresh JVM: without this its own JIT compilation and first connections would be
            // measured as the pipeline's latency, and would take CPU from the services it measures
            runPhase(new Phase(options.warmup()));
        }
        Phase measured = new Phase(options.jobs());
        runPhase(measured);
        sockets.forEach(WebSocket::close);
        return measured.results().report(options, "livequeue bench", options.out());
    }

    private void runPhase(Phase run) throws InterruptedException {
        phase = run;
        long deadline = System.nanoTime() + options.timeout().toNanos();
        if (options.rate() > 0) {
            openLoop(run);
        } else {
            for (int lane = 0; lane < options.inFlight(); lane++) {
                vertx.runOnContext(v -> sendNext(run, true));
            }
        }
        Results results = run.results();
        while (System.nanoTime() < deadline && !(run.next().get() >= run.jobs() && inFlight.get() == 0
                && results.completed.get() >= results.accepted.get())) {
            TimeUnit.MILLISECONDS.sleep(20); // the load runs on Vert.x threads; this thread only waits for the end
        }
    }

    private void connectClients() throws Exception {
        List<CompletableFuture<String>> welcomes = new ArrayList<>();
        for (int i = 0; i < options.clients(); i++) {
            CompletableFuture<String> welcome = new CompletableFuture<>();
            welcomes.add(welcome);
            WebSocketConnectOptions connect = new WebSocketConnectOptions().setHost(options.gateway().getHost())
                    .setPort(options.gateway().getPort()).setURI(options.gateway().getPath());
            vertx.createWebSocketClient().connect(connect).onSuccess(ws -> {
                synchronized (sockets) {
                    sockets.add(ws);
                }
                ws.textMessageHandler(text -> onFrame(text, welcome));
            }).onFailure(welcome::completeExceptionally);
        }
        for (CompletableFuture<String> welcome : welcomes) {
            inboxes.add(welcome.get(10, TimeUnit.SECONDS));
        }
    }

    private void onFrame(String text, CompletableFuture<String> welcome) {
        long now = System.nanoTime();
        Phase run = phase;
        if (welcome.isDone() && !text.contains("\"status\":\"completed\"")) {
            return; // queued and active events: parsing them would cost the generator more than the answer is worth
        }
        if (welcome.isDone()) {
            // the generator shares the cores it measures: cut the two fields out instead of building a tree
            String id = stringAfter(text, "\"id\":\"", 0);
            int at = text.indexOf("\"result\":{\"i\":");
            if (id != null && (at >= 0 || !"echo".equals(options.type()))) {
                int resultNumber = at < 0 ? -1 : leadingInt(text, at + "\"result\":{\"i\":".length());
                Object known = run.byId().compute(id, (key, v) -> v == null ? new Early(now, resultNumber) : v);
                if (known instanceof Integer number) {
                    run.results().completed(number, !"echo".equals(options.type()) || resultNumber == number, now);
                }
                return;
            }
        }
        try {
            JsonNode frame = JSON.readTree(text);
            if ("welcome".equals(frame.path("event").asText())) {
                welcome.complete(frame.path("inbox").asText());
            } else if ("completed".equals(frame.path("status").asText())) {
                int resultNumber = frame.path("result").path("i").asInt(-1);
                Object known = run.byId().compute(frame.path("id").asText(), (id, v) -> v == null ? new Early(now,
                        resultNumber) : v);
                if (known instanceof Integer number) {
                    run.results().completed(number, !"echo".equals(options.type()) || resultNumber == number, now);
                }
            }
        } catch (Exception e) {
            run.results().wrong.incrementAndGet();
        }
    }

    /** Open loop: every 5 ms, send what the rate says is due, whatever the answers so far. */
    private void openLoop(Phase run) {
        long start = System.nanoTime();
        vertx.setPeriodic(5, timer -> {
            long due = (System.nanoTime() - start) * options.rate() / 1_000_000_000L;
            while (run.next().get() < Math.min(due, run.jobs()) && inFlight.get() < options.inFlight()) {
                sendNext(run, false);
            }
            if (run.next().get() >= run.jobs()) {
                vertx.cancelTimer(timer);
            }
        });
    }

    private void sendNext(Phase run, boolean closedLoop) {
        int first = run.next().getAndAdd(options.batch());
        if (first >= run.jobs()) {
            return;
        }
        Results results = run.results();
        int count = Math.min(options.batch(), run.jobs() - first);
        StringBuilder body = new StringBuilder(count * (options.payloadBytes() + 120));
        // with several queues each request goes to the next one: a batch lives in one queue
        String queue = options.queues() > 1 ? "\"queue\":\"bench-" + (first / options.batch() % options.queues())
                + "\"," : "";
        if (options.batch() > 1) {
            body.append("{").append(queue).append("\"jobs\":[");
            queue = "";
        }
        for (int i = first; i < first + count; i++) {
            body.append(i == first ? "" : ",").append("{").append(queue).append("\"type\":\"")
                    .append(options.type()).append("\",\"payload\":{\"i\":").append(i).append(",\"pad\":\"").append(pad)
                    .append("\"},\"replyTo\":\"").append(inboxes.get(i % inboxes.size())).append("\"}");
        }
        if (options.batch() > 1) {
            body.append("]}");
        }
        inFlight.incrementAndGet();
        long sent = System.nanoTime();
        for (int i = first; i < first + count; i++) {
            results.sent(i, sent);
        }
        http.request(HttpMethod.POST, options.batch() > 1 ? "/api/jobs/batch" : "/api/jobs")
                .compose(request -> {
                    request.putHeader("Content-Type", "application/json");
                    if (AUTHORIZATION != null) {
                        request.putHeader("Authorization", AUTHORIZATION);
                    }
                    return request.send(body.toString());
                })
                .compose(response -> response.body().map(answer -> {
                    if (response.statusCode() == 202) {
                        accepted(run, first, count, answer);
                    } else {
                        results.rejected.addAndGet(count);
                    }
                    return null;
                }))
                .onComplete(done -> {
                    if (done.failed()) {
                        results.rejected.addAndGet(count);
                    }
                    inFlight.decrementAndGet();
                    if (closedLoop) {
                        sendNext(run, true);
                    }
                });
    }

    /** The JSON string value that follows {@code prefix} (searched from {@code from}), or null. */
    private static String stringAfter(String text, String prefix, int from) {
        int start = text.indexOf(prefix, from);
        if (start < 0) {
            return null;
        }
        start += prefix.length();
        int end = text.indexOf('"', start);
        return end < 0 ? null : text.substring(start, end);
    }

    private static int leadingInt(String text, int at) {
        int value = 0;
        int i = at;
        while (i < text.length() && Character.isDigit(text.charAt(i))) {
            value = value * 10 + (text.charAt(i++) - '0');
        }
        return i == at ? -1 : value;
    }

    private void accepted(Phase run, int first, int count, Buffer answer) {
        Results results = run.results();
        try {
            String text = answer.toString();
            int from = 0;
            for (int k = 0; k < count; k++) {
                int number = first + k;
                String id = stringAfter(text, "\"id\":\"", from); // each job's receipt starts with its id
                if (id == null) {
                    throw new IllegalStateException("no id for job " + number + " in " + text);
                }
                from = text.indexOf(id, from) + id.length();
                Object before = run.byId().put(id, number);
                results.accepted.incrementAndGet();
                if (before instanceof Early early) {
                    results.completed(number, !"echo".equals(options.type()) || early.resultNumber() == number,
                            early.nanos());
                }
            }
        } catch (Exception e) {
            results.rejected.addAndGet(count);
        }
    }
}
