package io.livequeue.consumer.worker;

import io.livequeue.core.rdb.JobStore;
import io.livequeue.core.rdb.StorageUnavailableException;
import io.vertx.mutiny.redis.client.Redis;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * One per listened queue: while some worker of this consumer is idle, blocks on the queue's wake-up list (BLMPOP on the
 * "blocking" client, no polling) and hands the markers it gets to the {@link WorkBoard}, which wakes that many idle
 * workers. A blocking pop cannot span Cluster slots, hence one waker, and one blocking connection, per queue; the
 * workers themselves never block on Redis.
 */
final class QueueWaker implements Runnable {

    private static final Logger LOG = Logger.getLogger(QueueWaker.class);
    private static final long MAX_BACKOFF_MS = 5000;

    private final String queue;
    private final JobStore store;
    private final Redis blockingRedis;
    private final WorkBoard board;
    private final Duration idleWait;
    private final CountDownLatch stopping;

    QueueWaker(String queue, JobStore store, Redis blockingRedis, WorkBoard board, Duration idleWait,
            CountDownLatch stopping) {
        this.queue = queue;
        this.store = store;
        this.blockingRedis = blockingRedis;
        this.board = board;
        this.idleWait = idleWait;
        this.stopping = stopping;
    }

    @Override
    public void run() {
        long backoff = 0;
        while (stopping.getCount() > 0) {
            int idle = board.awaitIdleWorkers(idleWait.toMillis());
            if (idle == 0 || stopping.getCount() == 0) {
                continue;
            }
            try {
                List<String> markers = store.awaitWork(blockingRedis, queue, idleWait, idle).await().indefinitely();
                if (markers.isEmpty()) {
                    board.quiet(queue);
                } else {
                    board.marker(queue, markers.contains("r") ? "r" : "1", markers.size());
                }
                backoff = 0;
            } catch (StorageUnavailableException e) {
                backoff = Math.min(MAX_BACKOFF_MS, Math.max(100, backoff * 2));
                LOG.warnf("Redis unavailable, the waker of queue %s retries in %d ms: %s", queue, backoff,
                        e.getMessage());
                pause(backoff);
            } catch (RuntimeException e) {
                LOG.errorf(e, "the waker of queue %s failed; continuing", queue);
                pause(1000);
            }
        }
    }

    private void pause(long millis) {
        try {
            stopping.await(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
