package io.livequeue.consumer.worker;

import io.livequeue.core.rdb.ClaimedJob;
import io.livequeue.core.rdb.JobStore;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The jobs this consumer's workers are running right now, with the deadline of each attempt. The heartbeat extends
 * their leases from this list; a job past its deadline (a timer fires at the deadline; the heartbeat checks again),
 * or still running when the stop grace ends, is interrupted and its {@link Attempt#stopReason()} tells the worker
 * what to record. So is one whose cancellation was asked for ({@link #cancel}, from the {@link CancelListener} or the
 * heartbeat): its handler's context is marked cancelled and its callbacks run first (see {@link AttemptControl}).
 */
@Singleton
public class RunningJobs {

    /** Why an attempt was interrupted. */
    public enum StopReason { NONE, TIMED_OUT, SHUTDOWN, CANCELLED }

    /** One attempt in progress on one worker thread. */
    public static final class Attempt {
        private final ClaimedJob job;
        private final Thread thread;
        private final long deadlineNanos;
        private final AttemptControl control;
        private volatile StopReason stopReason = StopReason.NONE;
        private ScheduledFuture<?> timer;
        private boolean ended;

        Attempt(ClaimedJob job, Thread thread, long deadlineNanos, AttemptControl control) {
            this.job = job;
            this.thread = thread;
            this.deadlineNanos = deadlineNanos;
            this.control = control;
        }

        AttemptControl control() {
            return control;
        }

        public ClaimedJob job() {
            return job;
        }

        public StopReason stopReason() {
            return stopReason;
        }

        boolean isOverdue(long nowNanos) {
            return nowNanos - deadlineNanos > 0;
        }

        /** After this no stop interrupts the worker's thread, which has moved on to record the outcome. */
        synchronized void ended() {
            ended = true;
        }

        synchronized void stop(StopReason reason) {
            if (!ended && stopReason == StopReason.NONE) {
                stopReason = reason;
                if (reason == StopReason.CANCELLED) {
                    control.cancel();
                }
                thread.interrupt();
            }
        }
    }

    private final Map<String, Attempt> attempts = new ConcurrentHashMap<>();
    private final ScheduledThreadPoolExecutor timers = new ScheduledThreadPoolExecutor(1, r -> {
        Thread thread = new Thread(r, "livequeue-timeouts");
        thread.setDaemon(true);
        return thread;
    });

    private final JobStore store;
    private final Duration progressInterval;

    RunningJobs(JobStore store, ConsumerConfig config) {
        this.store = store;
        this.progressInterval = config.progressInterval();
        timers.setRemoveOnCancelPolicy(true); // most attempts end long before their time-out
    }

    Attempt begin(ClaimedJob job, long timeoutNanos) {
        Attempt attempt = new Attempt(job, Thread.currentThread(), System.nanoTime() + timeoutNanos,
                new AttemptControl(job, store, timers, progressInterval));
        attempts.put(job.id(), attempt);
        attempt.timer = timers.schedule(() -> attempt.stop(StopReason.TIMED_OUT), timeoutNanos, TimeUnit.NANOSECONDS);
        return attempt;
    }

    void end(Attempt attempt) {
        attempt.ended();
        attempt.timer.cancel(false);
        attempts.remove(attempt.job().id(), attempt);
    }

    /** Interrupts the attempts past their deadline and returns the others, whose leases should be extended. */
    List<ClaimedJob> stopOverdueAndList() {
        long now = System.nanoTime();
        attempts.values().stream().filter(a -> a.isOverdue(now)).forEach(a -> a.stop(StopReason.TIMED_OUT));
        return attempts.values().stream().filter(a -> a.stopReason() == StopReason.NONE).map(Attempt::job).toList();
    }

    /**
     * Tells the attempt of job {@code id}, if one of this consumer's workers runs it, that its cancellation was asked
     * for (on a timer thread, not the caller's: callbacks may be slow). @return whether this consumer runs the job
     */
    boolean cancel(String id) {
        Attempt attempt = attempts.get(id);
        if (attempt == null) {
            return false;
        }
        timers.execute(() -> attempt.stop(StopReason.CANCELLED));
        return true;
    }

    void stopAll() {
        attempts.values().forEach(a -> a.stop(StopReason.SHUTDOWN));
    }

    public int size() {
        return attempts.size();
    }
}
