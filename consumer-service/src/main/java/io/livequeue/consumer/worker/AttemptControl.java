package io.livequeue.consumer.worker;

import com.fasterxml.jackson.databind.JsonNode;
import io.livequeue.consumer.handler.JobContext;
import io.livequeue.consumer.handler.ProgressReport;
import io.livequeue.core.JobEvent;
import io.livequeue.core.JobStatus;
import io.livequeue.core.rdb.ClaimedJob;
import io.livequeue.core.rdb.JobStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * What connects a handler's {@link JobContext} to its running attempt: the cancelled flag and callbacks, and its
 * progress reports on their way to Redis. Reports are throttled to one per {@code interval} per job (a handler may
 * report in a tight loop): one that comes sooner waits, replacing any waiting before it, and is sent when the interval
 * has passed; so the newest always arrives, and {@link #flush} sends the one still waiting before the outcome is
 * recorded. At most one report is in flight at a time, so they are stored and published in the order reported.
 */
final class AttemptControl implements JobContext.Control {

    private static final Logger LOG = Logger.getLogger(AttemptControl.class);

    private final ClaimedJob job;
    private final JobStore store;
    private final ScheduledExecutorService timers;
    private final long intervalNanos;
    private volatile boolean cancelled;
    private final List<Runnable> callbacks = new ArrayList<>(0);
    // guarded by this
    private ProgressReport waiting;
    private boolean sending;
    private boolean timerSet;
    private long lastSentNanos;
    private CompletableFuture<Void> idle = CompletableFuture.completedFuture(null);

    AttemptControl(ClaimedJob job, JobStore store, ScheduledExecutorService timers, Duration interval) {
        this.job = job;
        this.store = store;
        this.timers = timers;
        this.intervalNanos = interval.toNanos();
        this.lastSentNanos = System.nanoTime() - intervalNanos;
    }

    @Override
    public boolean isCancelled() {
        return cancelled;
    }

    @Override
    public void onCancel(Runnable callback) {
        boolean now;
        synchronized (callbacks) {
            now = cancelled;
            if (!now) {
                callbacks.add(callback);
            }
        }
        if (now) {
            run(callback);
        }
    }

    /** Marks the attempt cancelled and runs its callbacks (the caller then interrupts the worker's thread). */
    void cancel() {
        List<Runnable> toRun;
        synchronized (callbacks) {
            if (cancelled) {
                return;
            }
            cancelled = true;
            toRun = List.copyOf(callbacks);
            callbacks.clear();
        }
        toRun.forEach(this::run);
    }

    private void run(Runnable callback) {
        try {
            callback.run();
        } catch (RuntimeException e) {
            LOG.warnf(e, "job %s: a cancel callback failed", job.id());
        }
    }

    @Override
    public void progress(int percent, JsonNode data) {
        ProgressReport report = ProgressReport.of(percent, data);
        synchronized (this) {
            waiting = report;
            if (!sending && !timerSet) {
                long wait = lastSentNanos + intervalNanos - System.nanoTime();
                if (wait <= 0) {
                    sendWaiting();
                } else {
                    timerSet = true;
                    timers.schedule(this::timer, wait, TimeUnit.NANOSECONDS);
                }
            }
        }
    }

    private synchronized void timer() {
        timerSet = false;
        if (!sending && waiting != null) {
            sendWaiting();
        }
    }

    /** Sends the waiting report; called holding the lock, with none in flight. */
    private void sendWaiting() {
        ProgressReport report = waiting;
        waiting = null;
        sending = true;
        lastSentNanos = System.nanoTime();
        CompletableFuture<Void> done = new CompletableFuture<>();
        idle = done;
        String event = JobEvent.json(job.id(), job.type(), JobStatus.ACTIVE.wireName(), job.attempts(), null, null,
                report.json(), null, -1);
        store.progress(job, report.json(), event).subscribe().with(
                recorded -> sent(done), failure -> {
                    LOG.debugf("job %s: a progress report was not stored: %s", job.id(), failure.getMessage());
                    sent(done);
                });
    }

    private void sent(CompletableFuture<Void> done) {
        synchronized (this) {
            sending = false;
            if (waiting != null && !timerSet) {
                long wait = lastSentNanos + intervalNanos - System.nanoTime();
                if (wait <= 0) {
                    sendWaiting();
                } else {
                    timerSet = true;
                    timers.schedule(this::timer, wait, TimeUnit.NANOSECONDS);
                }
            }
        }
        done.complete(null);
    }

    /**
     * Sends the report still waiting, if any, and waits (at most {@code max}) until every report is stored: the last
     * one reaches watchers before the outcome does.
     */
    void flush(Duration max) {
        long deadline = System.nanoTime() + max.toNanos();
        while (true) {
            CompletableFuture<Void> current;
            synchronized (this) {
                if (!sending && waiting != null) {
                    sendWaiting();
                }
                if (!sending) {
                    return;
                }
                current = idle;
            }
            try {
                current.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                return; // timed out: the outcome goes ahead without it
            }
            if (System.nanoTime() - deadline > 0) {
                return;
            }
        }
    }
}
