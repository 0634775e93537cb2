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
import io.livequeue.core.rdb.NewJob;
import io.livequeue.core.rdb.Keyspace;
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
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A client that stops reading gets no more than its queue and is closed; a reading client misses nothing meanwhile. */
@QuarkusTest
@TestProfile(SlowClientTest.SmallQueue.class)
@QuarkusTestResource(RedisTestResource.class)
class SlowClientTest {

    /**
     * A 50-message outgoing queue. Pings and the idle time-out are pushed out of the way so that only the queue limit
     * can close the silent client; everything else (notably quarkus.http.idle-timeout) is as in production.
     */
    public static class SmallQueue implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("livequeue.gateway.max-queued-messages", Integer.toString(MAX_QUEUED),
                    "livequeue.gateway.idle-timeout", "10m",
                    "quarkus.websockets-next.server.auto-ping-interval", "10m",
                    "quarkus.http.idle-timeout", "3s");
        }
    }

    static final int MAX_QUEUED = 50;
    /** Each event carries this much padding, so a handful of events fill the socket buffers. */
    static final int PAD = 32 * 1024;
    /** 47 MB of events in all: many times what the queue and the kernel buffers of the silent socket can hold. */
    private static final int EVENTS = 1_500;
    /**
     * What can reach a client that stopped reading: the 50 queued messages plus what the kernel buffers of a loopback
     * connection take (tcp_wmem allows the sender up to 4 MB, i.e. 128 events of 32 KB; the receiver's 1 KB buffer
     * adds nothing). Had the gateway buffered without a limit, all 1,500 would arrive.
     */
    private static final int MAX_EVENTS_REACHING_THE_SLOW_CLIENT = MAX_QUEUED + 4 * 1024 * 1024 / PAD + 20;
    /** Used heap may wobble with GC and class loading, but not by the 47 MB that went through. */
    private static final long HEAP_SLACK = 32L << 20;

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

    /**
     * The silent client is starved of nothing but memory: the gateway stops queuing for it after 50 messages, the
     * reader gets all 1,500 events in order, and once the silent client finally reads, it finds at most its queue
     * plus the kernel buffers, then the 1008 close.
     */
    @Test
    void clientThatNeverReadsGetsNoMoreThanItsQueueWhileAReaderGetsEveryEventInOrder() throws IOException {
        String pad = "x".repeat(PAD);
        long slowClosedBefore = registry.slowClientsClosed();
        try (RawWebSocket slow = RawWebSocket.open(root, "/ws", null, 1024); TestSocket reader = connect()) {
            String slowInbox = inboxOf(slow.readFrame());
            assertThat(reader.next().path("event").asText()).isEqualTo("welcome");
            String id = subscribe(reader, slowInbox);
            long heapBefore = usedHeap();

            long start = System.nanoTime();
            for (int version = 2; version <= EVENTS + 1; version++) {
                publish(id, version, slowInbox, pad);
                assertEvent(reader.next(), id, version);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            long heapAfter = usedHeap();
            assertThat(reader.pending()).isZero();
            assertThat(reader.isOpen()).isTrue();

            // the silent client reads at last: what the gateway kept for it, then the close for being too slow
            slow.soTimeout(10_000);
            int received = 0;
            String frame;
            while ((frame = slow.readFrame()).startsWith("text ")) {
                assertThat(frame).startsWith("text {\"event\":\"job\",\"id\":\"" + id + "\"");
                received++;
            }
            System.out.printf("SlowClientTest: %d events of %d KB in %.1f s (%.0f/s) reached the reader; the silent "
                    + "client (queue limit %d) got %d of them, then '%s'; used heap %d MB before, %d MB after%n",
                    EVENTS, PAD / 1024, seconds, EVENTS / seconds, MAX_QUEUED, received, frame, heapBefore >> 20,
                    heapAfter >> 20);
            // the 1008 close frame, or, if the write stalled longer than the idle time-out, the dropped connection
            assertThat(frame).isIn("close 1008", RawWebSocket.EOF);
            int atLeast = frame.equals("close 1008") ? MAX_QUEUED : 1;
            assertThat(received).isBetween(atLeast, MAX_EVENTS_REACHING_THE_SLOW_CLIENT);
            assertThat(heapAfter).isLessThan(heapBefore + HEAP_SLACK);

            if (frame.equals("close 1008")) {
                slow.sendClose(1008);
            }
            // generous: on a loaded 2-core machine the close handshake took over 5 s once (it ends as soon as it holds)
            await().atMost(Duration.ofSeconds(20)).until(() -> registry.slowClientsClosed() == slowClosedBefore + 1);
            await().atMost(Duration.ofSeconds(20)).until(() -> registry.connections() == 1);
        }
    }

    /**
     * Vert.x starts a server socket's closing time-out only once the close frame is written; behind unread data it
     * never is, so a client that never reads is never disconnected. Passes with {@code quarkus.http.idle-timeout=3s}
     * in the profile (the TCP connection is then dropped as idle 3 s after the last completed write).
     */
    @Test
    void clientThatNeverReadsIsDisconnectedSoonAfterItsQueueIsFull() throws IOException {
        String pad = "x".repeat(PAD);
        long slowClosedBefore = registry.slowClientsClosed();
        try (RawWebSocket slow = RawWebSocket.open(root, "/ws", null, 1024); TestSocket reader = connect()) {
            String slowInbox = inboxOf(slow.readFrame());
            assertThat(reader.next().path("event").asText()).isEqualTo("welcome");
            String id = subscribe(reader, slowInbox);

            int sent = 0;
            while (registry.slowClientsClosed() == slowClosedBefore && sent < EVENTS) {
                sent++;
                publish(id, sent + 1, slowInbox, pad);
                assertEvent(reader.next(), id, sent + 1);
            }
            System.out.printf("SlowClientTest: %d events sent, slow clients closed: %d%n", sent,
                    registry.slowClientsClosed() - slowClosedBefore);
            await().atMost(Duration.ofSeconds(15)).until(() -> registry.slowClientsClosed() == slowClosedBefore + 1);
            await().atMost(Duration.ofSeconds(5)).until(() -> registry.connections() == 1);
            assertThat(reader.isOpen()).isTrue();
        }
    }

    private TestSocket connect() {
        return TestSocket.connect("ws://" + root.getHost() + ":" + root.getPort() + "/ws");
    }

    private static String inboxOf(String welcome) {
        assertThat(welcome).startsWith("text {\"event\":\"welcome\"");
        String inbox = welcome.replaceAll(".*\"inbox\":\"([^\"]+)\".*", "$1");
        assertThat(Ids.isInboxId(inbox)).as(welcome).isTrue();
        return inbox;
    }

    /** A job whose events go to the silent client's inbox and to the reader, which watches it; returns its id. */
    private String subscribe(TestSocket reader, String slowInbox) {
        String id = Ids.newJobId();
        store.enqueue("default", List.of(new NewJob(id, "echo", Priority.NORMAL, 3, null, slowInbox)), 0).await()
                .atMost(Duration.ofSeconds(5));
        reader.send("{\"op\":\"subscribe\",\"job\":\"" + id + "\",\"token\":\"" + tokens.issue(id) + "\"}");
        assertThat(reader.next().path("event").asText()).isEqualTo("subscribed");
        assertThat(reader.next().path("status").asText()).isEqualTo("queued"); // the snapshot: version 1
        await().atMost(Duration.ofSeconds(5)).until(() -> registry.connections() == 2);
        return id;
    }

    /** An envelope as finish.lua would publish it: version {@code version} of the job, padded to 32 KB. */
    private void publish(String id, long version, String replyTo, String pad) {
        String event = "{\"event\":\"job\",\"id\":\"" + id + "\",\"type\":\"echo\",\"status\":\"active\","
                + "\"attempts\":1,\"result\":null,\"error\":null,\"version\":" + version + ",\"pad\":\"" + pad + "\"}";
        String envelope = EventMessage.format(version, id, JobStatus.ACTIVE, replyTo, event);
        redis.send(Request.cmd(Command.PUBLISH).arg(keyspace.queue("default").events()).arg(envelope)).await()
                .atMost(Duration.ofSeconds(5));
    }

    private static void assertEvent(JsonNode event, String id, long version) {
        assertThat(event.path("event").asText()).isEqualTo("job");
        assertThat(event.path("id").asText()).isEqualTo(id);
        assertThat(event.path("version").asLong()).as("events arrive in order, none lost").isEqualTo(version);
        assertThat(event.path("pad").asText()).hasSize(PAD);
    }

    private static long usedHeap() {
        System.gc();
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }
}
