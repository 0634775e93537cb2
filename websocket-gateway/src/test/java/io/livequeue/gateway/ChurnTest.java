package io.livequeue.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.livequeue.core.Ids;
import io.livequeue.core.JobTokens;
import io.livequeue.core.Priority;
import io.livequeue.core.rdb.JobStore;
import io.livequeue.core.rdb.NewJob;
import io.livequeue.gateway.socket.ClientRegistry;
import io.livequeue.testing.RedisTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Ten thousand connect, subscribe, disconnect cycles leave no client, no watcher and no heap behind. */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
class ChurnTest {

    private static final int CYCLES = 10_000;
    /** Clients at once: enough to overlap opens and closes, few enough for two cores shared with the gateway. */
    private static final int PARALLEL = 4;
    private static final int JOBS = 100;
    /** Every fourth client vanishes with a TCP reset instead of a close handshake. */
    private static final int ABORT_EVERY = 4;
    private static final long HEAP_SLACK = 50L << 20;

    @TestHTTPResource("/")
    URI root;

    @Inject
    JobStore store;

    @Inject
    JobTokens tokens;

    @Inject
    ClientRegistry registry;

    @Test
    void tenThousandConnectSubscribeDisconnectCyclesLeaveNothingBehind() throws Exception {
        List<NewJob> jobs = new ArrayList<>();
        for (int i = 0; i < JOBS; i++) {
            jobs.add(new NewJob(Ids.newJobId(), "echo", Priority.LOW, 3, null, null));
        }
        store.enqueue("default", jobs, 0).await().atMost(Duration.ofSeconds(5));
        List<String> frames = jobs.stream().map(j -> "{\"op\":\"subscribe\",\"job\":\"" + j.id() + "\",\"token\":\""
                + tokens.issue(j.id()) + "\"}").toList();
        await().atMost(Duration.ofSeconds(10)).until(() -> registry.connections() == 0); // other tests' sockets
        long heapBefore = usedHeap();

        long start = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(PARALLEL);
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int w = 0; w < PARALLEL; w++) {
                int worker = w;
                workers.add(pool.submit(() -> {
                    for (int i = worker; i < CYCLES; i += PARALLEL) {
                        cycle(i, jobs.get(i % JOBS).id(), frames.get(i % JOBS));
                    }
                    return null;
                }));
            }
            for (Future<?> worker : workers) {
                worker.get(5, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
        double seconds = (System.nanoTime() - start) / 1e9;

        await().atMost(Duration.ofSeconds(30)).until(() -> registry.connections() == 0 && registry.watchedJobs() == 0);
        double drained = (System.nanoTime() - start) / 1e9;
        long heapAfter = usedHeap();
        System.out.printf("ChurnTest: %d cycles (%d in parallel, every %dth aborted) in %.1f s = %.0f cycles/s; "
                + "registry empty after %.1f s; used heap %d MB before, %d MB after (%+d MB)%n", CYCLES, PARALLEL,
                ABORT_EVERY, seconds, CYCLES / seconds, drained, heapBefore >> 20, heapAfter >> 20,
                (heapAfter - heapBefore) >> 20);
        assertThat(registry.connections()).isZero();
        assertThat(registry.watchedJobs()).isZero();
        assertThat(registry.knownJobs()).isEmpty();
        assertThat(heapAfter).isLessThan(heapBefore + HEAP_SLACK);
    }

    /** Connect, welcome, subscribe with a valid token, its answer and snapshot, then close (or vanish). */
    private void cycle(int i, String id, String subscribe) throws IOException {
        try (RawWebSocket socket = RawWebSocket.open(root, "/ws")) {
            String welcome = socket.readFrame();
            assertThat(welcome).as("cycle %d", i).startsWith("text {\"event\":\"welcome\",\"inbox\":\"");
            socket.sendText(subscribe);
            assertThat(socket.readFrame()).as("cycle %d", i)
                    .isEqualTo("text {\"event\":\"subscribed\",\"job\":\"" + id + "\"}");
            assertThat(socket.readFrame()).as("cycle %d", i)
                    .startsWith("text {\"event\":\"job\",\"id\":\"" + id + "\",\"type\":\"echo\","
                            + "\"status\":\"queued\"");
            if (i % ABORT_EVERY == ABORT_EVERY - 1) {
                socket.abort();
            } else {
                socket.sendClose(1000);
                assertThat(socket.readFrame()).as("cycle %d", i).isEqualTo("close 1000");
            }
        }
    }

    private static long usedHeap() {
        System.gc();
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }
}
