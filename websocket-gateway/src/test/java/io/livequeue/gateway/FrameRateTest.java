package io.livequeue.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.livequeue.core.EventMessage;
import io.livequeue.core.Ids;
import io.livequeue.core.JobStatus;
import io.livequeue.core.JobTokens;
import io.livequeue.core.Priority;
import io.livequeue.core.rdb.JobStore;
import io.livequeue.core.rdb.Keyspace;
import io.livequeue.core.rdb.NewJob;
import io.livequeue.gateway.socket.ClientRegistry;
import io.livequeue.testing.RedisTestResource;
import io.livequeue.testing.TestSocket;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The frame allowance of a client socket: a subscribe loop is throttled (its frames over the allowance dropped, the
 * client told with a {@code rate-limited} error at most once a second) and, kept up, closed with 1008; meanwhile
 * another socket's events arrive as fast as without the flood; a burst within the allowance is answered in full.
 */
@QuarkusTest
@TestProfile(FrameRateTest.SmallAllowance.class)
@QuarkusTestResource(RedisTestResource.class)
class FrameRateTest {

    /** 50 frames a second, bursts of 100, closed after 3 s of drops. */
    public static class SmallAllowance implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("livequeue.gateway.max-frames-per-second", Integer.toString(RATE),
                    "livequeue.gateway.frame-burst", Integer.toString(BURST),
                    "livequeue.gateway.throttled-close-after", "3s");
        }
    }

    static final int RATE = 50;
    static final int BURST = 100;
    private static final int FLOOD_PER_SECOND = 10_000;
    private static final Duration FLOOD = Duration.ofSeconds(2);
    /** The other socket's events, p99 of publish-to-arrival while the flood runs. */
    private static final long MAX_P99_MS = 100;

    @TestHTTPResource("/")
    URI root;

    @Inject
    JobStore store;

    @Inject
    JobTokens tokens;

    @Inject
    ClientRegistry registry;

    @Inject
    Redis redis;

    @Inject
    Keyspace keyspace;

    @BeforeEach
    void noSocketLeftFromAnotherTest() {
        await().atMost(Duration.ofSeconds(15)).until(() -> registry.connections() == 0);
    }

    @Test
    void aSocketSendingTenThousandSubscribesASecondIsThrottledWhileAnotherSocketsEventsArriveWithoutDelay()
            throws Exception {
        String floodJob = enqueue();
        String watchedJob = enqueue();
        try (TestSocket watcher = connect(); RawWebSocket flooder = RawWebSocket.open(root, "/ws")) {
            assertThat(watcher.next().path("event").asText()).isEqualTo("welcome");
            watcher.send(subscribe(watchedJob));
            assertThat(watcher.next().path("event").asText()).isEqualTo("subscribed");
            assertThat(watcher.next().path("event").asText()).isEqualTo("job"); // its snapshot
            assertThat(flooder.readFrame()).startsWith("text {\"event\":\"welcome\"");
            Answers answers = Answers.readFrom(flooder);

            AtomicInteger version = new AtomicInteger(1);
            List<Long> baseline = latencies(watcher, watchedJob, version, 100, () -> false);

            long droppedBefore = registry.framesDropped();
            String frame = subscribe(floodJob);
            CompletableFuture<Integer> flood = CompletableFuture.supplyAsync(() -> flood(flooder, frame));
            List<Long> duringFlood = latencies(watcher, watchedJob, version, Integer.MAX_VALUE, flood::isDone);
            int sent = flood.get(30, TimeUnit.SECONDS);

            // every frame sent is either answered (subscribed) or counted as dropped
            await().atMost(Duration.ofSeconds(10)).until(
                    () -> answers.subscribed.get() + (registry.framesDropped() - droppedBefore) >= sent);
            long dropped = registry.framesDropped() - droppedBefore;
            System.out.printf("FrameRateTest: %d frames sent in %d ms, %d answered, %d dropped, %d rate-limited "
                    + "errors; the other socket's events: p50 %.1f ms / p99 %.1f ms during the flood (%d events), "
                    + "p50 %.1f ms / p99 %.1f ms before it%n", sent, FLOOD.toMillis(), answers.subscribed.get(),
                    dropped, answers.rateLimited.get(), percentile(duringFlood, 50), percentile(duringFlood, 99),
                    duringFlood.size(), percentile(baseline, 50), percentile(baseline, 99));

            assertThat(sent).isGreaterThanOrEqualTo(FLOOD_PER_SECOND * (int) FLOOD.toSeconds() * 9 / 10);
            assertThat(answers.subscribed.get()).as("frames handled: the burst and the rate over the flood")
                    .isBetween(BURST, BURST + RATE * (int) (FLOOD.toSeconds() + 2));
            assertThat(answers.subscribed.get() + dropped).isEqualTo(sent);
            assertThat(answers.rateLimited.get()).as("told at once, then at most once a second")
                    .isBetween(1, (int) FLOOD.toSeconds() + 2);
            assertThat(answers.firstError.get()).contains("more than " + RATE + " frames a second");
            assertThat(answers.closed.get()).as("a flood shorter than throttled-close-after keeps the socket").isNull();
            assertThat(duringFlood).hasSizeGreaterThan(20);
            assertThat(percentile(duringFlood, 99)).isLessThan(MAX_P99_MS);
            assertThat(watcher.isOpen()).isTrue();
        }
    }

    @Test
    void aSocketThatKeepsSendingOverItsAllowanceIsClosedWith1008AfterThreeSeconds() throws Exception {
        String job = enqueue();
        long closedBefore = registry.floodingClientsClosed();
        try (RawWebSocket flooder = RawWebSocket.open(root, "/ws")) {
            assertThat(flooder.readFrame()).startsWith("text {\"event\":\"welcome\"");
            Answers answers = Answers.readFrom(flooder);
            String frame = subscribe(job);
            long start = System.nanoTime();
            // 1,000 frames a second until the gateway closes the socket (or 10 s pass)
            long next = start;
            while (answers.closed.get() == null && System.nanoTime() - start < 10_000_000_000L) {
                try {
                    flooder.sendText(frame);
                } catch (IOException closedUnderUs) {
                    break;
                }
                next += 1_000_000;
                LockSupport.parkNanos(next - System.nanoTime());
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> answers.closed.get() != null);
            long closedAfterMs = (answers.closedAt.get() - start) / 1_000_000;
            System.out.printf("FrameRateTest: the flooding socket got '%s' %d ms after its first frame%n",
                    answers.closed.get(), closedAfterMs);
            assertThat(answers.closed.get()).isEqualTo("close 1008");
            // the burst lasts 0.1 s, then 3 s of drops
            assertThat(closedAfterMs).isBetween(3_000L, 6_000L);
            assertThat(answers.rateLimited.get()).isBetween(3, 6);
            assertThat(registry.floodingClientsClosed()).isEqualTo(closedBefore + 1);
        }
    }

    @Test
    void aBurstWithinTheAllowanceIsAnsweredInFullAndFramesOverItAreDroppedWithOneError() throws Exception {
        List<String> frames = new ArrayList<>();
        for (int i = 0; i < 2 * BURST; i++) {
            frames.add(subscribe(enqueue()));
        }
        long droppedBefore = registry.framesDropped();
        try (RawWebSocket socket = RawWebSocket.open(root, "/ws")) {
            assertThat(socket.readFrame()).startsWith("text {\"event\":\"welcome\"");
            Answers answers = Answers.readFrom(socket);
            socket.sendTexts(frames); // one write: the frames arrive at once, handled within a fraction of a second

            await().atMost(Duration.ofSeconds(10)).until(
                    () -> answers.subscribed.get() + (registry.framesDropped() - droppedBefore) == frames.size());
            // the burst, and the few frames the allowance regains (one per 20 ms) while they are handled
            assertThat(answers.subscribed.get()).isBetween(BURST, BURST + BURST / 2);
            assertThat(answers.rateLimited.get()).isEqualTo(1);
            assertThat(answers.firstError.get()).containsPattern("\\d frame\\(s\\) dropped");
            assertThat(answers.closed.get()).isNull();
        }
    }

    /** Sends the frame {@link #FLOOD_PER_SECOND} times a second for {@link #FLOOD}; returns how many went out. */
    private static int flood(RawWebSocket socket, String frame) {
        long start = System.nanoTime();
        long perMilli = FLOOD_PER_SECOND / 1000;
        int sent = 0;
        for (long ms = 0; ms < FLOOD.toMillis(); ms++) {
            LockSupport.parkNanos(start + ms * 1_000_000 - System.nanoTime());
            try {
                for (int i = 0; i < perMilli; i++) {
                    socket.sendText(frame);
                    sent++;
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return sent;
    }

    /**
     * Publishes events of {@code job} one after the other and takes, for each, the time from PUBLISH to its arrival
     * at the watcher: {@code count} of them, or as many as come before {@code stop} says so.
     */
    private List<Long> latencies(TestSocket watcher, String job, AtomicInteger version, int count,
            java.util.function.BooleanSupplier stop) {
        List<Long> nanos = new ArrayList<>();
        while (nanos.size() < count && !stop.getAsBoolean()) {
            int v = version.incrementAndGet();
            long start = System.nanoTime();
            publish(job, v);
            JsonNode event = watcher.next();
            nanos.add(System.nanoTime() - start);
            assertThat(event.path("version").asLong()).isEqualTo(v);
        }
        return nanos;
    }

    private static double percentile(List<Long> nanos, int percent) {
        List<Long> sorted = new ArrayList<>(nanos);
        Collections.sort(sorted);
        int index = Math.min(sorted.size() - 1, (int) Math.ceil(percent / 100.0 * sorted.size()) - 1);
        return sorted.get(Math.max(0, index)) / 1e6;
    }

    /** What a raw socket receives, counted by a thread of its own until the server closes it. */
    private static final class Answers {
        final AtomicInteger subscribed = new AtomicInteger();
        final AtomicInteger rateLimited = new AtomicInteger();
        final AtomicReference<String> firstError = new AtomicReference<>();
        final AtomicReference<String> closed = new AtomicReference<>();
        final AtomicReference<Long> closedAt = new AtomicReference<>();

        static Answers readFrom(RawWebSocket socket) {
            Answers answers = new Answers();
            Thread reader = new Thread(() -> {
                try {
                    socket.soTimeout(60_000);
                    while (true) {
                        String frame = socket.readFrame();
                        if (frame.startsWith("text {\"event\":\"subscribed\"")) {
                            answers.subscribed.incrementAndGet();
                        } else if (frame.contains("\"code\":\"rate-limited\"")) {
                            answers.firstError.compareAndSet(null, frame);
                            answers.rateLimited.incrementAndGet();
                        } else if (frame.startsWith("close") || frame.equals(RawWebSocket.EOF)) {
                            answers.closedAt.set(System.nanoTime());
                            answers.closed.set(frame);
                            return;
                        }
                    }
                } catch (IOException e) {
                    answers.closedAt.compareAndSet(null, System.nanoTime());
                    answers.closed.compareAndSet(null, "read failed: " + e.getMessage());
                }
            }, "flooder-reader");
            reader.setDaemon(true);
            reader.start();
            return answers;
        }
    }

    private TestSocket connect() {
        return TestSocket.connect("ws://" + root.getHost() + ":" + root.getPort() + "/ws");
    }

    private String enqueue() {
        NewJob job = new NewJob(Ids.newJobId(), "echo", Priority.HIGH, 3, null, null);
        store.enqueue("default", List.of(job), 0).await().atMost(Duration.ofSeconds(5));
        return job.id();
    }

    private String subscribe(String id) {
        return "{\"op\":\"subscribe\",\"job\":\"" + id + "\",\"token\":\"" + tokens.issue(id) + "\"}";
    }

    /** An event of the job as finish.lua would publish it, version {@code version}. */
    private void publish(String id, long version) {
        String event = "{\"event\":\"job\",\"id\":\"" + id + "\",\"type\":\"echo\",\"status\":\"active\","
                + "\"attempts\":1,\"result\":null,\"error\":null,\"version\":" + version + "}";
        String envelope = EventMessage.format(version, id, JobStatus.ACTIVE, null, event);
        redis.send(Request.cmd(Command.PUBLISH).arg(keyspace.queue("default").events()).arg(envelope)).await()
                .atMost(Duration.ofSeconds(5));
    }
}
