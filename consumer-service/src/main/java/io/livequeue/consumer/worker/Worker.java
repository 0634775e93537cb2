package io.livequeue.consumer.worker;

import io.livequeue.core.rdb.ClaimedJob;
import io.livequeue.core.rdb.StorageUnavailableException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * One worker thread: run a job, then record its outcome and claim the next one in the same round trip, repeat; when
 * every queue is empty (or held back by its flow control), wait in the process for the {@link WorkBoard} to say that
 * a queue has work (no polling: the queues' wakers block on Redis for all workers). While Redis is unreachable it
 * backs off instead of spinning.
 */
final class Worker implements Runnable {

    private static final Logger LOG = Logger.getLogger(Worker.class);
    private static final long MAX_BACKOFF_MS = 5000;
    private static final java.time.Duration PROGRESS_FLUSH = java.time.Duration.ofSeconds(2);

    private final WorkBoard board;
    private final JobProcessor processor;
    private final RunningJobs running;
    private final ClaimBatcher batcher;
    private final ConsumerConfig config;
    private final CountDownLatch stopping;

    Worker(WorkBoard board, JobProcessor processor, RunningJobs running, ClaimBatcher batcher,
            ConsumerConfig config, CountDownLatch stopping) {
        this.board = board;
        this.processor = processor;
        this.running = running;
        this.batcher = batcher;
        this.config = config;
        this.stopping = stopping;
    }

    @Override
    public void run() {
        long backoff = 0;
        ClaimedJob next = null;
        boolean queuesEmpty = false; // the last claim found nothing: wait for a signal before asking again
        while (next != null || stopping.getCount() > 0) {
            try {
                if (next == null) {
                    if (queuesEmpty && !board.awaitWork(config.idleWait().toMillis()) && !board.anyOpen()
                            || stopping.getCount() == 0) {
                        continue; // nothing to do yet, or stopping: no new job is taken
                    }
                    next = batcher.submit(null, true).await().indefinitely().next();
                    queuesEmpty = next == null;
                    if (queuesEmpty) {
                        continue;
                    }
                }
                ClaimedJob job = next;
                next = null;
                RunningJobs.Attempt attempt = running.begin(job, processor.timeoutOf(job.type()).toNanos());
                JobProcessor.Outcome outcome;
                try {
                    outcome = processor.process(attempt);
                } finally {
                    running.end(attempt);
                    Thread.interrupted(); // a stop that raced the end of the handler must not abort the write below
                    attempt.control().flush(PROGRESS_FLUSH); // the last progress report goes before the outcome
                }
                next = processor.record(batcher, job, outcome, stopping.getCount() > 0);
                queuesEmpty = next == null;
                backoff = 0;
            } catch (StorageUnavailableException e) {
                backoff = Math.min(MAX_BACKOFF_MS, Math.max(100, backoff * 2));
                LOG.warnf("Redis unavailable, worker retries in %d ms: %s", backoff, e.getMessage());
                pause(backoff);
            } catch (RuntimeException e) {
                LOG.errorf(e, "worker loop failed; continuing");
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
